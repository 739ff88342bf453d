/**
 * Storage helpers every driver shares: the tagged-template compiler, the tenant transaction
 * prologue and the app role. The storage contract itself (`Db`, `Queryable`, `TenantScope`)
 * is part of the plugin contract (api/db.ts) and re-exported here for the drivers.
 *
 * Handlers never see a driver: they get a {@link Queryable} inside a transaction. Statements are
 * written with the {@link sql} tag or as text with `$1` placeholders.
 */
import { isUuid } from '../uuid.ts'
import type { Queryable, TenantScope } from '../api/db.ts'

export type { Db, Queryable, Row, TenantScope } from '../api/db.ts'

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
    sql(strings, ...values) {
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
