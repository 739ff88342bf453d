/**
 * The identity area's bearer-token authenticators. Each recognises its own token form and
 * returns null for others (operator tokens are the tenancy area's):
 * - member access tokens, by JWT shape: verified (once per token, see `verified`), then the
 *   member, the session and the agent grant for the request's service are read from the cache,
 *   on every request, so a revoked session ends its tokens at once;
 * - service keys, by the `ocs_` prefix: checksum first (no query for a mistyped key), then the
 *   key, its service, the Open API switch and the IP allowlist, from the cache without a promise
 *   once they are in it.
 */
import type { Authenticator } from './guard.ts'
import type { MemberRecord, OpenApiPolicy, ServiceKeyRecord, SessionRecord } from './auth-cache.ts'
import type { AgentGrant, Principal } from './principal.ts'
import { isThenable } from '../http/sync-middleware.ts'
import type { RequestVars } from '../api/context.ts'
import { errors } from '../http/errors.ts'
import { type AccessClaims, JWT_SHAPE } from './access-tokens.ts'
import { anyContains, parseIp } from './cidr.ts'
import { identityError } from './errors.ts'
import type { IdentityRuntime } from './runtime.ts'
import { SERVICE_KEY_PREFIX } from './service-keys.ts'
import { isWellFormedToken } from './tokens.ts'

export function memberAuthenticator(runtime: IdentityRuntime): Authenticator {
  // Synchronous while the token's claims, its member, session and agent grant are remembered.
  return (token, c) => {
    if (!JWT_SHAPE.test(token)) return null
    const cache = runtime.cache()
    const admitClaims = (claims: AccessClaims): Principal | Promise<Principal> => {
      const member = cache.member(claims.memberId)
      const session = cache.session(claims.sessionId)
      if (isThenable(member) || isThenable(session)) return Promise.all([member, session]).then(([m, s]) => admitMember(claims, m, s))
      return admitMember(claims, member, session)
    }
    const admitMember = (claims: AccessClaims, member: MemberRecord | null, session: SessionRecord | null): Principal | Promise<Principal> => {
      if (!member || member.orgId !== claims.orgId) throw errors.unauthenticated('the member of this access token no longer exists; sign in again')
      if (!session || session.memberId !== member.id || session.revoked || session.expiresAt <= Date.now()) {
        throw errors.unauthenticated('the session of this access token was signed out or revoked; sign in again')
      }
      // c.get, not c.var: Hono builds an object of every variable on each c.var read.
      const tenant = c.get('tenant') as RequestVars['tenant'] | undefined
      const principal = (agent: AgentGrant | null): Principal => ({ kind: 'member', memberId: member.id, orgId: member.orgId, email: member.email, orgRole: member.orgRole, agent })
      if (!tenant || tenant.org.id !== member.orgId) return principal(null)
      const agent = cache.agentGrant(member.id, tenant.service.id)
      return isThenable(agent) ? agent.then(principal) : principal(agent)
    }
    const claims = runtime.tokens().verified(token)
    return isThenable(claims) ? claims.then(admitClaims) : admitClaims(claims)
  }
}

export function serviceKeyAuthenticator(runtime: IdentityRuntime): Authenticator {
  // Synchronous while the key and its service's policy are cached: no promise per request.
  return (token, c) => {
    if (!token.startsWith(`${SERVICE_KEY_PREFIX}_`)) return null
    if (!isWellFormedToken(token, SERVICE_KEY_PREFIX)) {
      throw errors.unauthenticated('the service key is mistyped (its checksum does not match); copy it again from where it was stored')
    }
    const cache = runtime.cache()
    const key = cache.serviceKey(token)
    return isThenable(key) ? key.then((found) => admitKey(runtime, cache, c, found)) : admitKey(runtime, cache, c, key)
  }
}

/** The principal of a service key looked up: refused unless usable, in its service, and admitted by that service's policy. */
function admitKey(runtime: IdentityRuntime, cache: ReturnType<IdentityRuntime['cache']>, c: Parameters<Authenticator>[1], key: ServiceKeyRecord | null): Principal | Promise<Principal> {
  if (!key || key.revoked) throw errors.unauthenticated('the service key is unknown or revoked; an administrator can make a new one (POST /open-api/keys)')
  if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
    throw errors.unauthenticated(`the service key was rotated and its grace period ended at ${new Date(key.expiresAt).toISOString()}; use its successor`)
  }
  const tenant = c.get('tenant') as RequestVars['tenant'] | undefined
  if (!tenant || tenant.service.id !== key.serviceId) throw errors.forbidden('this service key belongs to another service; a key works only for the service it was made in')
  const policy = cache.openApiPolicy(key.serviceId)
  return isThenable(policy) ? policy.then((found) => admitCaller(runtime, c, key, found)) : admitCaller(runtime, c, key, policy)
}

/** The service's Open API switch and IP allowlist, for a usable key. */
function admitCaller(runtime: IdentityRuntime, c: Parameters<Authenticator>[1], key: ServiceKeyRecord, policy: OpenApiPolicy): Principal {
  if (!policy.enabled) throw identityError('OC_OPEN_API_DISABLED', 'Open API access is disabled for this service; an administrator can enable it (PUT /open-api)')
  if (policy.restricted) {
    const address = runtime.clientIp(c)
    const parsed = address === undefined ? null : parseIp(address)
    if (!parsed || !anyContains(policy.allowlist, parsed)) {
      throw identityError('OC_IP_NOT_ALLOWED', `client address ${address ?? '(unknown)'} is not in this service's IP allowlist; an administrator can add it (PUT /open-api/allowlist)`)
    }
  }
  return { kind: 'service-key', keyId: key.id, orgId: key.orgId, serviceId: key.serviceId }
}
