/**
 * Tenant resolution (C1): which organization and service a request is for.
 *
 * Two URL forms reach the same routes:
 * - path:  `/o/{org}/{service}/...` on any host;
 * - host:  `{org}.{baseDomain}/{service}/...` when a base domain is configured. The router sees
 *   such a request as `/o/{org}/{service}/...`, so every route is declared once.
 */
import type { MiddlewareHandler } from 'hono'
import { getPath } from 'hono/utils/url'
import type { PlatformEnv } from '../plugin/context.ts'
import { OcError } from '../http/errors.ts'
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

/** Resolves the tenant from the path parameters, or answers 404 naming what was not found. */
export function resolveTenant(lookup: (org: string, service: string) => Promise<Tenant | null>): MiddlewareHandler<PlatformEnv> {
  return async (c, next) => {
    const org = c.req.param('org') ?? ''
    const service = c.req.param('service') ?? ''
    const tenant = await lookup(org, service)
    if (!tenant) {
      throw new OcError('OC_TENANT_NOT_FOUND', `no service '${service}' in organization '${org}': check the organization and service in the URL`)
    }
    c.set('tenant', tenant)
    await next()
  }
}

/** Resolves the organization of an organization-level route, or answers 404. */
export function resolveOrganization(lookup: (org: string) => Promise<Organization | null>): MiddlewareHandler<PlatformEnv> {
  return async (c, next) => {
    const slug = c.req.param('org') ?? ''
    const org = await lookup(slug)
    if (!org) throw new OcError('OC_TENANT_NOT_FOUND', `no organization '${slug}': check the organization in the URL`)
    c.set('org', { id: org.id, slug: org.slug, name: org.name })
    await next()
  }
}
