/**
 * Tenant resolution (C1): which organization and service a request is for.
 *
 * Two URL forms reach the same routes:
 * - path:  `/o/{org}/{service}/...` on any host;
 * - host:  `{org}.{baseDomain}/{service}/...` when a base domain is configured. The router sees
 *   such a request as `/o/{org}/{service}/...`, so every route is declared once.
 */
import type { MiddlewareHandler, Next } from 'hono'
import { getPath } from 'hono/utils/url'
import type { PlatformContext, PlatformEnv } from '../api/context.ts'
import { OcError } from '../http/errors.ts'
import { refuseUnsafeText } from '../http/unsafe-input.ts'
import { asMiddleware, isThenable } from '../http/sync-middleware.ts'
import type { Organization, Tenant } from './types.ts'

/** The prefix every service route lives under, in router terms. */
export const TENANT_PREFIX = '/o/:org/:service'

/**
 * The prefix of organization-level routes (members, sign-in) in router terms. Clients call
 * `/o/{org}/org/v1/...`; routing sees `/_org/{org}/v1/...`, because a fixed word where
 * `:service` stands would make Hono give up its fast RegExpRouter for every route.
 */
export const ORG_PREFIX = '/_org/:org/v1'

/** The organization API's prefix as clients see it (and as the OpenAPI document shows it). */
export const ORG_PUBLIC_PREFIX = '/o/{org}/org/v1'

const ORG_API = /^\/o\/([^/]+)\/org(\/.*)?$/

/**
 * A Hono `getPath` that maps `{org}.{baseDomain}/...` onto `/o/{org}/...`, then
 * `/o/{org}/org/...` onto the internal `/_org/{org}/...`.
 */
export function tenantRoutingPath(baseDomain: string | undefined): (request: Request) => string {
  const suffix = baseDomain ? `.${baseDomain.toLowerCase()}` : undefined
  return (request) => {
    let path = getPath(request)
    if (suffix) {
      const host = request.headers.get('host')
      const name = host?.replace(/:\d+$/, '').toLowerCase()
      const org = name?.endsWith(suffix) ? name.slice(0, -suffix.length) : ''
      if (org && !org.includes('.')) path = `/o/${org}${path}`
    }
    if (path.startsWith('/o/')) {
      const orgApi = ORG_API.exec(path)
      if (orgApi) return `/_org/${orgApi[1]}${orgApi[2] ?? ''}`
    }
    return path
  }
}

/** The URL prefix of a service as clients see it, in whichever form they used. */
export function serviceBaseUrl(request: Request, tenant: Tenant, baseDomain: string | undefined): string {
  const url = new URL(request.url)
  const host = (request.headers.get('host') ?? url.host).toLowerCase()
  const viaHost = baseDomain && host.replace(/:\d+$/, '').endsWith(`.${baseDomain.toLowerCase()}`)
  return viaHost ? `${url.protocol}//${host}/${tenant.service.code}` : `${url.origin}/o/${tenant.org.slug}/${tenant.service.code}`
}

/**
 * Resolves the tenant from the path parameters, or answers 404 naming what was not found.
 * `bind` sets what else belongs to the tenant on the request, in the same step.
 */
export function resolveTenant(
  lookup: (org: string, service: string) => Tenant | null | Promise<Tenant | null>,
  bind?: (c: PlatformContext, tenant: Tenant) => void,
): MiddlewareHandler<PlatformEnv> {
  const enter = (c: PlatformContext, next: Next, tenant: Tenant | null, org: string, service: string) => {
    if (!tenant) {
      throw new OcError('OC_TENANT_NOT_FOUND', `no service '${service}' in organization '${org}': check the organization and service in the URL`)
    }
    c.set('tenant', tenant)
    bind?.(c, tenant)
    return next()
  }
  // Synchronous when the tenant is cached, so the request's chain can stay synchronous.
  return asMiddleware<PlatformEnv>((c, next) => {
    const org = c.req.param('org') ?? ''
    const service = c.req.param('service') ?? ''
    // Nothing is looked up by a name the database cannot even compare (a NUL would be its 500).
    refuseUnsafeText({ org, service }, 'path')
    const tenant = lookup(org, service)
    return isThenable(tenant) ? tenant.then((found) => enter(c, next, found as Tenant | null, org, service)) : enter(c, next, tenant, org, service)
  })
}

/** Resolves the organization of an organization-level route, or answers 404. */
export function resolveOrganization(lookup: (org: string) => Organization | null | Promise<Organization | null>): MiddlewareHandler<PlatformEnv> {
  const enter = (c: PlatformContext, next: Next, org: Organization | null, slug: string) => {
    if (!org) throw new OcError('OC_TENANT_NOT_FOUND', `no organization '${slug}': check the organization in the URL`)
    c.set('org', { id: org.id, slug: org.slug, name: org.name })
    return next()
  }
  return asMiddleware<PlatformEnv>((c, next) => {
    const slug = c.req.param('org') ?? ''
    refuseUnsafeText({ org: slug }, 'path')
    const org = lookup(slug)
    return isThenable(org) ? org.then((found) => enter(c, next, found as Organization | null, slug)) : enter(c, next, org, slug)
  })
}
