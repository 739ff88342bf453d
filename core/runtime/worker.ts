/**
 * Cloudflare Workers (workerd): a module-worker entry that serves a platform. It owns what is
 * different there: configuration comes from bindings (`env`), not `process.env`; the database is
 * postgres.js over TCP (PGlite cannot run in workerd); Swagger UI's files are bundled into the
 * script, as there is no file system; and the platform lives as long as the isolate does while
 * database connections live as long as a request does. Needs the `nodejs_compat` flag (for
 * `AsyncLocalStorage` and postgres.js).
 *
 * A bundle's entry file:
 *
 * ```ts
 * import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' }
 * import swaggerJs from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' }
 * export default createWorker({
 *   plugins: [ticket, chat],
 *   docsAssets: bundledDocsAssets({ 'swagger-ui.css': swaggerCss, 'swagger-ui-bundle.js': swaggerJs }),
 * })
 * ```
 *
 * Migrations are not run here by default: run `opencontact migrate` against `DATABASE_URL`
 * before deploying (ARCHITECTURE.md §4: never on a request path, and isolates start often).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Plugin } from '../api/define.ts'
import { createPlatform, type Platform } from '../platform.ts'
import { postgresDb } from '../storage/postgres.ts'
import type { Db } from '../storage/db.ts'
import type { DocsAssetName, DocsAssetReader } from '../http/docs.ts'
import { createLogger, type LogLevel, type Logger } from '../log.ts'
import { parseOutboundAllowlist } from '../http/outbound.ts'

/** The bindings a worker reads (wrangler `vars`/secrets, or a Hyperdrive connection string). */
export interface WorkerEnv {
  /** PostgreSQL connection URL; through Hyperdrive in production. */
  DATABASE_URL: string
  /** Enables `{org}.{OC_BASE_DOMAIN}` host names. */
  OC_BASE_DOMAIN?: string
  /** Largest request body in bytes. */
  OC_BODY_LIMIT?: string
  OC_LOG_LEVEL?: string
  /** Comma-separated addresses, CIDR ranges and host names outgoing calls may reach despite the SSRF rules. */
  OC_OUTBOUND_ALLOWLIST?: string
}

/** The part of Cloudflare's `ExecutionContext` the platform may use. */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException?(): void
}

export interface WorkerOptions {
  plugins: readonly Plugin[]
  /** Swagger UI's files, bundled into the script (see {@link bundledDocsAssets}). */
  docsAssets?: DocsAssetReader
  /** Run pending migrations when an isolate starts its platform (default false: migrate at deploy). */
  migrateOnStart?: boolean
  /** Most database connections one request opens (default 5: workerd allows 6 open connections per request). */
  maxConnections?: number
  log?: Logger
}

export interface WorkerHandler {
  fetch(request: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response>
  scheduled(controller: { scheduledTime: number; cron?: string }, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<void>
}

/** A docs asset reader over files inlined into the bundle as strings. */
export function bundledDocsAssets(files: Partial<Record<DocsAssetName, string>>): DocsAssetReader {
  return async (name) => files[name] ?? null
}

/** The module worker: `export default createWorker({ plugins })`. */
export function createWorker(options: WorkerOptions): WorkerHandler {
  const connections = new AsyncLocalStorage<RequestConnection>()
  // One platform per isolate: building the app and its OpenAPI routes is too costly per request.
  let platform: Promise<Platform> | undefined

  const open = (env: WorkerEnv): Promise<Platform> =>
    (platform ??= (async () => {
      const created = createPlatform({
        db: requestScopedDb(() => {
          const connection = connections.getStore()
          if (!connection) throw new Error('the database was used outside a request: on Workers every query belongs to the request that makes it')
          return connection.db()
        }),
        plugins: options.plugins,
        baseDomain: env.OC_BASE_DOMAIN || undefined,
        bodyLimitBytes: env.OC_BODY_LIMIT ? Number(env.OC_BODY_LIMIT) : undefined,
        docsAssets: options.docsAssets,
        migrateOnStart: options.migrateOnStart ?? false,
        // No listener, sweep or timers: nothing lives between requests. fetch() and scheduled() drain instead.
        events: { background: false },
        // No resolver (Workers' node:dns cannot resolve arbitrary names); WebCrypto is native here.
        runtime: { resolveHost: null, webhookHmac: null },
        outboundAllowlist: parseOutboundAllowlist(env.OC_OUTBOUND_ALLOWLIST),
        log: options.log ?? createLogger((env.OC_LOG_LEVEL as LogLevel | undefined) ?? 'info'),
      })
      await created.start()
      return created
    })().catch((error: unknown) => {
      // A failed start (database down, a plugin's onBoot) must not poison the isolate.
      platform = undefined
      throw error
    }))

  /** Runs `work` with its own request-scoped connections, closing them when it is done. */
  const withConnection = async <T>(env: WorkerEnv, work: () => Promise<T>): Promise<T> => {
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set: bind it as a secret or var (or a Hyperdrive connection string)')
    const connection = requestConnection(env.DATABASE_URL, options.maxConnections ?? 5)
    try {
      return await connections.run(connection, work)
    } finally {
      await connection.close()
    }
  }

  return {
    async fetch(request, env, ctx) {
      // Cloudflare's edge sets CF-Connecting-IP itself; it is the peer address the platform reads.
      const bindings = { ...env, clientAddress: request.headers.get('cf-connecting-ip') ?? undefined }
      const response = await withConnection(env, async () => (await open(env)).fetch(request, bindings, ctx))
      // A change may have written events: deliver them after answering, not before. No process
      // outlives the request here, so this drain (and the cron trigger) is the dispatcher.
      if (request.method !== 'GET' && request.method !== 'HEAD' && ctx?.waitUntil) {
        ctx.waitUntil(withConnection(env, async () => (await open(env)).drainEvents({ maxMs: 10_000 })).catch((error) => console.error('event drain failed', error)))
      }
      return response
    },
    /** The Cron Trigger (e.g. every minute): scheduled jobs that are due, then pending deliveries and retries. */
    async scheduled(controller, env, ctx) {
      const work = withConnection(env, async () => {
        const platform = await open(env)
        await platform.runDueJobs(new Date(controller.scheduledTime))
        await platform.drainEvents({ maxMs: 25_000 })
      })
      if (ctx?.waitUntil) ctx.waitUntil(work)
      else await work
    },
  }
}

/** The database connections of one request, opened on first use (docs assets need none). */
interface RequestConnection {
  db(): Db
  close(): Promise<void>
}

function requestConnection(url: string, max: number): RequestConnection {
  let db: Db | undefined
  return {
    db: () => (db ??= postgresDb(url, { max })),
    close: async () => {
      await db?.close()
    },
  }
}

/**
 * The platform's database on Workers: each call goes to the connections of the request in
 * scope. workerd binds a socket to the request that opened it ("Cannot perform I/O on behalf of
 * a different request"), so a pool shared by the isolate fails on its second request; with
 * Hyperdrive in front, a connection per request is the intended pattern and is cheap.
 *
 * It has no `listen`: a listener would be a connection outliving its request, and without it
 * the tenancy and operator-token caches read through to the database, so every request sees
 * the current state (correct, uncached).
 */
function requestScopedDb(current: () => Db): Db {
  return {
    driver: 'postgres',
    query: (text, params) => current().query(text, params),
    sql: (strings, ...values) => current().sql(strings, ...values),
    exec: (script) => current().exec(script),
    transaction: (fn) => current().transaction(fn),
    tenantTransaction: (scope, fn) => current().tenantTransaction(scope, fn),
    // Connections belong to requests and close when each request ends.
    close: async () => {},
  }
}
