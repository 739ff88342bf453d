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
 * 5. ONE tenant transaction: the ticket or the reply through the tickets service (its number,
 *    attachments, history, events and audit entry, as for the API), and the thread record
 *    (`recordMailMessage`, whose unique key settles a race between two deliveries of the same
 *    message: the loser rolls back and answers `duplicate`), so triggers and reply mail follow
 *    only a committed intake.
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
import type { TicketsCaller } from '../../api.ts'
import { storedActor, type TicketActor } from '../../tickets/actor.ts'
import { findTicket, insertAttachment, type TicketRow } from '../../tickets/store.ts'
import { ticketsService, type TicketsInternals } from '../../tickets/service.ts'
import { requesterEmailSealed, requesterEmailTokens } from '../../tickets/requester-email.ts'
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
  // Where addresses are sealed, the sender's address stays out of history and entry labels too.
  const caller: TicketsCaller = { service: service.tenant.service, actor: { kind: 'mail', label: seen.sealed ? from.name || null : from.address } }
  const tickets = ticketsService(ctx)
  try {
    const taken = await db.tx(async (tx) => {
      const ticket = seen.target ? await findTicket(tx, seen.target, true) : null
      if (ticket) return { outcome: await addReply(tx, tickets, caller, ticket, message, files.stored, files.notes), committed: () => {} }
      // The ticket went away between the read and now: the mail starts a ticket of its own.
      return createTicket(tx, tickets, caller, message, files.stored, files.notes, source)
    })
    taken.committed()
    return taken.outcome
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

/**
 * A new ticket from the mail, through the tickets service's create path: the form of a mail
 * (`fieldSpecFor`: nothing required, since a mail fills in no form; what it carries is checked),
 * personal-info sealing of the sender's address where the service seals addresses, the number,
 * history, `ticket.created` and the audit entry, as for an API create. Banned words are not
 * applied: they guard what agents write (T8), never what customers send, by mail or otherwise.
 * The subject and text are shaped to the API's limits first (a blank one says so), so a mail is
 * never refused for them.
 */
async function createTicket(tx: TenantTx, tickets: TicketsInternals, caller: TicketsCaller, message: InboundMessage, files: readonly StoredMailFile[], notes: readonly string[], source: MailSource): Promise<{ outcome: ReceiveOutcome; committed(): void }> {
  const from = message.from!
  const attachmentIds = await insertFiles(tx, files, storedActor(caller.actor))
  const created = await tickets.createTicket(
    tx,
    caller,
    {
      // The subject is one line of at most 200 characters already (parse.ts).
      title: message.subject.trim() || '(no subject)',
      content: withNotes(message.text, notes, MAX_CONTENT),
      channel: 'email',
      language: null,
      requester: { email: from.address, name: from.name || null, memberId: null, usercode: null },
      assigneeAgentId: null,
      assigneeGroupId: null,
      intakeCategoryId: null,
      processingCategoryId: null,
      fields: {},
      attachmentIds,
    },
    { history: { via: source.kind }, audit: { via: `mail-${source.kind}` } },
  )
  if (!(await recordMailMessage(tx, { messageId: message.messageId, ticketId: created.row.id, entryId: null, direction: 'in' }))) throw new AlreadyReceived()
  return { outcome: { outcome: 'created', ticketId: created.row.id, entryId: null, messageId: message.messageId }, committed: created.committed }
}

async function addReply(tx: TenantTx, tickets: TicketsInternals, caller: TicketsCaller, ticket: TicketRow, message: InboundMessage, files: readonly StoredMailFile[], notes: readonly string[]): Promise<ReceiveOutcome> {
  const attachmentIds = await insertFiles(tx, files, storedActor(caller.actor))
  const added = await tickets.addTicketEntry(tx, caller, ticket.id, { kind: 'customer-reply', content: withNotes(message.text, notes, MAX_ENTRY), attachmentIds }, { ticket })
  if (!(await recordMailMessage(tx, { messageId: message.messageId, ticketId: ticket.id, entryId: added!.entry.id, direction: 'in' }))) throw new AlreadyReceived()
  return { outcome: 'threaded', ticketId: ticket.id, entryId: added!.entry.id, messageId: message.messageId }
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
  const body = text.trim() ? text : '(no text)'
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
