/**
 * The database as a plugin's handlers see it: one tenant, one transaction per change, under
 * row-level security, with `emit` writing events to the outbox in the same transaction. The
 * platform's implementation is storage/tenant-db.ts.
 */
import type { Queryable, TenantScope } from './db.ts'

/** A transaction scoped to one tenant: row-level security limits it, and events it emits commit with it. */
export interface TenantTx extends Queryable {
  /**
   * Records an event in the outbox inside this transaction: it is delivered if and only if the
   * transaction commits. Returns the event id.
   */
  emit(type: string, payload: unknown): Promise<string>
}

/** The database as a request handler sees it: one tenant, one transaction per change. */
export interface TenantDb {
  readonly scope: TenantScope
  tx<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T>
}
