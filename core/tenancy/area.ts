/**
 * The tenancy area: the operator API (organizations, services, contracts), operator tokens,
 * and the caches that resolve a request's tenant, emptied on every instance by NOTIFY.
 */
import type { CoreArea, CoreDeps } from '../area.ts'
import { notifiedCache, type NotifiedCache } from '../storage/notified-cache.ts'
import { OPERATOR_TOKEN_PREFIX, operatorTokenVerifier, type OperatorTokenVerifier } from '../identity/operator-tokens.ts'
import { registerOperatorRoutes } from './operator-routes.ts'
import { loadTenant, organizations } from './repository.ts'
import type { Organization, Tenant } from './types.ts'

export interface TenancyArea extends CoreArea {
  /** The service at `/o/{org}/{service}`, or null; without a promise once cached. */
  tenant(orgSlug: string, serviceCode: string): Tenant | null | Promise<Tenant | null>
  /** The organization at `/o/{org}`, or null; without a promise once cached. */
  organization(orgSlug: string): Organization | null | Promise<Organization | null>
}

const operatorPrincipal = (tokenId: string | null) => (tokenId ? { kind: 'operator' as const, tokenId } : null)

export function tenancyArea({ db, installed, log }: CoreDeps): TenancyArea {
  let tenants: (NotifiedCache<Tenant | null> & { stop(): Promise<void> }) | undefined
  let orgs: (NotifiedCache<Organization | null> & { stop(): Promise<void> }) | undefined
  let operators: OperatorTokenVerifier | undefined
  return {
    id: 'tenancy',
    operatorRoutes: (app) => {
      // NOTIFY reaches this instance's own listener a moment after the commit, possibly after the
      // client's next request: forget tenancy right after every write made here, before answering.
      app.use('*', async (c, next) => {
        await next()
        if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
          tenants?.clear()
          orgs?.clear()
        }
      })
      registerOperatorRoutes(app, db, installed, log)
    },
    authenticators: [
      (token) => {
        if (!token.startsWith(`${OPERATOR_TOKEN_PREFIX}_`)) return null
        const tokenId = operators!.verify(token)
        return typeof tokenId === 'object' && tokenId !== null ? tokenId.then(operatorPrincipal) : operatorPrincipal(tokenId)
      },
    ],
    tenant: (org, service) => tenants!.read(`${org}/${service}`, () => loadTenant(db, org, service)),
    organization: (slug) => orgs!.read(slug, () => organizations.bySlug(db, slug)),
    async start() {
      tenants = await notifiedCache(db, 'oc_tenancy')
      orgs = await notifiedCache(db, 'oc_tenancy')
      operators = await operatorTokenVerifier(db)
    },
    async stop() {
      await Promise.all([tenants?.stop(), orgs?.stop(), operators?.stop()])
    },
  }
}
