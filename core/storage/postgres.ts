/**
 * The postgres.js driver: production and the test suite's real PostgreSQL server, and the
 * driver Workers use over TCP.
 *
 * A round trip to the server (a write and a read on both ends of the socket) costs more than
 * most statements, so the driver spends as few as it can:
 * - statements with parameters are prepared, once per connection: later runs are one round trip
 *   where an unnamed statement takes two (describe, then execute);
 * - a transaction sends BEGIN (and a tenant's prologue) in the same write as its first
 *   statement, and statements issued together are pipelined (see {@link pipelinedTransaction}).
 */
import postgres from 'postgres'
import { APP_ROLE, type Db, type Queryable, queryable, TENANT_PROLOGUE, type TenantScope } from './db.ts'
import { isUuid } from '../uuid.ts'

export interface PostgresOptions {
  /** Pool size per instance. */
  max?: number
  /** Silence server notices (migrations emit many). */
  quiet?: boolean
}

type Runner = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql

/** A failure of the connection itself (it closes; the pool reconnects), as opposed to an error the server answered. */
const connectionLost = (error: unknown) => !(error instanceof postgres.PostgresError) && typeof error === 'object' && error !== null && 'errno' in error

/** "current transaction is aborted": a statement after a failed one, which says nothing about why. */
const ABORTED = '25P02'


/**
 * One simple-protocol message: the tenant prologue, then the statement. PostgreSQL runs the
 * statements of one message as one implicit transaction (the transaction-local settings hold
 * for the statement) and commits it at the end, or rolls it all back on an error. The message
 * cannot carry parameters, so the ids are written in, and only in the one shape they can have.
 */
function tenantStatementMessage(scope: TenantScope, statement: string): string {
  if (!isUuid(scope.orgId) || !isUuid(scope.serviceId)) throw new Error('tenantStatement: the tenant scope must be two uuids')
  if (statement.includes(';')) throw new Error('tenantStatement: one statement, without `;`')
  return `SELECT set_config('role', '${APP_ROLE}', true), set_config('app.org_id', '${scope.orgId}', true), set_config('app.service_id', '${scope.serviceId}', true); ${statement}`
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
  const over = (run: Runner, issue: <R>(query: () => Promise<R>) => Promise<R> = (query) => query()): Queryable =>
    queryable(
      (text, params = []) => issue(() => run.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: params.length > 0 })) as never,
      async (script) => void (await issue(() => run.unsafe(script).simple())),
    )

  /**
   * Runs `fn` in a transaction on a connection reserved for it. BEGIN and the `opening`
   * statements are not awaited: they leave in the same write as the first statement `fn` issues,
   * so a transaction whose statements are issued together costs two round trips (everything,
   * then COMMIT). The first statement that fails fails the transaction, awaited or not.
   */
  async function pipelinedTransaction<T>(opening: readonly [text: string, params: string[]][], fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const conn = await sql.reserve()
    let failure: unknown
    let lost = false
    let finished = false
    const watch = <R>(query: Promise<R>): Promise<R> => {
      query.catch((error: unknown) => {
        failure ??= error
        lost ||= connectionLost(error)
      })
      return query
    }
    const tx = over(conn, (query) => {
      // A statement issued after the end (a promise chain `fn` left behind) would run on the
      // connection's next transaction, perhaps another tenant's: refuse it.
      if (finished) return Promise.reject(new Error('this transaction has ended; a statement was issued after its function returned'))
      return watch(query())
    })
    try {
      const opened = Promise.all([tx.exec('BEGIN'), ...opening.map(([text, params]) => tx.query(text, params))])
      opened.catch(() => {}) // recorded as `failure` by `watch`; awaited below when `fn` returns
      const result = await fn(tx)
      await opened
      if (failure) throw failure
      finished = true
      await watch(conn.unsafe('COMMIT'))
      // A statement `fn` did not await may have failed after the check above: COMMIT then rolled back.
      if (failure) throw failure
      return result
    } catch (error) {
      finished = true
      if (!lost) await conn.unsafe('ROLLBACK').catch(() => {})
      throw failure && (error as { code?: string }).code === ABORTED ? failure : error
    } finally {
      // A lost connection is already back in the pool as closed; releasing it would reopen it.
      if (!lost) conn.release()
    }
  }

  return {
    driver: 'postgres',
    ...over(sql),
    transaction: (fn) => pipelinedTransaction([], fn),
    tenantTransaction: (scope, fn) => pipelinedTransaction([[TENANT_PROLOGUE.text, TENANT_PROLOGUE.params(scope)]], fn),
    async tenantStatement(scope, statement) {
      const [, rows] = (await sql.unsafe(tenantStatementMessage(scope, statement)).simple()) as unknown as [unknown, never[]]
      return rows
    },
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await sql.listen(channel, onNotify, onListen)
      return unlisten
    },
    close: () => sql.end({ timeout: 5 }),
  }
}
