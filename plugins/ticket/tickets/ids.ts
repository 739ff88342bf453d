/**
 * Ticket identifiers. Every ticket has three:
 * - `id`: a random uuid, the key in URLs and events (stable and unguessable); made here rather
 *   than by the database, so a create can issue the ticket's history, event and audit rows
 *   together with its insert instead of waiting for the id;
 * - `number`: 1, 2, 3… per service, what agents say aloud ("ticket 1042"); taken from
 *   `ticket_counters` in the create's own transaction (the caller's), as its last statement
 *   before the writes and only once the create passed validation (`create.ts`): unique,
 *   increasing and without gaps, since a create that fails or rolls back gives its number back;
 * - `ticketId`: the compat form the seed product's Open API returns ("T1658199661153IXTfw"):
 *   `T`, the creation time in epoch ms, five random letters; unique per service.
 */
import type { Queryable } from '../../../core/mod.ts'

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function newTicketId(): string {
  return crypto.randomUUID()
}

export function compatTicketId(now = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(5))
  return `T${now}${[...random].map((b) => LETTERS[b % LETTERS.length]).join('')}`
}

/** Takes `count` numbers at once; the answer is the last of them. `count` is written in: a statement of its own may not carry parameters (see `tenantStatement`). */
export function takeNumbersStatement(count: number): string {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`takeNumbersStatement: count must be a positive integer, not ${count}`)
  return `INSERT INTO ticket_counters (last_number) VALUES (${count})
  ON CONFLICT (service_id) DO UPDATE SET last_number = ticket_counters.last_number + ${count}
  RETURNING last_number`
}

/** The next ticket number of the tenant of `tx`; the counter row stays locked until `tx` ends, so take it last. */
export async function nextTicketNumber(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ last_number: string | number }>(takeNumbersStatement(1))
  return Number(row!.last_number)
}
