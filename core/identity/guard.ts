/**
 * Authentication and the per-route access check. Credentials are read only for routes that
 * need them. Each authenticator recognises its own token form (by prefix) and returns null for
 * tokens that are not its kind, so adding one (member JWTs, service keys) is adding a function.
 */
import type { MiddlewareHandler, Next } from 'hono'
import type { PlatformContext, PlatformEnv, RequestVars } from '../api/context.ts'
import { errors } from '../http/errors.ts'
import { asMiddleware, isThenable } from '../http/sync-middleware.ts'
import { type Access, describeAccess, type Principal } from './principal.ts'

/**
 * Returns the principal a bearer token stands for, `null` if the token is not this kind, or
 * throws 401. An authenticator that answers from memory may answer without a promise.
 */
export type Authenticator = (token: string, c: PlatformContext) => Principal | null | Promise<Principal | null>

const ANONYMOUS: Principal = { kind: 'anonymous' }
const BEARER = /^Bearer\s+(\S+)$/i

/** The request's principal; without a promise when every authenticator asked answers without one. */
export function authenticate(c: PlatformContext, authenticators: readonly Authenticator[]): Principal | Promise<Principal> {
  const header = c.req.header('authorization')
  if (!header) return ANONYMOUS
  const match = BEARER.exec(header)
  if (!match) throw errors.unauthenticated("the Authorization header must be 'Bearer <token>'")
  return authenticateFrom(0, match[1]!, c, authenticators)
}

/** Asks the authenticators from `first` on, in order, until one recognises the token. */
function authenticateFrom(first: number, token: string, c: PlatformContext, authenticators: readonly Authenticator[]): Principal | Promise<Principal> {
  for (let i = first; i < authenticators.length; i++) {
    const principal = authenticators[i]!(token, c)
    if (isThenable(principal)) return principal.then((found) => found ?? authenticateFrom(i + 1, token, c, authenticators))
    if (principal) return principal
  }
  throw errors.unauthenticated('the bearer token is not valid: it is unknown, revoked or mistyped')
}

/** Where the request is: an organization, and within it possibly a service. */
export interface AccessScope {
  orgId?: string
  serviceId?: string
}

/** Throws 401/403 unless the principal satisfies the rule in this scope. */
export function authorize(principal: Principal, rule: Access, scope: AccessScope): void {
  if (rule === 'public') return
  switch (principal.kind) {
    case 'operator':
      return
    case 'anonymous':
      throw errors.unauthenticated(
        rule === 'operator'
          ? "this route is for platform operators: send 'Authorization: Bearer <operator token>'"
          : `this route needs credentials (${describeAccess(rule)}): send 'Authorization: Bearer <token>'`,
      )
    case 'member': {
      if (rule === 'operator') throw errors.forbidden('this route is for platform operators')
      if (principal.orgId !== scope.orgId) throw errors.forbidden('you are signed in to another organization')
      if (principal.orgRole === 'owner') return
      if (typeof rule === 'object' && 'orgRole' in rule) throw errors.forbidden('this route is for owners of the organization')
      if (!scope.serviceId) {
        if (rule === 'authenticated') return
        throw errors.forbidden(`this route needs ${describeAccess(rule)}`)
      }
      const agent = principal.agent
      if (!agent || agent.serviceId !== scope.serviceId) throw errors.forbidden('you are not an agent of this service')
      if (rule === 'authenticated') return
      if (rule.role === 'admin' && agent.role !== 'admin') throw errors.forbidden('this route is for administrators of the service')
      if (rule.permission && !agent.permissions.includes(rule.permission)) throw errors.forbidden(`this route needs the '${rule.permission}' permission`)
      return
    }
    case 'service-key': {
      if (rule === 'operator') throw errors.forbidden('this route is for platform operators')
      if (!scope.serviceId || principal.serviceId !== scope.serviceId) throw errors.forbidden('this service key belongs to another service')
      if (typeof rule === 'object' && ('orgRole' in rule || rule.role === 'admin')) throw errors.forbidden('service keys cannot call administration routes')
      return
    }
    default: {
      const unreachable: never = principal
      throw errors.forbidden(`unknown principal ${JSON.stringify(unreachable)}`)
    }
  }
}

/** The access check of a route: synchronous when authentication is (see http/fused-router.ts). */
export function accessGuard(authenticators: readonly Authenticator[]): (rule: Access) => MiddlewareHandler<PlatformEnv> {
  const admit = (c: PlatformContext, next: Next, rule: Access, principal: Principal) => {
    // c.get, not c.var: Hono builds a new object of all variables on every c.var read.
    const tenant = c.get('tenant') as RequestVars['tenant'] | undefined
    authorize(principal, rule, { orgId: tenant?.org.id ?? c.get('org')?.id, serviceId: tenant?.service.id })
    c.set('principal', principal)
    return next()
  }
  return (rule) =>
    asMiddleware<PlatformEnv>((c, next) => {
      if (rule === 'public') {
        c.set('principal', ANONYMOUS)
        return next()
      }
      const principal = authenticate(c, authenticators)
      return isThenable(principal) ? principal.then((found) => admit(c, next, rule, found as Principal)) : admit(c, next, rule, principal)
    })
}
