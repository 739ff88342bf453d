/**
 * The composition root: takes a database and plugins, checks the plugins, and wires their
 * declarations into one Hono app with the request path of ARCHITECTURE.md §3:
 * tenant resolution -> contract gate -> authentication -> permission -> validation -> handler.
 *
 * Runtime entries (core/runtime/*) create a platform and serve its `fetch`.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import type { MiddlewareHandler } from 'hono'
import type { Plugin } from './plugin/define.ts'
import { registerPlugins } from './plugin/registry.ts'
import { createPluginApp, type PluginApp, route, type RouteGuards } from './plugin/app.ts'
import type { PlatformEnv, PluginContext } from './plugin/context.ts'
import { PluginError } from './plugin/errors.ts'
import type { Db } from './storage/db.ts'
import { migrate, type MigrationSet } from './storage/migrations.ts'
import { coreMigrations } from './storage/core-migrations.ts'
import { notifiedCache } from './storage/notified-cache.ts'
import { bindBlobs, type BlobPolicy, type BlobStore } from './storage/blob.ts'
import { databaseBlobStore } from './storage/blob-db.ts'
import { tenantDb } from './storage/tenant-db.ts'
import { effectiveSettings, readStoredSettings } from './settings/store.ts'
import { registerSettingsRoutes } from './settings/routes.ts'
import { registerOperatorRoutes } from './tenancy/operator-routes.ts'
import { isContracted } from './tenancy/contract.ts'
import { resolveTenant, serviceBaseUrl, TENANT_PREFIX, tenantRoutingPath } from './tenancy/resolve.ts'
import type { Tenant } from './tenancy/types.ts'
import { accessGuard, type Authenticator } from './identity/guard.ts'
import { OPERATOR_TOKEN_PREFIX, operatorTokenVerifier, type OperatorTokenVerifier } from './identity/operator-tokens.ts'
import { errorHandler, notFound, requestId } from './http/errors-middleware.ts'
import { OcError } from './http/errors.ts'
import { validationHook } from './http/validation.ts'
import { buildDocument, type DocumentSection } from './http/openapi.ts'
import { DOCS_ASSETS, DOCS_INIT_JS, type DocsAssetReader, docsPage } from './http/docs.ts'
import { json } from './http/schemas.ts'
import { createLogger, type Logger } from './log.ts'
import { CORE_VERSION } from './version.ts'

export interface PlatformOptions {
  db: Db
  plugins?: readonly Plugin[]
  /** Where uploads go; the database by default. */
  blobStore?: BlobStore
  /** Enables `{org}.{baseDomain}` host names besides `/o/{org}` paths. */
  baseDomain?: string
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimitBytes?: number
  /** Default limits of uploaded files (default 10 MiB, any type). */
  uploadPolicy?: BlobPolicy
  /** Reads Swagger UI's files for `/docs`; without it `/docs` explains how to enable it. */
  docsAssets?: DocsAssetReader
  /** Run pending migrations in `start()` (default true). */
  migrateOnStart?: boolean
  log?: Logger
}

export interface Platform {
  /** The web-standard entry point: every runtime serves this. */
  fetch(request: Request, env?: unknown, executionContext?: unknown): Promise<Response>
  /** Migrates, wires caches and runs every plugin's `onBoot`, once. `fetch` calls it if needed. */
  start(): Promise<void>
  /** Runs `onShutdown` in reverse boot order and stops listeners; the database is the caller's to close. */
  stop(): Promise<void>
  /** Applies pending migrations of the core and every plugin; returns their ids. */
  migrate(): Promise<string[]>
  readonly plugins: readonly Plugin[]
  readonly db: Db
  readonly log: Logger
}

const SERVICE_API = `${TENANT_PREFIX}/api/v1`

export function createPlatform(options: PlatformOptions): Platform {
  const { db } = options
  const log = options.log ?? createLogger()
  const plugins = registerPlugins(options.plugins ?? [])
  const installed = new Map(plugins.map((p) => [p.id, p]))
  const catalogue = new Map(plugins.flatMap((p) => Object.entries(p.events ?? {})))
  const blobStore = options.blobStore ?? databaseBlobStore(db)
  const uploadPolicy = options.uploadPolicy ?? { maxBytes: 10 * 1024 * 1024 }
  const migrationSets: MigrationSet[] = [coreMigrations, ...plugins.filter((p) => p.migrations?.length).map((p) => ({ owner: p.id, migrations: p.migrations! }))]

  // Wired in start(): they need LISTEN, and the schema must exist first.
  let tenants: Awaited<ReturnType<typeof notifiedCache<Tenant | null>>> | undefined
  let operators: OperatorTokenVerifier | undefined

  const authenticators: Authenticator[] = [
    async (token) => {
      if (!token.startsWith(`${OPERATOR_TOKEN_PREFIX}_`)) return null
      const tokenId = await operators!.verify(token)
      return tokenId ? { kind: 'operator', tokenId } : null
    },
  ]
  const access = accessGuard(authenticators)
  const pluginGuards: RouteGuards = {
    contractGate: (pluginId) => async (c, next) => {
      if (!isContracted(c.var.tenant.service.contract, pluginId)) return notFound(c)
      await next()
    },
    access,
  }
  const coreGuards: RouteGuards = { contractGate: () => (_c, next) => next(), access }

  const contextOf = (plugin: Plugin): PluginContext => ({
    pluginId: plugin.id,
    log: log.child({ plugin: plugin.id }),
    db,
    async settings(tx) {
      if (!plugin.settings) return {} as never
      const values = effectiveSettings(plugin.settings, await readStoredSettings(tx, plugin.id))
      if (!values) throw new OcError('OC_CONFLICT', `plugin '${plugin.id}' is not configured for this service: save its settings first (PUT /settings/${plugin.id})`)
      return values as never
    },
    features: (c) => (c.var.tenant.service.contract.plugins[plugin.id]?.features ?? {}) as never,
  })

  // The root app: platform routes, then the operator API, then every service's routes.
  const app = new OpenAPIHono<PlatformEnv>({ getPath: tenantRoutingPath(options.baseDomain), defaultHook: validationHook as never })
  app.use('*', requestId)
  app.onError(errorHandler(log))
  app.notFound(notFound)
  const limit = bodyLimit({
    maxSize: options.bodyLimitBytes ?? 1024 * 1024,
    onError: () => {
      throw new OcError('OC_PAYLOAD_TOO_LARGE', `the request body is over the limit of ${options.bodyLimitBytes ?? 1024 * 1024} bytes`)
    },
  })

  const platformApp = createPluginApp('platform', coreGuards)
  platformApp.openapi(
    route({
      method: 'get',
      path: '/healthz',
      access: 'public',
      tags: ['Platform'],
      summary: 'Liveness and database reachability',
      responses: { 200: json(z.object({ status: z.literal('ok'), version: z.string(), database: z.string() }), 'Healthy'), 503: json(z.object({ status: z.literal('unavailable'), version: z.string(), database: z.string() }), 'Database unreachable') },
    }),
    async (c) => {
      try {
        await db.query('SELECT 1')
        return c.json({ status: 'ok' as const, version: CORE_VERSION, database: db.driver }, 200)
      } catch {
        return c.json({ status: 'unavailable' as const, version: CORE_VERSION, database: db.driver }, 503)
      }
    },
  )
  app.route('/', platformApp)

  const operatorApp = createPluginApp('operator', coreGuards)
  registerOperatorRoutes(operatorApp, db, installed)
  app.use('/operator/*', limit)
  app.route('/operator/v1', operatorApp)

  // Every service route: resolve the tenant once, bind the database and blobs to it.
  const bindTenant: MiddlewareHandler<PlatformEnv> = async (c, next) => {
    const scope = { orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id }
    c.set('db', tenantDb(db, scope, catalogue))
    c.set('blobs', bindBlobs(blobStore, scope, uploadPolicy))
    await next()
  }
  app.use(`${TENANT_PREFIX}/*`, limit, resolveTenant(db, () => tenants!), bindTenant)

  const serviceCoreApp = createPluginApp('core', coreGuards)
  registerSettingsRoutes(serviceCoreApp, installed)
  const pluginApps = new Map<string, PluginApp>()
  for (const plugin of plugins) {
    if (!plugin.routes) continue
    const pluginApp = createPluginApp(plugin.id, pluginGuards)
    plugin.routes(pluginApp, contextOf(plugin))
    pluginApps.set(plugin.id, pluginApp)
  }

  // Documents: built once per distinct set of contracted plugins; servers added per request.
  const serviceDocs = new Map<string, Record<string, unknown>>()
  const serviceDocument = (c: { req: { raw: Request } }, tenant: Tenant) => {
    const contracted = [...pluginApps.keys()].filter((id) => isContracted(tenant.service.contract, id))
    const key = contracted.join(',')
    let doc = serviceDocs.get(key)
    if (!doc) {
      const sections: DocumentSection[] = [{ app: serviceCoreApp as never, prefix: '' }, ...contracted.map((id) => ({ app: pluginApps.get(id)! as never, prefix: '' }))]
      doc = buildDocument({ title: 'OpenContact service API', description: `Plugins contracted for this service: ${contracted.join(', ') || 'none'}.`, servers: [], sections })
      serviceDocs.set(key, doc)
    }
    return { ...doc, servers: [{ url: `${serviceBaseUrl(c.req.raw, tenant, options.baseDomain)}/api/v1`, description: `${tenant.org.name} / ${tenant.service.name}` }] }
  }
  let platformDoc: Record<string, unknown> | undefined
  const platformDocument = () =>
    (platformDoc ??= buildDocument({
      title: 'OpenContact platform API',
      description: 'Health and the operator API. Each service publishes its own document, listing only its contracted plugins, at `/o/{org}/{service}/api/v1/openapi.json`.',
      servers: [{ url: '/' }],
      sections: [
        { app: platformApp as never, prefix: '' },
        { app: operatorApp as never, prefix: '/operator/v1' },
      ],
    }))

  app.get('/openapi.json', (c) => c.json(platformDocument()))
  app.get(`${SERVICE_API}/openapi.json`, (c) => c.json(serviceDocument(c, c.var.tenant)))
  app.get('/docs', (c) => c.html(docsPage('OpenContact API', '/openapi.json', '/docs/assets')))
  app.get(`${SERVICE_API}/docs`, (c) => c.html(docsPage(`${c.var.tenant.service.name} API`, './openapi.json', '/docs/assets')))
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name')
    if (name === 'init.js') return c.body(DOCS_INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' })
    if (!(name in DOCS_ASSETS) || !options.docsAssets) return notFound(c)
    const body = await options.docsAssets(name as keyof typeof DOCS_ASSETS)
    if (body === null) return notFound(c)
    return c.body(body as never, 200, { 'content-type': DOCS_ASSETS[name as keyof typeof DOCS_ASSETS], 'cache-control': 'public, max-age=86400' })
  })

  app.route(SERVICE_API, serviceCoreApp)
  for (const pluginApp of pluginApps.values()) app.route(SERVICE_API, pluginApp)

  // Lifecycle.
  const booted: Plugin[] = []
  let starting: Promise<void> | undefined
  let started = false
  const runMigrations = () => migrate(db, migrationSets)

  const start = () =>
    (starting ??= (async () => {
      if (options.migrateOnStart !== false) {
        const applied = await runMigrations()
        if (applied.length) log.info('migrations applied', { applied })
      }
      tenants = await notifiedCache<Tenant | null>(db, 'oc_tenancy')
      operators = await operatorTokenVerifier(db)
      for (const plugin of plugins) {
        try {
          await plugin.onBoot?.(contextOf(plugin))
        } catch (cause) {
          throw new PluginError('OC_PLUGIN_BOOT_FAILED', plugin.id, `failed in onBoot: ${(cause as Error).message}`, cause)
        }
        booted.push(plugin)
      }
      started = true
    })())

  return {
    plugins,
    db,
    log,
    migrate: runMigrations,
    start,
    fetch: async (request, env, executionContext) => {
      if (!started) await start()
      return app.fetch(request, env, executionContext as never)
    },
    async stop() {
      for (const plugin of booted.reverse()) {
        try {
          await plugin.onShutdown?.(contextOf(plugin))
        } catch (error) {
          log.error('onShutdown failed', { plugin: plugin.id, error })
        }
      }
      booted.length = 0
      await tenants?.stop()
      await operators?.stop()
    },
  }
}
