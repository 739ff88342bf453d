/**
 * Adding a message to a ticket (T1): the entry and everything it causes, in the caller's
 * transaction: its files, the status move, `updated_at`, the history rows and the
 * `ticket.replied` (plus `ticket.status-changed`) events. The native entry routes, the compat
 * comment and incoming mail all write replies through here, so every reply carries the same
 * history and the same events (triggers read `changed` from them).
 */
import type { TenantTx } from '../../../core/mod.ts'
import type { TicketActor } from './actor.ts'
import type { TicketStatus } from './lifecycle.ts'
import type { EntryKind } from './schemas.ts'
import { bindAttachments, insertEntry, recordHistory, touchTicket, type TicketRow } from './store.ts'
import { ticketRef } from './views.ts'

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
