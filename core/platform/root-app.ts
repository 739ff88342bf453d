/**
 * The root HTTP app, with the request path of ARCHITECTURE.md §3: tenant resolution -> contract
 * gate -> authentication -> permission -> validation -> handler. Platform routes come first, then
 * the operator API, then organizations and services; each plugin's routes are mounted under
 * their own prefix, its route groups at their paths, and the documents beside them.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Plugin } from '../api/define.ts'
import type { PluginContext } from '../api/context.ts'
import type { PlatformContext, PlatformEnv } from '../api/request.ts'
import type { TenantDb } from '../api/tenant-db.ts'
import type { BlobPolicy, TenantBlobs } from '../api/blobs.ts'
import { PluginError } from '../api/errors.ts'
import type { CoreArea } from '../area.ts'
import type { Db } from '../storage/db.ts'
import { bindBlobs, type BlobStore } from '../storage/blob.ts'
import { tenantDb } from '../storage/tenant-db.ts'
import type { EventCatalogue } from '../events/outbox.ts'
import { createPluginApp, type PluginApp, type RouteGuards } from '../plugin/app.ts'
import { buildMountedGroups } from '../plugin/mounts.ts'
import type { TenancyArea } from '../tenancy/area.ts'
import { ORG_PREFIX, resolveOrganization, resolveTenant, TENANT_PREFIX, tenantRoutingPath } from '../tenancy/resolve.ts'
import type { Tenant } from '../tenancy/types.ts'
import { clientAddress, parseTrustedProxies } from '../identity/client-ip.ts'
import { socketAddress } from '../runtime/client-address.ts'
import { assignRequestId, errorHandler, notFound } from '../http/errors-middleware.ts'
import { validationHook } from '../http/validation.ts'
import { fusedRouter } from '../http/fused-router.ts'
import type { Logger } from '../log.ts'
import type { PlatformOptions } from './options.ts'
import { registerDocuments } from './documents.ts'
import { platformRoutes } from './health.ts'

/** The service API prefix: every service route, the core's and the plugins', is under it. */
const SERVICE_API = `${TENANT_PREFIX}/api/v1`

export interface RootAppParts {
  readonly options: Pick<PlatformOptions, 'baseDomain' | 'trustedProxies' | 'docsAssets'>
  readonly db: Db
  readonly log: Logger
  readonly plugins: readonly Plugin[]
  /** Every core area, in order; each contributes routes to the mount points it has hooks for. */
  readonly areas: readonly CoreArea[]
  /** Resolves organizations and tenants from the request. */
  readonly tenancy: TenancyArea
  readonly catalogue: EventCatalogue
  readonly blobStore: BlobStore
  readonly uploadPolicy: BlobPolicy
  readonly guards: { readonly plugin: RouteGuards; readonly core: RouteGuards }
  readonly contextOf: (plugin: Plugin) => PluginContext
}

export function rootApp(parts: RootAppParts): OpenAPIHono<PlatformEnv> {
  const { options, db, plugins, areas, tenancy, catalogue, blobStore, uploadPolicy, guards, contextOf } = parts
  const onError = errorHandler(parts.log)
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

  const platformApp = platformRoutes(db, guards.core)
  app.route('/', platformApp)

  /** One app per mount point, shared by every area that contributes to it. */
  const mountAreas = (hook: 'operatorRoutes' | 'orgRoutes' | 'serviceRoutes') => {
    const mounted = createPluginApp('core', guards.core, { namespace: NAMESPACES[hook] })
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
    const pluginApp = createPluginApp(plugin.id, guards.plugin, { idPath: pluginPrefix(plugin.id) })
    plugin.routes(pluginApp, contextOf(plugin))
    pluginApps.set(plugin.id, pluginApp)
  }
  // Route groups plugins mount outside /api/v1 (e.g. a vendor API's own paths): same tenant
  // resolution and binding, once per path: plugins may share one (a vendor's `/api/v2` serves
  // several plugins' calls), each route keeping its own plugin's gate and error shape.
  const mountedGroups = buildMountedGroups(plugins, guards.plugin, contextOf)
  for (const path of new Set(mountedGroups.map((group) => group.path))) app.use(`${TENANT_PREFIX}${path}/*`, resolveTenant(tenancy.tenant, bindTenant))

  registerDocuments(app, SERVICE_API, { platform: platformApp, operator: operatorApp, org: orgApp, serviceCore: serviceCoreApp, plugins: pluginApps, pluginPrefix, mountedGroups }, options)

  app.route(SERVICE_API, serviceCoreApp)
  for (const [id, pluginApp] of pluginApps) app.route(`${SERVICE_API}${pluginPrefix(id)}`, pluginApp)
  for (const group of mountedGroups) app.route(`${TENANT_PREFIX}${group.path}`, group.app)
  return app
}
