/**
 * Authentication and the per-route access check. Credentials are read only for routes that
 * need them. Each authenticator recognises its own token form (by prefix) and returns null for
 * tokens that are not its kind, so adding one (member JWTs, service keys) is adding a function.
 */
import type { MiddlewareHandler } from 'hono'
import type { PlatformContext, PlatformEnv } from '../plugin/context.ts'
import { errors } from '../http/errors.ts'
import { type Access, describeAccess, type Principal } from './principal.ts'

/** Returns the principal a bearer token stands for, `null` if the token is not this kind, or throws 401. */
export type Authenticator = (token: string, c: PlatformContext) => Promise<Principal | null>

const ANONYMOUS: Principal = { kind: 'anonymous' }

export async function authenticate(c: PlatformContext, authenticators: readonly Authenticator[]): Promise<Principal> {
  const header = c.req.header('authorization')
  if (!header) return ANONYMOUS
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match) throw errors.unauthenticated("the Authorization header must be 'Bearer <token>'")
  for (const authenticator of authenticators) {
    const principal = await authenticator(match[1]!, c)
    if (principal) return principal
  }
  throw errors.unauthenticated('the bearer token is not valid: it is unknown, revoked or mistyped')
}

/** Throws 401/403 unless the principal satisfies the rule. */
export function authorize(principal: Principal, rule: Access): void {
  if (rule === 'public') return
  switch (principal.kind) {
    case 'operator':
      return
    case 'anonymous':
      if (rule === 'operator') throw errors.unauthenticated("this route is for platform operators: send 'Authorization: Bearer <operator token>'")
      throw errors.unauthenticated(`this route needs credentials (${describeAccess(rule)}): send 'Authorization: Bearer <token>'`)
    default: {
      const unreachable: never = principal
      throw errors.forbidden(`unknown principal ${JSON.stringify(unreachable)}`)
    }
  }
}

export function accessGuard(authenticators: readonly Authenticator[]): (rule: Access) => MiddlewareHandler<PlatformEnv> {
  return (rule) => async (c, next) => {
    if (rule !== 'public') {
      const principal = await authenticate(c, authenticators)
      authorize(principal, rule)
      c.set('principal', principal)
    } else {
      c.set('principal', ANONYMOUS)
    }
    await next()
  }
}
