/**
 * The postgres.js driver: production and the test suite's real PostgreSQL server, and the
 * driver Workers use over TCP.
 *
 * A round trip to the server (a write and a read on both ends of the socket) costs more than
 * most statements, so the driver spends as few as it can:
 * - statements with parameters are prepared, once per connection: later runs are one round trip
 *   where an unnamed statement takes two (describe, then execute);
 * - a transaction's opening (BEGIN and a tenant's prologue) is one message, sent in the same
 *   write as its first statement; statements issued together are pipelined, and COMMIT follows
 *   statements still in flight (see {@link pipelinedTransaction}).
 *
 * Behind a transaction-mode pooler (PgBouncer `pool_mode = transaction`, `directUrl` given),
 * consecutive transactions of one client connection run on different server sessions:
 * - PgBouncer 1.18 keeps no prepared statements across them: statements are sent unnamed (the
 *   describe that precedes the execute ends in a Flush, not a Sync, so both reach one session);
 * - outside a transaction, a statement must not be pipelined behind another on one client
 *   connection: the pooler hands the session back at the first one's end, and the answer to the
 *   second arrives on a session linked to nobody (PgBouncer: "got packet from server when not
 *   linked") and is lost, so its caller waits for ever. Each such statement runs on a client
 *   connection reserved for it alone; inside a transaction, pipelining is safe and stays;
 * - only transaction-local state is used (the tenant prologue is). What lives in a session,
 *   LISTEN, goes to the direct URL, and so do migrations (see `Db.direct`).
 */
import postgres from 'postgres'
import { type Db, type Queryable, queryable, TENANT_PROLOGUE, type TenantScope } from './db.ts'

export interface PostgresOptions {
  /** Pool size per instance. */
  max?: number
  /** Silence server notices (migrations emit many). */
  quiet?: boolean
  /**
   * Given when `url` is a transaction-mode pooler's: the same database straight on the server,
   * for LISTEN and migrations. Statements through the pooler are then never prepared.
   */
  directUrl?: string
}

type Runner = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql
/** Sends a statement on a runner of its choosing: the pool, a connection of its own, a transaction's. */
type Issue = <R>(statement: (run: Runner) => Promise<R>) => Promise<R>

/** A failure of the connection itself (it closes; the pool reconnects), as opposed to an error the server answered. */
const connectionLost = (error: unknown) => !(error instanceof postgres.PostgresError) && typeof error === 'object' && error !== null && 'errno' in error

/** "current transaction is aborted": a statement after a failed one, which says nothing about why. */
const ABORTED = '25P02'

/** postgres.js sends a query when it is first awaited; a transaction sends each at once, so they leave in the order issued. */
const sendNow = <R>(query: Promise<R>): Promise<R> => ('execute' in query ? (query as unknown as postgres.PendingQuery<never>).execute() : query) as Promise<R>


/**
 * One simple-protocol message: the tenant prologue, then the statement. PostgreSQL runs the
 * statements of one message as one implicit transaction (the transaction-local settings hold
 * for the statement) and commits it at the end, or rolls it all back on an error.
 */
function tenantStatementMessage(scope: TenantScope, statement: string): string {
  if (statement.includes(';')) throw new Error('tenantStatement: one statement, without `;`')
  return `${TENANT_PROLOGUE.inline(scope)}; ${statement}`
}

export function postgresDb(url: string, options: PostgresOptions = {}): Db {
  const { directUrl, ...poolOptions } = options
  if (!directUrl) return connectedDb(url, poolOptions, false)
  // One session for migrations; postgres.js opens the listener's connection beside it.
  const direct = connectedDb(directUrl, { quiet: options.quiet, max: 1 }, false)
  const pooled = connectedDb(url, poolOptions, true)
  return {
    ...pooled,
    listen: direct.listen,
    direct,
    async close() {
      await Promise.all([pooled.close(), direct.close()])
    },
  }
}

/** A database over one postgres.js pool; `viaPooler` when its URL is a transaction-mode pooler's (see the header). */
function connectedDb(url: string, options: Omit<PostgresOptions, 'directUrl'>, viaPooler: boolean): Db {
  const prepare = !viaPooler
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare,
    onnotice: options.quiet === false ? undefined : () => {},
    connection: { application_name: 'opencontact' },
    types: {
      // Callers pass jsonb values as JSON text (one convention for both drivers); don't encode twice.
      json: { to: 114, from: [114, 3802], serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)), parse: (x: string) => JSON.parse(x) },
    },
  })
  /** A `Queryable` whose statements `issue` sends on the runner it chooses. */
  const over = (issue: Issue): Queryable =>
    queryable(
      (text, params = []) => issue((run) => run.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: prepare && params.length > 0 })) as never,
      async (script) => void (await issue((run) => run.unsafe(script).simple())),
    )
  const onPool: Issue = (statement) => statement(sql)
  /** Runs one statement outside a transaction on a client connection reserved for it, so nothing is pipelined behind it. */
  const alone: Issue = async (statement) => {
    const conn = await sql.reserve()
    let lost = false
    try {
      return await statement(conn)
    } catch (error) {
      lost = connectionLost(error)
      throw error
    } finally {
      if (!lost) conn.release()
    }
  }
  const outsideTransaction = viaPooler ? alone : onPool

  /**
   * Runs `fn` in a transaction on a connection reserved for it. The connection is reserved, and
   * the `opening` message (BEGIN, and for a tenant its prologue) sent, only when `fn` issues its
   * first statement, in the same write as that statement: a transaction whose function issues
   * none (checks answered from memory) costs no connection and no round trip.
   * COMMIT leaves as soon as `fn` returns, behind any statement still in flight, so a function
   * that issues its writes and returns without awaiting them costs one round trip in all. The
   * first statement that fails fails the transaction, awaited or not: PostgreSQL answers the
   * COMMIT of a failed transaction by rolling it back, and the failure is thrown.
   */
  async function pipelinedTransaction<T>(opening: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let conn: postgres.ReservedSql | undefined
    let reserving: Promise<postgres.ReservedSql> | undefined
    let failure: unknown
    let lost = false
    let finished = false
    const inFlight = new Set<Promise<unknown>>()
    const watch = <R>(query: Promise<R>): Promise<R> => {
      inFlight.add(query)
      query.then(
        () => inFlight.delete(query),
        (error: unknown) => {
          inFlight.delete(query)
          failure ??= error
          lost ||= connectionLost(error)
        },
      )
      return query
    }
    /** The transaction's connection, opened on first use; statements issued before it is ready follow the opening in the order issued. */
    const connection = (): Promise<postgres.ReservedSql> =>
      (reserving ??= sql.reserve().then((reserved) => {
        conn = reserved
        watch(reserved.unsafe(opening).simple().execute()).catch(() => {}) // recorded as `failure`; awaited with the rest before COMMIT
        return reserved
      }))
    const run = <R>(send: (on: postgres.ReservedSql) => Promise<R>): Promise<R> => {
      // A statement issued after the end (a promise chain `fn` left behind) would run on the
      // connection's next transaction, perhaps another tenant's: refuse it.
      if (finished) return Promise.reject(new Error('this transaction has ended; a statement was issued after its function returned'))
      return watch(conn ? send(conn) : connection().then(send))
    }
    const tx = over((statement) => run((on) => sendNow(statement(on))))
    try {
      const result = await fn(tx)
      finished = true
      if (failure) throw failure
      // Nothing was issued: no transaction was opened, nothing to commit.
      if (!reserving) return result
      // Statements issued before the connection was ready are sent first (their callbacks on
      // `reserving` come before this continuation, and each executes its query at once).
      const reserved = await reserving
      const commit = watch(reserved.unsafe('COMMIT').execute())
      await Promise.allSettled([...inFlight])
      await commit.catch(() => {})
      // A statement still in flight may have failed: COMMIT then rolled back.
      if (failure) throw failure
      return result
    } catch (error) {
      finished = true
      const reserved = reserving && (await reserving.catch(() => undefined))
      if (reserved && !lost) await reserved.unsafe('ROLLBACK').catch(() => {})
      throw failure && (error as { code?: string }).code === ABORTED ? failure : error
    } finally {
      // A lost connection is already back in the pool as closed; releasing it would reopen it.
      if (conn && !lost) conn.release()
    }
  }

  return {
    driver: 'postgres',
    ...over(outsideTransaction),
    transaction: (fn) => pipelinedTransaction('BEGIN', fn),
    tenantTransaction: (scope, fn) => pipelinedTransaction(TENANT_PROLOGUE.begin(scope), fn),
    async tenantStatement(scope, statement) {
      const message = tenantStatementMessage(scope, statement)
      const [, rows] = (await outsideTransaction((run) => run.unsafe(message).simple())) as unknown as [unknown, never[]]
      return rows
    },
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await sql.listen(channel, onNotify, onListen)
      return unlisten
    },
    close: () => sql.end({ timeout: 5 }),
  }
}
