/**
 * Mail intake (T9): one received RFC 822 message becomes a new ticket, a customer reply on the
 * ticket it answers, or nothing (a duplicate, an automatic mail). The raw endpoint and the IMAP
 * poller both call {@link receiveMail}; nothing else writes tickets from mail.
 *
 * Order of work:
 * 1. parse (postal-mime); a message without a sender or that cannot be read is `ignored`;
 * 2. a short read: is the Message-ID known? (`duplicate`, or `ignored: own-message` when it is
 *    one the service sent), the service's own addresses, and the ticket the mail answers;
 * 3. automatic mail (auto-replies, bounces, receipts, our own address) is `ignored`, see automatic.ts;
 * 4. the files go to the blob store (policy refusals become a note in the text);
 * 5. ONE tenant transaction: the ticket or the reply, its attachments, its history, the thread
 *    record (`recordMailMessage`, whose unique key settles a race between two deliveries of the
 *    same message: the loser rolls back and answers `duplicate`) and the event (`ticket.created`
 *    or `ticket.replied`, plus `ticket.status-changed` when a reply reopens the ticket), so
 *    triggers and reply mail follow only a committed intake.
 *
 * Threading: the In-Reply-To / References ids first (any sender: holding a Message-ID of the
 * thread is proof enough of having been sent it, and colleagues of the customer on Cc may
 * answer too); then the `[#123]` ticket reference in the subject, accepted only when the sender
 * is the ticket's requester, because a number in a subject is easy to guess. Otherwise a new
 * ticket is made (channel `email`, requester from From, title from the subject).
 *
 * The sender is no principal of the platform: tickets, entries and history name the actor as
 * `{ type: 'anonymous', id: null, label: <sender address> }`.
 */
import type { PluginContext, TenantScope, TenantTx } from '../../../../core/mod.ts'
import type { TicketActor } from '../../tickets/actor.ts'
import { compatTicketId, nextTicketNumber } from '../../tickets/ids.ts'
import { ticketNumbers } from '../../tickets/numbers.ts'
import { statusAfterCustomerReply } from '../../tickets/lifecycle.ts'
import { bindAttachments, findTicket, insertAttachment, insertTicket, recordHistory, type TicketRow } from '../../tickets/store.ts'
import { recordEntry } from '../../tickets/entries.ts'
import { ticketRef } from '../../tickets/views.ts'
import { requesterEmailSealed, requesterEmailTokens, storeRequesterEmail } from '../../tickets/requester-email.ts'
import type { StoredFieldValues } from '../../tickets/field-values.ts'
import { parseTicketReference } from '../reference.ts'
import { findThreadTicket, recordMailMessage } from '../threads.ts'
import { automaticReason, type AutomaticReason } from './automatic.ts'
import { discardStored, storeMailFiles, type StoredMailFile } from './attachments.ts'
import { serviceOwnAddresses } from './own-addresses.ts'
import { parseMail, type InboundMessage } from './parse.ts'
import { messageFault, recordSetAside } from './set-aside.ts'
import type { MailSource } from './source.ts'

export type IgnoredReason = AutomaticReason | 'own-message' | 'no-sender' | 'unparseable'

export type ReceiveOutcome =
  | { readonly outcome: 'created'; readonly ticketId: string; readonly entryId: null; readonly messageId: string }
  | { readonly outcome: 'threaded'; readonly ticketId: string; readonly entryId: string; readonly messageId: string }
  | { readonly outcome: 'duplicate'; readonly reason: 'message-id-known'; readonly messageId: string }
  | { readonly outcome: 'ignored'; readonly reason: IgnoredReason; readonly messageId: string | null; readonly detail?: string }
  /** Storage refused what the message holds: recorded in ticket_mail_set_aside (set-aside.ts), nothing else kept. */
  | { readonly outcome: 'set-aside'; readonly setAsideId: string; readonly messageId: string; readonly code: string; readonly detail: string }

/** The ticket content and reply limits of the ticket API (checks.ts, EntryInput). */
const MAX_CONTENT = 20_000
const MAX_ENTRY = 100_000

/** Thrown inside the intake transaction to roll it back when another delivery recorded the message first. */
class AlreadyReceived extends Error {}

/**
 * Takes in one raw message for the service of `scope`. Never throws for what the message holds
 * (those are `ignored` outcomes, or `set-aside` when storage refuses its content); throws only
 * when the service is gone or storage fails for reasons of its own, so a caller (the IMAP
 * poller) retries later.
 */
export async function receiveMail(ctx: PluginContext, scope: TenantScope, raw: Uint8Array, source: MailSource): Promise<ReceiveOutcome> {
  const parsed = await parseMail(raw)
  if (!parsed.ok) return { outcome: 'ignored', reason: 'unparseable', messageId: null, detail: parsed.reason }
  const message = parsed.message
  const from = message.from
  if (!from) return { outcome: 'ignored', reason: 'no-sender', messageId: message.messageId }

  const service = await ctx.tenant(scope)
  if (!service) throw new Error(`mail intake: service ${scope.serviceId} of organization ${scope.orgId} does not exist`)
  const db = service.db

  const crypto = () => ctx.crypto.forTenant(scope)
  const seen = await db.tx(async (tx) => {
    const sealed = await requesterEmailSealed(tx)
    return {
      known: await knownDirection(tx, message.messageId),
      own: await serviceOwnAddresses(tx, ctx),
      target: await threadTarget(tx, message, from.address, sealed ? await requesterEmailTokens(from.address, crypto()) : []),
      sealed,
    }
  })
  if (seen.known === 'out') return { outcome: 'ignored', reason: 'own-message', messageId: message.messageId }
  if (seen.known === 'in') return { outcome: 'duplicate', reason: 'message-id-known', messageId: message.messageId }
  const automatic = automaticReason(message, seen.own)
  if (automatic) return { outcome: 'ignored', reason: automatic, messageId: message.messageId }

  const blobs = ctx.blobs.forTenant(scope)
  const files = await storeMailFiles(blobs, message.attachments)
  // Only a new ticket needs a number; it comes from a counter statement of its own (see tickets/numbers.ts).
  let number = seen.target ? null : await ticketNumbers(ctx.db)(db)
  // Where addresses are sealed, the sender's address stays out of history and entry labels too.
  const actor: TicketActor = { type: 'anonymous', id: null, label: seen.sealed ? from.name || null : from.address }
  try {
    return await db.tx(async (tx) => {
      const ticket = seen.target ? await findTicket(tx, seen.target, true) : null
      if (ticket) return await addReply(tx, ticket, message, files.stored, files.notes, actor)
      // The ticket went away between the read and now: the mail starts a ticket of its own.
      number ??= await nextTicketNumber(tx)
      return await createTicket(tx, number, message, files.stored, files.notes, actor, source, await storeRequesterEmail(from.address, seen.sealed, crypto, { plain: {}, secret: {}, index: [] }))
    })
  } catch (error) {
    await discardStored(blobs, files.stored)
    if (error instanceof AlreadyReceived) return { outcome: 'duplicate', reason: 'message-id-known', messageId: message.messageId }
    const fault = messageFault(error)
    if (!fault) throw error
    const setAsideId = await db.tx((tx) => recordSetAside(tx, { messageId: message.messageId, sender: from.address, subject: message.subject, source, ...fault }))
    ctx.log.warn('incoming mail set aside: storage refused it', { serviceId: scope.serviceId, messageId: message.messageId, source: source.kind, accountId: source.accountId, code: fault.code, error: fault.message })
    return { outcome: 'set-aside', setAsideId, messageId: message.messageId, code: fault.code, detail: fault.message }
  }
}

/** `email`: where the sender's address goes (storeRequesterEmail). */
async function createTicket(tx: TenantTx, number: number, message: InboundMessage, files: readonly StoredMailFile[], notes: readonly string[], actor: TicketActor, source: MailSource, email: { column: string | null; stored: StoredFieldValues }): Promise<ReceiveOutcome> {
  const from = message.from!
  const created = await insertTicket(tx, {
    number,
    publicId: compatTicketId(),
    title: message.subject || '(no subject)',
    content: withNotes(message.text, notes, MAX_CONTENT),
    channel: 'email',
    language: null,
    requester: { email: email.column, name: from.name, memberId: null, usercode: null },
    assigneeAgentId: null,
    assigneeGroupId: null,
    intakeCategoryId: null,
    processingCategoryId: null,
    fields: {},
    secretFields: email.stored.secret,
    secretIndex: email.stored.index,
    createdBy: actor,
  })
  if (!(await recordMailMessage(tx, { messageId: message.messageId, ticketId: created.id, entryId: null, direction: 'in' }))) throw new AlreadyReceived()
  // The first message's files belong to the ticket itself (entry id = ticket id), as in the API.
  await bindAttachments(tx, await insertFiles(tx, files, actor), created.id, created.id)
  await recordHistory(tx, created.id, actor, [{ field: 'created', from: null, to: { status: 'new', channel: 'email', via: source.kind } }])
  await tx.emit('ticket.created', { ...ticketRef(created), status: 'new', channel: 'email', intakeCategoryId: null, assigneeAgentId: null, assigneeGroupId: null, actor: { type: actor.type, id: actor.id } })
  return { outcome: 'created', ticketId: created.id, entryId: null, messageId: message.messageId }
}

async function addReply(tx: TenantTx, ticket: TicketRow, message: InboundMessage, files: readonly StoredMailFile[], notes: readonly string[], actor: TicketActor): Promise<ReceiveOutcome> {
  const attachmentIds = await insertFiles(tx, files, actor)
  const entry = await recordEntry(tx, ticket, { kind: 'customer-reply', body: withNotes(message.text, notes, MAX_ENTRY), actor, next: statusAfterCustomerReply(ticket.status), attachmentIds })
  if (!(await recordMailMessage(tx, { messageId: message.messageId, ticketId: ticket.id, entryId: entry.id, direction: 'in' }))) throw new AlreadyReceived()
  return { outcome: 'threaded', ticketId: ticket.id, entryId: entry.id, messageId: message.messageId }
}

/** The attachment rows of files already in the blob store; binding them to a message is the caller's. */
async function insertFiles(tx: TenantTx, files: readonly StoredMailFile[], actor: TicketActor): Promise<string[]> {
  const ids: string[] = []
  for (const file of files) ids.push((await insertAttachment(tx, { ...file, uploadedBy: actor })).id)
  return ids
}

/** The message text with the notes about files left out, cut to `max` characters (with a note saying so). */
function withNotes(text: string, notes: readonly string[], max: number): string {
  const tail = notes.length ? `\n\n${notes.join('\n')}` : ''
  const body = text || '(no text)'
  const chars = [...body]
  if (chars.length + [...tail].length <= max) return body + tail
  const cut = `\n\n[message shortened: ${chars.length} characters received, the rest was not kept]`
  return chars.slice(0, Math.max(0, max - [...tail].length - [...cut].length)).join('') + cut + tail
}

/** `'in'` / `'out'` when the service already has this Message-ID, else null. */
async function knownDirection(tx: TenantTx, messageId: string): Promise<'in' | 'out' | null> {
  const [row] = await tx.sql<{ direction: 'in' | 'out' }>`SELECT direction FROM ticket_mail_messages WHERE message_id = ${messageId}`
  return row?.direction ?? null
}

/**
 * The ticket this mail answers: by its threading ids, else by the subject reference when the
 * sender is the requester (by `sealedSender`, the blind-index entries of the sender, where the
 * service seals addresses; tickets from before the flag stay plain until resealed).
 */
async function threadTarget(tx: TenantTx, message: InboundMessage, sender: string, sealedSender: readonly string[]): Promise<string | null> {
  const byHeaders = await findThreadTicket(tx, message.threadIds)
  if (byHeaders) return byHeaders
  const number = parseTicketReference(message.subject)
  if (number === null) return null
  const [row] = await tx.sql<{ id: string }>`SELECT id FROM tickets WHERE number = ${number} AND (lower(requester_email) = ${sender.toLowerCase()} OR secret_index && ${sealedSender}::text[])`
  return row?.id ?? null
}
