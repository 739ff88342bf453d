/**
 * The composition root: takes a database and plugins, checks the plugins, and wires their
 * declarations into one Hono app with the request path of ARCHITECTURE.md §3:
 * tenant resolution -> contract gate -> authentication -> permission -> validation -> handler.
 *
 * Runtime entries (core/runtime/*) create a platform and serve its `fetch`.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { Plugin } from './api/define.ts'
import { registerPlugins } from './plugin/registry.ts'
import { type BodyLimit, createPluginApp, type Guard, type PluginApp, route, type RouteGuards } from './plugin/app.ts'
import { buildMountedGroups, mountedDocumentPaths, withMountServers } from './plugin/mounts.ts'
import type { PlatformContext, PlatformEnv, PluginBlobs, TenantDb } from './api/context.ts'
import { PluginError } from './api/errors.ts'
import type { Db } from './storage/db.ts'
import { migrate, type MigrationSet } from './storage/migrations.ts'
import { coreMigrations } from './storage/core-migrations.ts'
import { bindBlobs, type TenantBlobs } from './storage/blob.ts'
import { databaseBlobStore } from './storage/blob-db.ts'
import { tenantDb } from './storage/tenant-db.ts'
import { settingsArea } from './settings/area.ts'
import { tenancyArea } from './tenancy/area.ts'
import { identityArea } from './identity/area.ts'
import { auditArea } from './audit/area.ts'
import { eventsArea } from './events/area.ts'
import { readEventDeclaration } from './events/declarations.ts'
import { isContracted } from './tenancy/contract.ts'
import { ORG_PREFIX, ORG_PUBLIC_PREFIX, resolveOrganization, resolveTenant, serviceBaseUrl, TENANT_PREFIX, tenantRoutingPath } from './tenancy/resolve.ts'
import type { Tenant } from './tenancy/types.ts'
import { accessGuard, type Authenticator } from './identity/guard.ts'
import type { CoreArea, CoreDeps } from './area.ts'
import { socketAddress } from './runtime/client-address.ts'
import { clientAddress, parseTrustedProxies } from './identity/client-ip.ts'
import { pluginMail } from './mail/plugin-mail.ts'
import { outboundGuard } from './http/outbound.ts'
import { assignRequestId, errorHandler, notFound } from './http/errors-middleware.ts'
import { validationHook } from './http/validation.ts'
import { requestBodyLimit } from './http/body-limit.ts'
import { fusedRouter } from './http/fused-router.ts'
import { buildDocument, type DocumentSection } from './http/openapi.ts'
import { DOCS_ASSETS, DOCS_INIT_JS, docsPage } from './http/docs.ts'
import { json } from './http/schemas.ts'
import { createLogger, type Logger } from './log.ts'
import { PACKAGE_VERSION } from './version.ts'
import type { PlatformOptions } from './platform/options.ts'
import { pluginContexts } from './platform/plugin-contexts.ts'
import { fieldCrypto } from './crypto/tenant-crypto.ts'

export type { PlatformOptions } from './platform/options.ts'

export interface Platform {
  /**
   * The web-standard entry point: every runtime serves this. Like Hono's `fetch`, it answers
   * synchronously when every step of the request could (see http/fused-router.ts).
   */
  fetch(request: Request, env?: unknown, executionContext?: unknown): Response | Promise<Response>
  /** Migrates, wires caches and runs every plugin's `onBoot`, once. `fetch` calls it if needed. */
  start(): Promise<void>
  /** Runs `onShutdown` in reverse boot order and stops listeners; the database is the caller's to close. */
  stop(): Promise<void>
  /** Applies pending migrations of the core and every plugin; returns their ids. */
  migrate(): Promise<string[]>
  readonly plugins: readonly Plugin[]
  /** The core areas, built-in first; tests and embedders reach area services through them. */
  readonly areas: readonly CoreArea[]
  readonly db: Db
  readonly log: Logger
}

const SERVICE_API = `${TENANT_PREFIX}/api/v1`

export function createPlatform(options: PlatformOptions): Platform {
  const { db } = options
  const log = options.log ?? createLogger()
  const plugins = registerPlugins(options.plugins ?? [])
  const installed = new Map(plugins.map((p) => [p.id, p]))
  const catalogue = new Map<string, z.ZodType>()
  const internalEvents = new Set<string>()
  const areas: CoreArea[] = []
  const outbound = outboundGuard({ allowlist: options.outboundAllowlist })
  const mail = pluginMail(options.mail)
  const crypto = fieldCrypto(options.keyring)
  const blobStore = options.blobStore ?? databaseBlobStore(db)
  const uploadPolicy = options.uploadPolicy ?? { maxBytes: 10 * 1024 * 1024 }
  const blobs: PluginBlobs = { forTenant: (scope) => bindBlobs(blobStore, scope, uploadPolicy) }
  // One builder for every context handed to plugin and area code; Open API access is the identity area's.
  const contexts = pluginContexts({ db, log, plugins, catalogue, crypto, mail, outbound, blobs, openApi: () => identity.openApi })
  const contextOf = contexts.of
  const deps: CoreDeps = { db, log, plugins, installed, catalogue, internalEvents, options, areas, outbound, crypto, mail, blobs, pluginContext: contexts.of, areaContext: contexts.ofArea }
  // Areas are built in this order, and their routes, authenticators and lifecycle hooks run in it.
  const tenancy = tenancyArea(deps)
  const identity = identityArea(deps)
  const between = [settingsArea, auditArea].map((make) => make(deps))
  const events = eventsArea(deps)
  areas.push(tenancy, identity, ...between, events, ...(options.areas ?? []).map((make) => make(deps)))
  for (const source of [...areas, ...plugins]) {
    for (const [type, declared] of Object.entries(source.events ?? {})) {
      const { payload, internal } = readEventDeclaration(declared)
      catalogue.set(type, payload)
      if (internal) internalEvents.add(type)
    }
  }

  const migrationSets: MigrationSet[] = [coreMigrations, ...plugins.filter((p) => p.migrations?.length).map((p) => ({ owner: p.id, migrations: p.migrations! }))]

  const authenticators: Authenticator[] = areas.flatMap((area) => area.authenticators ?? [])
  const access = accessGuard(authenticators)
  const maxBody = options.bodyLimitBytes ?? 1024 * 1024
  // A file travels in JSON as base64 (4 bytes for every 3): an upload route takes that, and room for the rest.
  const uploadBody = Math.max(maxBody, Math.ceil(uploadPolicy.maxBytes / 3) * 4 + 64 * 1024)
  const bodyLimits = new Map<number, Guard>()
  const bodyLimit = (declared: BodyLimit | undefined): Guard => {
    const bytes = declared === 'upload' ? uploadBody : (declared ?? maxBody)
    let guard = bodyLimits.get(bytes)
    if (!guard) bodyLimits.set(bytes, (guard = requestBodyLimit(bytes) as Guard))
    return guard
  }
  const pluginGuards: RouteGuards = {
    contractGate: (pluginId) => (c, next) => (isContracted(c.get('tenant').service.contract, pluginId) ? next() : notFound(c)),
    access,
    bodyLimit,
  }
  const coreGuards: RouteGuards = { contractGate: () => (_c, next) => next(), access, bodyLimit }

  // The root app: platform routes, then the operator API, then organizations and services.
  const onError = errorHandler(log)
  const app = new OpenAPIHono<PlatformEnv>({
    getPath: tenantRoutingPath(options.baseDomain),
    defaultHook: validationHook as never,
    router: fusedRouter(() => ({ onError, onNotFound: notFound })) as never,
  })
  const trustedProxies = parseTrustedProxies(options.trustedProxies)
  // Every request: its id, and who is calling. One step: each step of a chain costs a call.
  app.use('*', (c, next) => {
    assignRequestId(c)
    const socket = socketAddress(c.env)
    c.set('socketAddress', socket)
    c.set('clientAddress', trustedProxies.length ? clientAddress(socket, c.req.header('x-forwarded-for'), trustedProxies) : socket)
    return next()
  })
  app.onError(onError)
  app.notFound(notFound)

  const platformApp = createPluginApp('platform', coreGuards)
  platformApp.openapi(
    route({
      method: 'get',
      path: '/healthz',
      access: 'public',
      tags: ['Platform'],
      summary: 'Liveness and database reachability',
      responses: { 200: json(z.object({ status: z.literal('ok'), version: z.string().openapi({ description: 'The release (package.json `version`)' }), database: z.string() }), 'Healthy'), 503: json(z.object({ status: z.literal('unavailable'), version: z.string(), database: z.string() }), 'Database unreachable') },
    }),
    async (c) => {
      try {
        await db.query('SELECT 1')
        return c.json({ status: 'ok' as const, version: PACKAGE_VERSION, database: db.driver }, 200)
      } catch {
        return c.json({ status: 'unavailable' as const, version: PACKAGE_VERSION, database: db.driver }, 503)
      }
    },
  )
  app.route('/', platformApp)

  /** One app per mount point, shared by every area that contributes to it. */
  const mountAreas = (hook: 'operatorRoutes' | 'orgRoutes' | 'serviceRoutes') => {
    const mounted = createPluginApp('core', coreGuards, { namespace: NAMESPACES[hook] })
    for (const area of areas) area[hook]?.(mounted)
    return mounted
  }
  const NAMESPACES = { operatorRoutes: 'operator', orgRoutes: 'org', serviceRoutes: 'service' } as const
  const operatorApp = mountAreas('operatorRoutes')
  app.route('/operator/v1', operatorApp)

  const orgApp = mountAreas('orgRoutes')
  app.use(`${ORG_PREFIX}/*`, resolveOrganization(tenancy.organization))
  app.route(ORG_PREFIX, orgApp)

  // Every service route: resolve the tenant once, bind the database and blobs to it.
  // Bound once per resolved tenant object: the tenancy cache hands out the same object until
  // the tenant changes, so requests of a service share these instead of building them anew.
  const bound = new WeakMap<Tenant, { db: TenantDb; blobs: TenantBlobs }>()
  const bindTenant = (c: PlatformContext, tenant: Tenant) => {
    let scoped = bound.get(tenant)
    if (!scoped) {
      const scope = { orgId: tenant.org.id, serviceId: tenant.service.id }
      scoped = { db: tenantDb(db, scope, catalogue), blobs: bindBlobs(blobStore, scope, uploadPolicy) }
      bound.set(tenant, scoped)
    }
    c.set('db', scoped.db)
    c.set('blobs', scoped.blobs)
  }
  app.use(`${SERVICE_API}/*`, resolveTenant(tenancy.tenant, bindTenant))

  const serviceCoreApp = mountAreas('serviceRoutes')
  // A plugin's prefix must not be a segment the core's service routes start with (`settings`, `groups`, ...).
  const coreSegments = new Set([...serviceCoreApp.routes.map((r) => r.path.split('/')[1]!), 'openapi.json', 'docs'])
  for (const plugin of plugins) {
    if (coreSegments.has(plugin.id)) throw new PluginError('OC_PLUGIN_INVALID_ID', plugin.id, `has an id the core's service API uses as a path (/api/v1/${plugin.id}); choose another id`)
  }
  // Each plugin's routes live under its own prefix (`/api/v1/<id>/...`, the paths it declares
  // are relative to it), so its middleware (`app.use('*')`) sees its own requests only.
  const pluginApps = new Map<string, PluginApp>()
  const pluginPrefix = (id: string) => `/${id}`
  for (const plugin of plugins) {
    if (!plugin.routes) continue
    const pluginApp = createPluginApp(plugin.id, pluginGuards, { idPath: pluginPrefix(plugin.id) })
    plugin.routes(pluginApp, contextOf(plugin))
    pluginApps.set(plugin.id, pluginApp)
  }
  // Route groups plugins mount outside /api/v1 (e.g. a vendor API's own paths): same tenant
  // resolution and binding.
  const mountedGroups = buildMountedGroups(plugins, pluginGuards, contextOf)
  for (const group of mountedGroups) app.use(`${TENANT_PREFIX}${group.path}/*`, resolveTenant(tenancy.tenant, bindTenant))

  // Documents: built once per distinct set of contracted plugins; servers added per request.
  const serviceDocs = new Map<string, Record<string, unknown>>()
  const mountedPaths = new Map<string, Set<string>>()
  const serviceDocument = (request: Request, tenant: Tenant) => {
    const contracted = [...pluginApps.keys()].filter((id) => isContracted(tenant.service.contract, id))
    const groups = mountedGroups.filter((g) => isContracted(tenant.service.contract, g.pluginId))
    // A plugin may have mounted groups and no `routes`: its groups are part of the key too.
    const key = `${contracted.join(',')}|${groups.map((g) => `${g.pluginId}${g.path}`).join(',')}`
    let doc = serviceDocs.get(key)
    if (!doc) {
      const sections: DocumentSection[] = [
        { app: serviceCoreApp as never, prefix: '' },
        ...contracted.map((id) => ({ app: pluginApps.get(id)! as never, prefix: pluginPrefix(id) })),
        ...groups.map((g) => ({ app: g.app as never, prefix: g.path })),
      ]
      mountedPaths.set(key, mountedDocumentPaths(groups))
      doc = buildDocument({ title: 'OpenContact service API', description: `Plugins contracted for this service: ${contracted.join(', ') || 'none'}.`, servers: [], sections })
      serviceDocs.set(key, doc)
    }
    const base = serviceBaseUrl(request, tenant, options.baseDomain)
    return { ...doc, paths: withMountServers(doc.paths as Record<string, unknown>, mountedPaths.get(key)!, base), servers: [{ url: `${base}/api/v1`, description: `${tenant.org.name} / ${tenant.service.name}` }] }
  }
  let platformDoc: Record<string, unknown> | undefined
  const platformDocument = () =>
    (platformDoc ??= buildDocument({
      title: 'OpenContact platform API',
      description:
        'Health, the operator API and the organization API (`/o/{org}/org/v1`). Each service publishes its own document, listing only its contracted plugins, at `/o/{org}/{service}/api/v1/openapi.json`.',
      servers: [{ url: '/' }],
      sections: [
        { app: platformApp as never, prefix: '' },
        { app: operatorApp as never, prefix: '/operator/v1' },
        { app: orgApp as never, prefix: ORG_PUBLIC_PREFIX },
      ],
    }))

  app.get('/openapi.json', (c) => c.json(platformDocument()))
  app.get(`${SERVICE_API}/openapi.json`, (c) => c.json(serviceDocument(c.req.raw, c.var.tenant)))
  // With and without a trailing slash (routing is strict); the service page names its document
  // relative to itself, so from `docs/` it is one level up.
  const platformDocsPage = (c: PlatformContext) => c.html(docsPage('OpenContact API', '/openapi.json', '/docs/assets'))
  app.get('/docs', platformDocsPage)
  app.get('/docs/', platformDocsPage)
  app.get(`${SERVICE_API}/docs`, (c) => c.html(docsPage(`${c.var.tenant.service.name} API`, './openapi.json', '/docs/assets')))
  app.get(`${SERVICE_API}/docs/`, (c) => c.html(docsPage(`${c.var.tenant.service.name} API`, '../openapi.json', '/docs/assets')))
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name')
    if (name === 'init.js') return c.body(DOCS_INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' })
    if (!(name in DOCS_ASSETS) || !options.docsAssets) return notFound(c)
    const body = await options.docsAssets(name as keyof typeof DOCS_ASSETS)
    if (body === null) return notFound(c)
    return c.body(body as never, 200, { 'content-type': DOCS_ASSETS[name as keyof typeof DOCS_ASSETS], 'cache-control': 'public, max-age=86400' })
  })

  app.route(SERVICE_API, serviceCoreApp)
  for (const [id, pluginApp] of pluginApps) app.route(`${SERVICE_API}${pluginPrefix(id)}`, pluginApp)
  for (const group of mountedGroups) app.route(`${TENANT_PREFIX}${group.path}`, group.app)

  // Lifecycle.
  const booted: Plugin[] = []
  const startedAreas: CoreArea[] = []
  let starting: Promise<void> | undefined
  let started = false
  const runMigrations = () => migrate(db, migrationSets)

  const start = () =>
    (starting ??= (async () => {
      if (options.migrateOnStart !== false) {
        const applied = await runMigrations()
        if (applied.length) log.info('migrations applied', { applied })
      }
      for (const area of areas) {
        await area.start?.()
        startedAreas.push(area)
      }
      for (const plugin of plugins) {
        try {
          await plugin.onBoot?.(contextOf(plugin))
        } catch (cause) {
          throw new PluginError('OC_PLUGIN_BOOT_FAILED', plugin.id, `failed in onBoot: ${(cause as Error).message}`, cause)
        }
        booted.push(plugin)
      }
      for (const area of areas) await area.ready?.()
      started = true
    })())

  return {
    plugins,
    db,
    log,
    areas,
    migrate: runMigrations,
    start,
    fetch: (request, env, executionContext) =>
      started ? app.fetch(request, env, executionContext as never) : start().then(() => app.fetch(request, env, executionContext as never)),
    async stop() {
      for (const area of [...startedAreas].reverse()) await area.quiesce?.()
      for (const plugin of booted.reverse()) {
        try {
          await plugin.onShutdown?.(contextOf(plugin))
        } catch (error) {
          log.error('onShutdown failed', { plugin: plugin.id, error })
        }
      }
      booted.length = 0
      for (const area of startedAreas.reverse()) await area.stop?.()
      startedAreas.length = 0
    },
  }
}
