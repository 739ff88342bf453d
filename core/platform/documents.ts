/**
 * The OpenAPI documents and their pages: the platform's (health, operator and organization
 * APIs) at `/openapi.json`, and each service's at `/o/{org}/{service}/api/v1/openapi.json`,
 * listing the core's service routes and only the plugins contracted for that service. Each
 * document is built once per distinct set of contracted plugins; servers are added per request.
 */
import type { PlatformContext, PlatformEnv } from '../api/request.ts'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { PluginApp } from '../plugin/app.ts'
import { type MountedGroup, mountedDocumentPaths, withMountServers } from '../plugin/mounts.ts'
import { isContracted } from '../tenancy/contract.ts'
import { ORG_PUBLIC_PREFIX, serviceBaseUrl } from '../tenancy/resolve.ts'
import type { Tenant } from '../tenancy/types.ts'
import { buildDocument, type DocumentSection } from '../http/openapi.ts'
import { DOCS_ASSETS, DOCS_INIT_JS, type DocsAssetReader, docsPage } from '../http/docs.ts'
import { notFound } from '../http/errors-middleware.ts'

export interface DocumentedApps {
  /** The platform's own routes (`/healthz`), the operator API and the organization API. */
  readonly platform: PluginApp
  readonly operator: PluginApp
  readonly org: PluginApp
  /** The core areas' service routes. */
  readonly serviceCore: PluginApp
  /** Each plugin's routes, by plugin id, documented under its prefix. */
  readonly plugins: ReadonlyMap<string, PluginApp>
  readonly pluginPrefix: (id: string) => string
  readonly mountedGroups: readonly MountedGroup[]
}

/** Registers the documents and the docs pages on the root app; `serviceApi` is the service API prefix. */
export function registerDocuments(app: OpenAPIHono<PlatformEnv>, serviceApi: string, apps: DocumentedApps, options: { baseDomain?: string; docsAssets?: DocsAssetReader }): void {
  const serviceDocs = new Map<string, Record<string, unknown>>()
  const mountedPaths = new Map<string, Set<string>>()
  const serviceDocument = (request: Request, tenant: Tenant) => {
    const contracted = [...apps.plugins.keys()].filter((id) => isContracted(tenant.service.contract, id))
    const groups = apps.mountedGroups.filter((g) => isContracted(tenant.service.contract, g.pluginId))
    // A plugin may have mounted groups and no `routes`: its groups are part of the key too.
    const key = `${contracted.join(',')}|${groups.map((g) => `${g.pluginId}${g.path}`).join(',')}`
    let doc = serviceDocs.get(key)
    if (!doc) {
      const sections: DocumentSection[] = [
        { app: apps.serviceCore as never, prefix: '' },
        ...contracted.map((id) => ({ app: apps.plugins.get(id)! as never, prefix: apps.pluginPrefix(id) })),
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
        { app: apps.platform as never, prefix: '' },
        { app: apps.operator as never, prefix: '/operator/v1' },
        { app: apps.org as never, prefix: ORG_PUBLIC_PREFIX },
      ],
    }))

  app.get('/openapi.json', (c) => c.json(platformDocument()))
  app.get(`${serviceApi}/openapi.json`, (c) => c.json(serviceDocument(c.req.raw, c.var.tenant)))
  // With and without a trailing slash (routing is strict); the service page names its document
  // relative to itself, so from `docs/` it is one level up.
  const platformDocsPage = (c: PlatformContext) => c.html(docsPage('OpenContact API', '/openapi.json', '/docs/assets'))
  app.get('/docs', platformDocsPage)
  app.get('/docs/', platformDocsPage)
  app.get(`${serviceApi}/docs`, (c) => c.html(docsPage(`${c.var.tenant.service.name} API`, './openapi.json', '/docs/assets')))
  app.get(`${serviceApi}/docs/`, (c) => c.html(docsPage(`${c.var.tenant.service.name} API`, '../openapi.json', '/docs/assets')))
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name')
    if (name === 'init.js') return c.body(DOCS_INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' })
    if (!(name in DOCS_ASSETS) || !options.docsAssets) return notFound(c)
    const body = await options.docsAssets(name as keyof typeof DOCS_ASSETS)
    if (body === null) return notFound(c)
    return c.body(body as never, 200, { 'content-type': DOCS_ASSETS[name as keyof typeof DOCS_ASSETS], 'cache-control': 'public, max-age=86400' })
  })
}
