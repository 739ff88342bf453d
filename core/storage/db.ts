/**
 * The storage contract every driver implements: parameterised queries, transactions, tenant
 * transactions under row-level security, and (where the driver can) LISTEN/NOTIFY.
 *
 * Handlers never see a driver: they get a {@link Queryable} inside a transaction. Statements are
 * written with the {@link sql} tag or as text with `$1` placeholders.
 */
import { isUuid } from '../uuid.ts'

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
  close(): Promise<void>
}

/** The role tenant transactions switch to; it owns nothing and cannot bypass RLS. */
export const APP_ROLE = 'opencontact_app'

/** Turns a tagged template into text with `$n` placeholders and its parameter list. */
export function compileSql(strings: TemplateStringsArray, values: readonly unknown[]): { text: string; params: unknown[] } {
  let text = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1] ?? ''}`
  return { text, params: [...values] }
}

/** Gives a plain `query` function the tagged-template form too. */
export function queryable(query: Queryable['query'], exec: Queryable['exec']): Queryable {
  return {
    query,
    exec,
    sql: (strings, ...values) => {
      const { text, params } = compileSql(strings, values)
      return query(text, params)
    },
  }
}

/**
 * The one statement that opens a tenant transaction: drop to the app role (`set_config('role')`
 * is `SET LOCAL ROLE`) and set the tenant, transaction-locally. One statement, so drivers can
 * send it in the same round trip as BEGIN and the transaction's first statements.
 */
export const TENANT_PROLOGUE = {
  text: `SELECT set_config('role', $1, true), set_config('app.org_id', $2, true), set_config('app.service_id', $3, true)`,
  params: (scope: TenantScope): string[] => [APP_ROLE, scope.orgId, scope.serviceId],
  /**
   * The same statement as text, for simple-protocol messages (which cannot carry parameters):
   * the ids are written in, and only in the one shape they can have.
   */
  inline(scope: TenantScope): string {
    if (!isUuid(scope.orgId) || !isUuid(scope.serviceId)) throw new Error('tenant scope: the org and service ids must be uuids')
    const params = TENANT_PROLOGUE.params(scope)
    return TENANT_PROLOGUE.text.replace(/\$(\d)/g, (_, n: string) => `'${params[Number(n) - 1]}'`)
  },
  /** How a tenant transaction opens: BEGIN and the prologue, one simple-protocol message. */
  begin(scope: TenantScope): string {
    return `BEGIN; ${TENANT_PROLOGUE.inline(scope)}`
  },
} as const
