/**
 * Ticket identifiers. Every ticket has three:
 * - `id`: a random uuid, the key in URLs and events (stable and unguessable); made here rather
 *   than by the database, so a create can issue the ticket's history, event and audit rows
 *   together with its insert instead of waiting for the id;
 * - `number`: 1, 2, 3… per service, what agents say aloud ("ticket 1042"); handed out from
 *   `ticket_counters` in a transaction of its own just before the create (so the counter row is
 *   locked for one statement, not for the whole create; where the driver can, that transaction
 *   is one round trip, so the lock is not held while the answer travels): unique and
 *   increasing, with a gap where a create failed after taking its number;
 * - `ticketId`: the compat form the seed product's Open API returns ("T1658199661153IXTfw"):
 *   `T`, the creation time in epoch ms, five random letters; unique per service.
 */
import type { PluginContext, Queryable, TenantDb } from '../../../core/mod.ts'

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function newTicketId(): string {
  return crypto.randomUUID()
}

export function compatTicketId(now = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(5))
  return `T${now}${[...random].map((b) => LETTERS[b % LETTERS.length]).join('')}`
}

const NEXT_NUMBER = `INSERT INTO ticket_counters (last_number) VALUES (1)
  ON CONFLICT (service_id) DO UPDATE SET last_number = ticket_counters.last_number + 1
  RETURNING last_number`

/** The next ticket number of the tenant of `tx`; run it in a transaction of its own (the row stays locked until commit). */
export async function nextTicketNumber(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ last_number: string | number }>(NEXT_NUMBER)
  return Number(row!.last_number)
}

/**
 * The next ticket number of `tenant`'s service, committed before it returns: as a one-statement
 * tenant transaction on `db` (the platform database, see `tenantStatement`) where the driver
 * offers it, else in a transaction of its own.
 */
export async function takeTicketNumber(db: PluginContext['db'], tenant: TenantDb): Promise<number> {
  if (!db.tenantStatement) return tenant.tx((tx) => nextTicketNumber(tx))
  const [row] = await db.tenantStatement<{ last_number: string | number }>(tenant.scope, NEXT_NUMBER)
  return Number(row!.last_number)
}
