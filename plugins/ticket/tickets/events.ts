/**
 * What the ticket work emits, in the transaction of the change. Payloads carry ids, statuses and
 * the names of changed attributes, never field values: subscribers read the ticket if they need
 * more, and personal information does not leak into the outbox.
 */
import { z } from '../../../core/mod.ts'
import { TICKET_STATUSES } from './lifecycle.ts'
import { CHANNELS, ENTRY_KINDS } from './schemas.ts'

const Ref = { id: z.uuid(), number: z.number().int(), ticketId: z.string() }
const Actor = z.object({ type: z.string(), id: z.string().nullable() })
const Assignment = z.object({ agentId: z.uuid().nullable(), groupId: z.uuid().nullable() })

export const TicketCreated = z.object({ ...Ref, status: z.enum(TICKET_STATUSES), channel: z.enum(CHANNELS), intakeCategoryId: z.uuid().nullable(), assigneeAgentId: z.uuid().nullable(), assigneeGroupId: z.uuid().nullable(), actor: Actor })
export const TicketUpdated = z.object({ ...Ref, changed: z.array(z.string()).openapi({ description: 'Attribute names and `fields.<code>`' }), actor: Actor })
export const TicketReplied = z.object({ ...Ref, entryId: z.uuid(), kind: z.enum(ENTRY_KINDS), changed: z.array(z.string()).optional().openapi({ description: "Attributes the reply changed besides the conversation, e.g. ['status'] when it reopened the ticket" }), actor: Actor })
export const TicketAssigned = z.object({ ...Ref, from: Assignment, to: Assignment, actor: Actor })
export const TicketStatusChanged = z.object({ ...Ref, from: z.enum(TICKET_STATUSES), to: z.enum(TICKET_STATUSES), actor: Actor })

export const ticketLifecycleEvents = {
  'ticket.created': TicketCreated,
  'ticket.updated': TicketUpdated,
  'ticket.replied': TicketReplied,
  'ticket.assigned': TicketAssigned,
  'ticket.status-changed': TicketStatusChanged,
} as const
