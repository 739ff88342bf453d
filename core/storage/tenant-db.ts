/**
 * Binds the database to one tenant for a request: every `tx` runs under that tenant's RLS scope,
 * and collects its events and audit entries into one statement (pending-records.ts).
 */
import type { TenantDb } from '../api/context.ts'
import { appendEvent, type EventCatalogue } from '../events/outbox.ts'
import type { Db, TenantScope } from './db.ts'
import { collectRecords } from './pending-records.ts'

export function tenantDb(db: Db, scope: TenantScope, catalogue: EventCatalogue): TenantDb {
  return {
    scope,
    async tx(fn) {
      let records: ReturnType<typeof collectRecords> | undefined
      try {
        return await db.tenantTransaction(scope, async (raw) => {
          records = collectRecords(raw)
          const tx = records.tx
          const result = await fn({
            ...tx,
            emit(type, payload) {
              return appendEvent(tx, catalogue, type, payload)
            },
          })
          // Not awaited: the driver sends COMMIT behind it, and fails the transaction if it fails.
          records.flush()
          return result
        })
      } catch (error) {
        // The failed write of records nobody awaited says more than the rolled-back COMMIT.
        throw records?.failure ?? error
      }
    },
  }
}
