/**
 * Sign-in and sessions over the organization API, on both drivers: login, refresh rotation and
 * reuse detection, sign-out and revocation (access tokens die with their session), throttling
 * in the database (per account and per address, across instances), rehash on sign-in, and the
 * generated signing secret shared by instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { DRIVERS } from '../../test/support/databases.ts'
import { caller, testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../test/support/identity.ts'
import { hashIterations, hashPassword } from './passwords.ts'

describe.each(DRIVERS)('sign-in and sessions on %s', (driver) => {
  let t: TestPlatform
  const org = '/o/acme/org/v1'
  beforeAll(async () => {
    t = await testPlatform({ driver, ...identityOptions({ identity: { loginThrottle: { accountFailures: 3, addressFailures: 5, lockSeconds: 30 } } }) })
    await t.createService('acme', 'desk')
    await t.createService('other', 'desk')
  })
  afterAll(() => t.close())

  it('signs in with e-mail and password and returns a pinned, short-lived JWT', async () => {
    const ada = await addMember(t, 'acme', 'ada@example.com', 'owner')
    const tokens = await signIn(t, 'acme', { email: 'ADA@example.com', password: ada.password })
    expect(tokens.refreshToken).toMatch(/^ocr_[0-9A-Za-z]{38}$/)
    const claims = decodeJwt(tokens.accessToken)
    expect(claims).toMatchObject({ sub: ada.id, iss: 'opencontact', aud: 'opencontact-api' })
    expect(typeof claims.org).toBe('string')
    expect(typeof claims.sid).toBe('string')
    expect(typeof claims.jti).toBe('string')
    expect(claims.exp! - claims.iat!).toBe(900)
    const me = await t.call(`${org}/me`, { token: tokens.accessToken })
    expect(me.status).toBe(200)
    expect(me.body.member).toMatchObject({ id: ada.id, email: 'ada@example.com', orgRole: 'owner' })
    expect(me.body.organization.slug).toBe('acme')
  })

  it('answers a wrong password and an unknown address alike', async () => {
    await addMember(t, 'acme', 'bob@example.com')
    const wrong = await t.call(`${org}/auth/login`, { body: { email: 'bob@example.com', password: 'not the password' }, token: null })
    const unknown = await t.call(`${org}/auth/login`, { body: { email: 'nobody@example.com', password: 'whatever it is' }, token: null })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body.error.message).toBe(unknown.body.error.message)
    // The same member cannot sign in to another organization.
    expect((await t.call('/o/other/org/v1/auth/login', { body: { email: 'bob@example.com', password: 'a long enough password' }, token: null })).status).toBe(401)
  })

  it('rotates refresh tokens, and reuse of a spent one revokes the whole session', async () => {
    const carol = await addMember(t, 'acme', 'carol@example.com')
    const first = await signIn(t, 'acme', carol)
    const second = await t.call(`${org}/auth/refresh`, { body: { refreshToken: first.refreshToken }, token: null })
    expect(second.status).toBe(200)
    expect(second.body.refreshToken).not.toBe(first.refreshToken)
    expect(decodeJwt(second.body.accessToken).sid).toBe(decodeJwt(first.accessToken).sid)
    expect((await t.call(`${org}/me`, { token: second.body.accessToken })).status).toBe(200)

    const replay = await t.call(`${org}/auth/refresh`, { body: { refreshToken: first.refreshToken }, token: null })
    expect(replay.status).toBe(401)
    expect(replay.body.error.message).toMatch(/already used.*whole session is now revoked/)
    // Both holders are out: the newest refresh token and every access token of the family.
    expect((await t.call(`${org}/auth/refresh`, { body: { refreshToken: second.body.refreshToken }, token: null })).status).toBe(401)
    expect((await t.call(`${org}/me`, { token: second.body.accessToken })).status).toBe(401)
    expect((await t.call(`${org}/me`, { token: first.accessToken })).status).toBe(401)
    const [session] = await t.db.query<{ revoked_reason: string }>('SELECT revoked_reason FROM oc_member_sessions WHERE id = $1', [decodeJwt(first.accessToken).sid])
    expect(session!.revoked_reason).toBe('refresh-token-reuse')
    const [audit] = await t.db.query<{ target_id: string }>("SELECT target_id FROM oc_audit WHERE action = 'session.revoked'")
    expect(audit!.target_id).toBe(carol.id)
    // A new sign-in is a new family and works.
    expect((await t.call(`${org}/me`, { token: (await signIn(t, 'acme', carol)).accessToken })).status).toBe(200)
  })

  it('refuses a mistyped, unknown or cross-organization refresh token', async () => {
    const dan = await addMember(t, 'acme', 'dan@example.com')
    const { refreshToken } = await signIn(t, 'acme', dan)
    const mistyped = refreshToken.slice(0, -1) + (refreshToken.endsWith('A') ? 'B' : 'A')
    const bad = await t.call(`${org}/auth/refresh`, { body: { refreshToken: mistyped }, token: null })
    expect(bad.status).toBe(401)
    expect(bad.body.error.message).toMatch(/checksum/)
    expect((await t.call('/o/other/org/v1/auth/refresh', { body: { refreshToken }, token: null })).status).toBe(401)
    expect((await t.call(`${org}/auth/refresh`, { body: { refreshToken }, token: null })).status).toBe(200)
  })

  it('signs out: the session and its access tokens end at once', async () => {
    const eve = await addMember(t, 'acme', 'eve@example.com')
    const session = await signIn(t, 'acme', eve)
    const other = await signIn(t, 'acme', eve)
    expect((await t.call(`${org}/auth/logout`, { body: { refreshToken: session.refreshToken }, token: null })).status).toBe(204)
    expect((await t.call(`${org}/me`, { token: session.accessToken })).status).toBe(401)
    expect((await t.call(`${org}/auth/refresh`, { body: { refreshToken: session.refreshToken }, token: null })).status).toBe(401)
    // Another session of the same member is untouched.
    expect((await t.call(`${org}/me`, { token: other.accessToken })).status).toBe(200)
  })

  it('revokes every session of a member: by an owner, and by the member everywhere', async () => {
    const owner = await signIn(t, 'acme', { email: 'ada@example.com', password: 'a long enough password' })
    const frank = await addMember(t, 'acme', 'frank@example.com')
    const sessions = [await signIn(t, 'acme', frank), await signIn(t, 'acme', frank)]
    const byOwner = await t.call(`${org}/members/${frank.id}/sessions`, { method: 'DELETE', token: owner.accessToken })
    expect(byOwner.status).toBe(200)
    expect(byOwner.body.revoked).toBe(2)
    for (const s of sessions) expect((await t.call(`${org}/me`, { token: s.accessToken })).status).toBe(401)
    // A member cannot do it to someone else.
    const mine = await signIn(t, 'acme', frank)
    expect((await t.call(`${org}/members/${frank.id}/sessions`, { method: 'DELETE', token: mine.accessToken })).status).toBe(403)
    const everywhere = await t.call(`${org}/me/sessions`, { method: 'DELETE', token: mine.accessToken })
    expect(everywhere.body.revoked).toBe(1)
    expect((await t.call(`${org}/me`, { token: mine.accessToken })).status).toBe(401)
    const audit = await t.db.query<{ target_id: string; actor_label: string }>("SELECT target_id, actor_label FROM oc_audit WHERE action = 'member.sessions-revoked' ORDER BY id")
    expect(audit).toEqual([
      { target_id: frank.id, actor_label: 'ada@example.com' },
      { target_id: frank.id, actor_label: 'frank@example.com' },
    ])
  })

  it('locks an account after repeated failures (429 with Retry-After), in the database for every instance', async () => {
    const gus = await addMember(t, 'acme', 'gus@example.com')
    const attempt = (call = t.call, password = 'wrong password!') => call(`${org}/auth/login`, { body: { email: gus.email, password }, token: null })
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401)
    const locked = await attempt(t.call, gus.password)
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('OC_RATE_LIMITED')
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(25)
    expect(retryAfter).toBeLessThanOrEqual(30)
    // A second instance on the same database sees the lock.
    const second = await testPlatform({ db: t.db, ...identityOptions() })
    try {
      expect((await attempt(second.call, gus.password)).status).toBe(429)
    } finally {
      await second.close()
    }
    // When the lock has passed, the right password works and clears the count.
    await t.db.query("UPDATE oc_login_throttle SET locked_until = now() - interval '1 second' WHERE key LIKE 'account:%'")
    expect((await attempt(t.call, gus.password)).status).toBe(200)
    expect(await t.db.query("SELECT 1 FROM oc_login_throttle WHERE key LIKE 'account:%gus@example.com'")).toEqual([])
  })

  it('locks a client address that fails across many accounts, even when its own account signs in', async () => {
    const from = (address: string) => caller((request) => t.platform.fetch(request, { incoming: { socket: { remoteAddress: address } } }), 'http://opencontact.test', null)
    const sprayer = from('198.51.100.66')
    const holly = await addMember(t, 'acme', 'holly@example.com')
    for (let i = 0; i < 4; i++) {
      expect((await sprayer(`${org}/auth/login`, { body: { email: `victim${i}@example.com`, password: 'guess guess' } })).status).toBe(401)
    }
    // The attacker's own account succeeds: it clears its account's count, not the address's.
    expect((await sprayer(`${org}/auth/login`, { body: { email: holly.email, password: holly.password } })).status).toBe(200)
    expect((await sprayer(`${org}/auth/login`, { body: { email: 'victim9@example.com', password: 'guess guess' } })).status).toBe(401)
    const locked = await sprayer(`${org}/auth/login`, { body: { email: holly.email, password: holly.password } })
    expect(locked.status).toBe(429)
    // Another address is not affected.
    expect((await from('198.51.100.67')(`${org}/auth/login`, { body: { email: holly.email, password: holly.password } })).status).toBe(200)
  })

  it('rehashes a password made with fewer iterations when its member signs in', async () => {
    const ivy = await addMember(t, 'acme', 'ivy@example.com')
    await t.db.query('UPDATE oc_members SET password_hash = $1 WHERE id = $2', [await hashPassword(ivy.password, 1_000), ivy.id])
    const stronger = await testPlatform({ db: t.db, ...identityOptions({ identity: { passwordIterations: 2_000 } }) })
    try {
      const res = await stronger.call(`${org}/auth/login`, { body: { email: ivy.email, password: ivy.password }, token: null })
      expect(res.status).toBe(200)
    } finally {
      await stronger.close()
    }
    const [row] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM oc_members WHERE id = $1', [ivy.id])
    expect(hashIterations(row!.password_hash)).toBe(2_000)
    // And the new hash verifies: the next sign-in works on the first instance.
    expect((await signIn(t, 'acme', ivy)).accessToken).toBeTruthy()
  })

  it('shares the generated signing secret between instances', async () => {
    const [secret] = await t.db.query<{ value: string }>("SELECT value FROM oc_identity_secrets WHERE name = 'jwt-hs256'")
    expect(secret!.value.length).toBeGreaterThanOrEqual(64)
    const token = (await signIn(t, 'acme', { email: 'ada@example.com', password: 'a long enough password' })).accessToken
    const second = await testPlatform({ db: t.db, ...identityOptions() })
    try {
      expect((await second.call(`${org}/me`, { token })).status).toBe(200)
    } finally {
      await second.close()
    }
  })
})
