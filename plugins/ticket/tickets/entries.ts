/**
 * Adding a message to a ticket (T1): the entry and everything it causes, in the caller's
 * transaction: who may write which kind, banned words in agent replies (T8), its files, the
 * status move, `updated_at`, the history rows, the `ticket.replied` (plus
 * `ticket.status-changed`) events and the audit entry. The native entry routes, the compat
 * comment, incoming mail and other plugins (through the tickets service) all write messages
 * through {@link addTicketEntry}, so every reply carries the same history and the same events
 * (triggers read `changed` from them).
 */
import { errors, recordAudit, type TenantTx } from '../../../core/mod.ts'
import type { NewEntryInput, TicketsCaller } from '../api.ts'
import { refuseBannedWords } from '../banned-words/guard.ts'
import { auditActor, auditBy, storedActor, type TicketActor } from './actor.ts'
import { checkTicketReferences } from './checks.ts'
import { assertTransition, statusAfterCustomerReply, type TicketStatus } from './lifecycle.ts'
import type { EntryKind } from './schemas.ts'
import { bindAttachments, findTicket, insertEntry, recordHistory, touchTicket, type TicketRow } from './store.ts'
import { ticketRef } from './views.ts'

export interface EntryOptions {
  /** Where refused files are named (default `body.attachmentIds`), for callers that take them elsewhere (the compat `query.attachments`). */
  readonly attachmentsAt?: string
  /** Extra attributes of the audit entry, e.g. `{ via: 'oc-compat' }`. */
  readonly audit?: Readonly<Record<string, unknown>>
  /** The ticket, when the caller found it locked (`FOR UPDATE`) in this transaction by another key. */
  readonly ticket?: TicketRow
}

/**
 * Adds a message by the caller's actor, refusing what the actor may not write: service keys,
 * customers and mail senders speak for customers (customer replies only), only agent replies
 * move the status. Resolves null when the service has no such ticket.
 */
export async function addTicketEntry(tx: TenantTx, caller: TicketsCaller, ticketId: string, input: NewEntryInput, options: EntryOptions = {}): Promise<{ ticket: TicketRow; entry: { id: string; createdAt: string } } | null> {
  const { kind } = input
  const forCustomers = caller.actor.kind === 'customer' || caller.actor.kind === 'mail' || (caller.actor.kind === 'request' && caller.actor.principal.kind === 'service-key')
  if (kind !== 'customer-reply' && forCustomers) throw errors.forbidden(`a service key speaks for customers; ${kind === 'note' ? 'notes' : 'agent replies'} are written by signed-in agents`)
  if (kind !== 'agent-reply' && input.status !== undefined) throw errors.invalid([{ path: 'body.status', message: `only agent replies move the status; change it with PATCH /ticket/tickets/${ticketId}`, code: 'not_allowed' }])
  const ticket = options.ticket ?? (await findTicket(tx, ticketId, true))
  if (!ticket) return null
  if (kind === 'agent-reply') await refuseBannedWords(tx, input.content, 'body.content')
  let next: TicketStatus = ticket.status
  switch (kind) {
    case 'customer-reply':
      next = statusAfterCustomerReply(ticket.status)
      break
    case 'agent-reply':
      next = input.status ?? (ticket.status === 'new' ? 'open' : ticket.status)
      assertTransition(ticket.status, next)
      break
    case 'note':
      break
    default: {
      const unreachable: never = kind
      throw new Error(`unknown entry kind ${String(unreachable)}`)
    }
  }
  // Named elsewhere, files are checked by binding only: an unknown one is as unusable as a taken one.
  if (!options.attachmentsAt) await checkTicketReferences(tx, { attachmentIds: input.attachmentIds })
  const made = await recordEntry(tx, ticket, { kind, body: input.content, actor: storedActor(caller.actor), next, attachmentIds: input.attachmentIds })
  const at = options.attachmentsAt ?? 'body.attachmentIds'
  if (made.unavailable.length) throw errors.invalid(made.unavailable.map((a) => ({ path: at, message: `attachment '${a}' does not exist or belongs to another message; upload it again`, code: 'unavailable' })))
  await recordAudit(tx, auditActor(caller.actor), { action: `ticket.${kind}.created`, target: { type: 'ticket', id: ticket.id }, after: { entryId: made.id, ...(next !== ticket.status ? { status: next } : {}), ...options.audit, ...auditBy(caller.actor) } })
  return { ticket, entry: { id: made.id, createdAt: made.createdAt } }
}

export interface NewEntry {
  readonly kind: EntryKind
  readonly body: string
  readonly actor: TicketActor
  /** The ticket's status after this message (the same status when it does not move). */
  readonly next: TicketStatus
  /** Uploaded files that belong to this message. */
  readonly attachmentIds?: readonly string[]
}

/**
 * Writes the entry and its consequences; returns the entry and the attachment ids that could
 * not be bound (unknown, or another message's), which the caller refuses in its own terms
 * (throwing rolls the whole message back).
 */
export async function recordEntry(tx: TenantTx, ticket: TicketRow, entry: NewEntry): Promise<{ id: string; createdAt: string; unavailable: string[] }> {
  const { kind, actor, next } = entry
  const made = await insertEntry(tx, ticket.id, kind, entry.body, actor)
  const unavailable = entry.attachmentIds?.length ? await bindAttachments(tx, entry.attachmentIds, ticket.id, made.id) : []
  await touchTicket(tx, ticket.id, next)
  const moved = next !== ticket.status
  const who = { type: actor.type, id: actor.id }
  await recordHistory(tx, ticket.id, actor, [{ field: 'entries', from: null, to: { kind, entryId: made.id } }, ...(moved ? [{ field: 'status', from: ticket.status, to: next }] : [])])
  await tx.emit('ticket.replied', { ...ticketRef(ticket), entryId: made.id, kind, changed: moved ? ['status'] : [], actor: who })
  if (moved) await tx.emit('ticket.status-changed', { ...ticketRef(ticket), from: ticket.status, to: next, actor: who })
  return { ...made, unavailable }
}
