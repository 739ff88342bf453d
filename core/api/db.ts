/**
 * The storage contract every driver implements and every handler sees: parameterised queries,
 * transactions, and tenant transactions under row-level security. The drivers and the `sql`
 * helpers are in storage/.
 */

/** A row as the database returns it. */
export type Row = Record<string, unknown>

/** Anything that runs statements: a pool, or one transaction. */
export interface Queryable {
  /** Runs one statement with `$n` placeholders. */
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>
  /** Tagged-template form: values become parameters, never SQL text. */
  sql<T = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>
}

/** The tenant a transaction is scoped to; RLS policies read these settings. */
export interface TenantScope {
  readonly orgId: string
  readonly serviceId: string
}

export interface Db extends Queryable {
  /** Which driver this is; only for messages and for tests that need to tell. */
  readonly driver: 'postgres' | 'pglite'
  /** Runs `fn` in one transaction as the connecting (owner) role. Platform code only. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Runs `fn` in one transaction as the application role with the tenant set
   * transaction-locally, so row-level security limits every statement to that tenant.
   */
  tenantTransaction<T>(scope: TenantScope, fn: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Runs one statement without parameters as a tenant transaction of its own, committed as soon
   * as it has run: one round trip, so a row it locks (a counter) is held only while the server
   * runs it, not while the answer travels back and COMMIT comes. Absent where the driver cannot
   * beat {@link tenantTransaction}; callers fall back to it.
   */
  tenantStatement?<T = Row>(scope: TenantScope, statement: string): Promise<T[]>
  /** Subscribes to a NOTIFY channel; `onListen` runs on every (re)connect. Absent where unsupported. */
  listen?(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>
  /**
   * The same database reached directly, where this one goes through a transaction-mode pooler
   * (which hands each transaction to whichever server session is free): for long work that
   * should neither hold one of the pooler's few server connections nor meet its timeouts
   * (migrations). `listen` uses it already, since a LISTEN lives in a session. Absent when this
   * database is reached directly; closed with this one.
   */
  readonly direct?: Db
  close(): Promise<void>
}
