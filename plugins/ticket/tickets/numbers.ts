/**
 * Ticket numbers for creates, taken from `ticket_counters` in statements of their own (see
 * `ids.ts`), shared by the creates waiting at the same time.
 *
 * Every number of a service comes from one counter row. One statement per create would make
 * concurrent creates of a busy service queue on that row's lock, one round trip each. Instead
 * each service has at most one counter statement in flight per instance: creates that ask
 * while it runs wait for the next one, which takes as many numbers as they are, in one
 * statement, and hands them out in the order they asked. A quiet service still takes one
 * number per statement; a busy one takes one statement per burst. Numbers stay unique and
 * increasing per service (other instances take theirs from the same row); creates ask only
 * after validation (`create.ts`), so a number is lost only when its create fails while writing.
 *
 * Where the database has no LISTEN (Workers), connections belong to the request that opened
 * them, so one request's statement must not answer another's: there every create takes its
 * own number.
 */
import type { PluginContext, TenantDb } from '../../../core/mod.ts'
import { takeNumbersStatement } from './ids.ts'

interface Waiter {
  readonly tenant: TenantDb
  resolve(number: number): void
  reject(error: unknown): void
}

type TakeNumber = (tenant: TenantDb) => Promise<number>

const allocators = new WeakMap<PluginContext['db'], TakeNumber>()

/**
 * `take(tenant)`: the next ticket number of the tenant's service, committed before it resolves.
 * One per platform database, so every create path of an instance (API, compat, mail) shares it.
 */
export function ticketNumbers(db: PluginContext['db']): TakeNumber {
  let take = allocators.get(db)
  if (!take) allocators.set(db, (take = numberAllocator(db)))
  return take
}

/** The last of `count` numbers taken for the tenant's service in one committed statement. */
async function lastOf(db: PluginContext['db'], tenant: TenantDb, count: number): Promise<number> {
  const statement = takeNumbersStatement(count)
  const [row] = db.tenantStatement
    ? await db.tenantStatement<{ last_number: string | number }>(tenant.scope, statement)
    : await tenant.tx((tx) => tx.query<{ last_number: string | number }>(statement))
  return Number(row!.last_number)
}

function numberAllocator(db: PluginContext['db']): TakeNumber {
  if (!db.listen) return (tenant) => lastOf(db, tenant, 1)
  /** Per service while a statement is in flight: the creates that asked since it left. */
  const waiting = new Map<string, Waiter[]>()

  async function serve(service: string, batch: Waiter[]): Promise<void> {
    for (;;) {
      try {
        const last = await lastOf(db, batch[0]!.tenant, batch.length)
        batch.forEach((waiter, i) => waiter.resolve(last - batch.length + 1 + i))
      } catch (error) {
        for (const waiter of batch) waiter.reject(error)
      }
      const next = waiting.get(service)!
      if (next.length === 0) {
        waiting.delete(service)
        return
      }
      waiting.set(service, [])
      batch = next
    }
  }

  return (tenant) =>
    new Promise<number>((resolve, reject) => {
      const service = tenant.scope.serviceId
      const queue = waiting.get(service)
      if (queue) {
        queue.push({ tenant, resolve, reject })
        return
      }
      waiting.set(service, [])
      void serve(service, [{ tenant, resolve, reject }])
    })
}
