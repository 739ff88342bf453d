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

/** The prefix of organization-level routes (members, sign-in). */
export const ORG_PREFIX = '/o/:org/org/v1'

/** A Hono `getPath` that maps `{org}.{baseDomain}/...` onto `/o/{org}/...`. */
export function tenantRoutingPath(baseDomain: string | undefined): (request: Request) => string {
  if (!baseDomain) return getPath
  const suffix = `.${baseDomain.toLowerCase()}`
  return (request) => {
    const path = getPath(request)
    const host = request.headers.get('host')
    if (!host) return path
    const name = host.replace(/:\d+$/, '').toLowerCase()
    if (!name.endsWith(suffix)) return path
    const org = name.slice(0, -suffix.length)
    return org && !org.includes('.') ? `/o/${org}${path}` : path
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
