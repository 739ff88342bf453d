/**
 * Ticket identifiers. Every ticket has three:
 * - `id`: a random uuid, the key in URLs and events (stable and unguessable); made here rather
 *   than by the database, so a create can issue the ticket's history, event and audit rows
 *   together with its insert instead of waiting for the id;
 * - `number`: 1, 2, 3… per service, what agents say aloud ("ticket 1042"); handed out from
 *   `ticket_counters` in a transaction of its own just before the create, so the counter row is
 *   locked for one statement, not for the whole create (see `numbers.ts`), and only once the
 *   create passed validation (`create.ts`): unique and increasing, with a gap only where a
 *   create failed while writing, after taking its number;
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

/** The next ticket number of the tenant of `tx`; run it in a transaction of its own (the row stays locked until commit). */
export async function nextTicketNumber(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ last_number: string | number }>(takeNumbersStatement(1))
  return Number(row!.last_number)
}
