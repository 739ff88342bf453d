/**
 * The bearer authenticators answer without a promise once what they read is cached (a service
 * key, its service's policy; a member token's claims, member, session and grant), and keep every
 * check on the cached values: a revoked key or session is refused on the next request.
 */
import { describe, expect, it } from 'vitest'
import type { PlatformContext } from '../api/context.ts'
import type { IdentityCache, MemberRecord, ServiceKeyRecord, SessionRecord } from './auth-cache.ts'
import { accessTokens } from './access-tokens.ts'
import { memberAuthenticator, serviceKeyAuthenticator } from './authenticators.ts'
import type { IdentityRuntime } from './runtime.ts'
import { generateToken } from './tokens.ts'

const orgId = crypto.randomUUID()
const serviceId = crypto.randomUUID()
const context = { get: (key: string) => (key === 'tenant' ? { org: { id: orgId }, service: { id: serviceId } } : undefined) } as unknown as PlatformContext
const tokens = accessTokens(new TextEncoder().encode('a secret of the platform, long enough'), { issuer: 'https://oc.test', audience: 'opencontact', lifetimeSeconds: 60 })

/** A cache holding these records, answering from memory as a warm cache does. */
function runtimeWith(records: { key?: ServiceKeyRecord; member?: MemberRecord; session?: SessionRecord }): IdentityRuntime {
  const cache: Partial<IdentityCache> = {
    serviceKey: () => records.key ?? null,
    openApiPolicy: () => ({ enabled: true, restricted: false, allowlist: [] }),
    member: () => records.member ?? null,
    session: () => records.session ?? null,
    agentGrant: () => ({ agentId: crypto.randomUUID(), serviceId, role: 'agent', permissions: [] }),
  }
  return { cache: () => cache as IdentityCache, tokens: () => tokens, clientIp: () => '192.0.2.1' } as unknown as IdentityRuntime
}

describe('authenticators on a warm cache', () => {
  it('admit a cached service key without a promise, and refuse it once revoked', () => {
    const token = generateToken('ocs')
    const key = { id: crypto.randomUUID(), orgId, serviceId, revoked: false, expiresAt: null }
    expect(serviceKeyAuthenticator(runtimeWith({ key }))(token, context)).toEqual({ kind: 'service-key', keyId: key.id, orgId, serviceId })
    expect(() => serviceKeyAuthenticator(runtimeWith({ key: { ...key, revoked: true } }))(token, context)).toThrow(/unknown or revoked/)
  })

  it('admit a member token verified before without a promise, and refuse it once its session is revoked', async () => {
    const member = { id: crypto.randomUUID(), orgId, email: 'a@example.com', orgRole: 'member' as const }
    const session = { id: crypto.randomUUID(), memberId: member.id, revoked: false, expiresAt: Date.now() + 60_000 }
    const { token } = await tokens.issue({ memberId: member.id, orgId, sessionId: session.id })
    const authenticate = memberAuthenticator(runtimeWith({ member, session }))
    expect(await authenticate(token, context)).toMatchObject({ kind: 'member', memberId: member.id, agent: { serviceId } })
    expect(authenticate(token, context)).toMatchObject({ kind: 'member', memberId: member.id })
    expect(() => memberAuthenticator(runtimeWith({ member, session: { ...session, revoked: true } }))(token, context)).toThrow(/signed out or revoked/)
  })
})
