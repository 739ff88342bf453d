/**
 * The postgres.js driver: production and the test suite's real PostgreSQL server, and the
 * driver Workers use over TCP.
 */
import postgres from 'postgres'
import { type Db, type Queryable, queryable, TENANT_PROLOGUE } from './db.ts'

export interface PostgresOptions {
  /** Pool size per instance. */
  max?: number
  /** Silence server notices (migrations emit many). */
  quiet?: boolean
}

export function postgresDb(url: string, options: PostgresOptions = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: options.quiet === false ? undefined : () => {},
    connection: { application_name: 'opencontact' },
    types: {
      // Callers pass jsonb values as JSON text (one convention for both drivers); don't encode twice.
      json: { to: 114, from: [114, 3802], serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)), parse: (x: string) => JSON.parse(x) },
    },
  })
  const over = (run: postgres.Sql | postgres.TransactionSql): Queryable =>
    queryable(
      (text, params = []) => run.unsafe(text, params as postgres.ParameterOrJSON<never>[]) as never,
      async (script) => void (await run.unsafe(script).simple()),
    )

  return {
    driver: 'postgres',
    ...over(sql),
    transaction: (fn) => sql.begin((tx) => fn(over(tx))) as never,
    tenantTransaction: (scope, fn) =>
      sql.begin(async (tx) => {
        await tx.unsafe(TENANT_PROLOGUE.role)
        await tx.unsafe(TENANT_PROLOGUE.scope, [scope.orgId, scope.serviceId])
        return fn(over(tx))
      }) as never,
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await sql.listen(channel, onNotify, onListen)
      return unlisten
    },
    close: () => sql.end({ timeout: 5 }),
  }
}
