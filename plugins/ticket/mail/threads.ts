/**
 * Mail threads: which Message-ID belongs to which ticket (`ticket_mail_messages`).
 *
 * Every mail the service sends about a ticket (direction `out`) and every mail it takes in for
 * one (direction `in`) is recorded here, so that
 * - an incoming reply finds its ticket through its In-Reply-To / References ids
 *   ({@link findThreadTicket});
 * - an outgoing reply carries In-Reply-To / References that mail clients thread
 *   ({@link threadHeaders});
 * - a message taken in twice (IMAP re-poll, a provider retrying a web hook, the same mail in two
 *   mailboxes) is seen as a duplicate: the unique key on (service, Message-ID) makes
 *   {@link recordMailMessage} answer `false` the second time, inside the caller's transaction.
 *
 * Message-IDs are stored in their header form with angle brackets (`<local@domain>`), compared
 * exactly (RFC 5322 gives them no case folding); callers may pass them with or without brackets.
 */
import type { Migration, Queryable } from '../../../core/mod.ts'

export const mailThreadMigration: Migration = {
  id: '0006_mail_threads',
  sql: `
    CREATE TABLE ticket_mail_messages (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      -- Insertion order: several messages of one transaction share created_at.
      seq bigint GENERATED ALWAYS AS IDENTITY,
      message_id text NOT NULL,
      ticket_id uuid NOT NULL,
      entry_id uuid,
      direction text NOT NULL CHECK (direction IN ('in', 'out')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, seq),
      UNIQUE (service_id, message_id),
      FOREIGN KEY (service_id, ticket_id) REFERENCES tickets (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_mail_messages_by_ticket ON ticket_mail_messages (service_id, ticket_id, seq);
    SELECT oc_tenant_table('ticket_mail_messages');`,
}

/** Longest Message-ID kept; longer ones are not real mail (RFC 5322 lines are at most 998 octets). */
const MAX_MESSAGE_ID = 998
/** How many ids an outgoing References header carries: the thread's first, then the latest ones. */
const MAX_REFERENCES = 20

/** `<local@domain>` for `local@domain` or `<local@domain>`; null for an empty or oversized id. */
export function normalizeMessageId(id: string): string | null {
  const bare = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim()
  if (!bare || bare.length > MAX_MESSAGE_ID - 2 || /[\s<>]/.test(bare)) return null
  return `<${bare}>`
}

/** Every `<id>` in a header value such as References or In-Reply-To, in order, without repeats. */
export function messageIdsIn(header: string | undefined | null): string[] {
  if (!header) return []
  const ids: string[] = []
  for (const match of header.matchAll(/<([^<>\s]+)>/g)) {
    const id = normalizeMessageId(match[1]!)
    if (id && !ids.includes(id)) ids.push(id)
  }
  return ids
}

/**
 * Records a message of a ticket's thread in the tenant of `tx`.
 * Returns false when the service already knows this Message-ID (a duplicate): nothing is written.
 */
export async function recordMailMessage(
  tx: Queryable,
  m: { messageId: string; ticketId: string; entryId?: string | null; direction: 'in' | 'out' },
): Promise<boolean> {
  const messageId = normalizeMessageId(m.messageId)
  if (!messageId) throw new TypeError(`recordMailMessage: '${m.messageId}' is not a Message-ID`)
  const rows = await tx.sql<{ seq: unknown }>`
    INSERT INTO ticket_mail_messages (message_id, ticket_id, entry_id, direction)
    VALUES (${messageId}, ${m.ticketId}, ${m.entryId ?? null}, ${m.direction})
    ON CONFLICT (service_id, message_id) DO NOTHING
    RETURNING seq`
  return rows.length > 0
}

/** Whether the service of `tx` already knows this Message-ID (sent or received). */
export async function isKnownMessage(tx: Queryable, messageId: string): Promise<boolean> {
  const id = normalizeMessageId(messageId)
  if (!id) return false
  const rows = await tx.sql`SELECT 1 FROM ticket_mail_messages WHERE message_id = ${id}`
  return rows.length > 0
}

/**
 * The ticket of the first id in `messageIds` the service knows, or null. Pass ids in order of
 * preference: In-Reply-To first, then References from the newest to the oldest.
 */
export async function findThreadTicket(tx: Queryable, messageIds: readonly string[]): Promise<string | null> {
  const ids = messageIds.map(normalizeMessageId).filter((id): id is string => id !== null)
  if (ids.length === 0) return null
  // A JSON array parameter: the same on postgres.js and PGlite, whatever characters an id holds.
  const rows = await tx.sql<{ message_id: string; ticket_id: string }>`
    SELECT message_id, ticket_id::text AS ticket_id FROM ticket_mail_messages
    WHERE message_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
  const byId = new Map(rows.map((r) => [r.message_id, r.ticket_id]))
  for (const id of ids) {
    const ticketId = byId.get(id)
    if (ticketId) return ticketId
  }
  return null
}

/**
 * Threading headers for an outgoing mail about a ticket: In-Reply-To is the customer's latest
 * message (what the reply answers), or the thread's latest when none came in; References holds
 * the thread's first message and its latest ones, oldest first (RFC 5322 §3.6.4), so clients
 * thread it even when the middle was trimmed.
 */
export async function threadHeaders(tx: Queryable, ticketId: string): Promise<{ inReplyTo?: string; references: string[] }> {
  const rows = await tx.sql<{ message_id: string; direction: 'in' | 'out' }>`
    SELECT message_id, direction FROM ticket_mail_messages WHERE ticket_id = ${ticketId} ORDER BY seq`
  if (rows.length === 0) return { references: [] }
  const latestIn = rows.findLast((r) => r.direction === 'in')
  const inReplyTo = (latestIn ?? rows[rows.length - 1]!).message_id
  const ids = rows.map((r) => r.message_id)
  const references = ids.length <= MAX_REFERENCES ? ids : [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))]
  return { inReplyTo, references }
}
