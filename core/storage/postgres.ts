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

/**
 * One pipelined transaction's state (see `pipelinedTransaction`): its connection, reserved on
 * first use, the statements in flight and the first failure. A class rather than closures per
 * transaction: where the code runs through tsx, every named function made at run time is also
 * renamed, a runtime call of about a microsecond each.
 */
class Pipeline {
  conn: postgres.ReservedSql | undefined
  reserving: Promise<postgres.ReservedSql> | undefined
  failure: unknown
  lost = false
  finished = false
  readonly inFlight = new Set<Promise<unknown>>()

  constructor(
    private readonly pool: postgres.Sql,
    private readonly opening: string,
  ) {}

  /** Tracks `query` until it settles; its failure becomes the transaction's, awaited or not. */
  watch<R>(query: Promise<R>): Promise<R> {
    this.inFlight.add(query)
    query.then(
      () => this.inFlight.delete(query),
      (error: unknown) => {
        this.inFlight.delete(query)
        this.failure ??= error
        this.lost ||= connectionLost(error)
      },
    )
    return query
  }

  /** The transaction's connection, opened on first use; statements issued before it is ready follow the opening in the order issued. */
  connection(): Promise<postgres.ReservedSql> {
    return (this.reserving ??= this.pool.reserve().then((reserved) => {
      this.conn = reserved
      this.watch(reserved.unsafe(this.opening).simple().execute()).catch(() => {}) // recorded as `failure`; awaited with the rest before COMMIT
      return reserved
    }))
  }

  run<R>(send: (on: postgres.ReservedSql) => Promise<R>): Promise<R> {
    // A statement issued after the end (a promise chain the function left behind) would run on
    // the connection's next transaction, perhaps another tenant's: refuse it.
    if (this.finished) return Promise.reject(new Error('this transaction has ended; a statement was issued after its function returned'))
    return this.watch(this.conn ? send(this.conn) : this.connection().then(send))
  }
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

/**
 * The opening message of a scope's tenant transactions, made once per scope object (a tenant's
 * bound database keeps one for all its requests) and made again if the object's ids changed.
 */
const openings = new WeakMap<TenantScope, { orgId: string; serviceId: string; text: string }>()
function openingOf(scope: TenantScope): string {
  const known = openings.get(scope)
  if (known && known.orgId === scope.orgId && known.serviceId === scope.serviceId) return known.text
  const text = TENANT_PROLOGUE.begin(scope)
  openings.set(scope, { orgId: scope.orgId, serviceId: scope.serviceId, text })
  return text
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
    const pipeline = new Pipeline(sql, opening)
    const tx = over((statement) => pipeline.run((on) => sendNow(statement(on))))
    try {
      const result = await fn(tx)
      pipeline.finished = true
      if (pipeline.failure) throw pipeline.failure
      // Nothing was issued: no transaction was opened, nothing to commit.
      if (!pipeline.reserving) return result
      // Statements issued before the connection was ready are sent first (their callbacks on
      // `reserving` come before this continuation, and each executes its query at once).
      const reserved = await pipeline.reserving
      const commit = pipeline.watch(reserved.unsafe('COMMIT').execute())
      await Promise.allSettled([...pipeline.inFlight])
      await commit.catch(() => {})
      // A statement still in flight may have failed: COMMIT then rolled back.
      if (pipeline.failure) throw pipeline.failure
      return result
    } catch (error) {
      pipeline.finished = true
      const reserved = pipeline.reserving && (await pipeline.reserving.catch(() => undefined))
      if (reserved && !pipeline.lost) await reserved.unsafe('ROLLBACK').catch(() => {})
      throw pipeline.failure && (error as { code?: string }).code === ABORTED ? pipeline.failure : error
    } finally {
      // A lost connection is already back in the pool as closed; releasing it would reopen it.
      if (pipeline.conn && !pipeline.lost) pipeline.conn.release()
    }
  }

  return {
    driver: 'postgres',
    ...over(outsideTransaction),
    transaction: (fn) => pipelinedTransaction('BEGIN', fn),
    tenantTransaction: (scope, fn) => pipelinedTransaction(openingOf(scope), fn),
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
