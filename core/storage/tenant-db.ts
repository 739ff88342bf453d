/** Binds the database to one tenant for a request: every `tx` runs under that tenant's RLS scope. */
import type { TenantDb } from '../api/context.ts'
import { appendEvent, type EventCatalogue } from '../events/outbox.ts'
import type { Db, TenantScope } from './db.ts'

export function tenantDb(db: Db, scope: TenantScope, catalogue: EventCatalogue): TenantDb {
  return {
    scope,
    tx: (fn) => db.tenantTransaction(scope, (raw) => fn({ ...raw, emit: (type, payload) => appendEvent(raw, catalogue, type, payload) })),
  }
}
