/**
 * Visitors and member sign-in (W5) through HTTP, on both database drivers: both sign-in schemes
 * (forged, expired, future, replayed and wrong-algorithm tokens refused; a good one signs in and
 * the cookie carries the session), the server flow's access token, sign-out, CSRF on form posts,
 * and open redirects refused.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import { definePlugin, route, z } from '../../../core/mod.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { signMemberToken } from './member-token.ts'
import { requireCsrf } from './csrf.ts'
import { currentVisitor } from './visitor.ts'
import { helpCenterMount } from './mount.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const KEY = 'member-integration-key-0123456789'
const SECRET = 'a shared secret of at least thirty-two characters'

// A tiny form route on the /hc group, behind requireCsrf, as the pages put it on theirs.
const probe = route({ method: 'post', path: '/test-form', access: 'public', middleware: [requireCsrf()] as const, request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: z.object({ csrf: z.string().optional(), note: z.string() }) } } } }, responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.any() } } } } })
const testHelpcenter = definePlugin({
  ...helpcenter,
  mounts: [
    helpCenterMount((app) => {
      app.openapi(probe, (c) => c.json({ note: c.req.valid('form').note, visitor: currentVisitor(c).kind }, 200))
    }),
    ...helpcenter.mounts!.slice(1),
  ],
})

describe.each(drivers)('help-center visitors on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let jwks: ReturnType<typeof createServer>
  let jwksUrl: string
  let rsaPrivate: CryptoKey
  const base = '/o/visit/desk/hc'
  const url = (path: string) => `http://opencontact.test${path}`

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256')
    rsaPrivate = pair.privateKey as CryptoKey
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })))
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`
    tp = await createTestPlatform({ plugins: [ticket, testHelpcenter], driver: driver(), outboundAllowlist: ['127.0.0.1/32'], baseDomain: 'oc.test' })
    svc = await tp.service('visit', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'] })
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY, jwtSecret: SECRET, jwtJwksUrl: jwksUrl, jwtAudience: 'help' } }))
  })
  afterAll(async () => {
    await tp.close()
    jwks.close()
  })

  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    tp.fetch(new Request(url(path), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() }))
  const get = (path: string, headers: Record<string, string> = {}) => tp.fetch(new Request(url(path), { headers }))
  const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  const sessionCookie = (res: Response) => cookieOf(res, 'oc_hc_session')!.split(';')[0]!
  const session = async (cookie: string) => (await get(`${base}/session`, { cookie })).json()

  const memberFields = async (over: Record<string, string> = {}, time = Date.now()) => {
    const fields = { service: 'desk', usercode: `u${Math.random().toString(36).slice(2)}`, username: '홍길동', email: 'hong@example.com', phone: '', memberno: 'M-7', returnUrl: `${base}/faq`, time: String(time), ...over }
    return { ...fields, token: await signMemberToken(KEY, fields) }
  }

  it('signs a member in with the member-integration token: HttpOnly cookie on the help center path, redirect to returnUrl', async () => {
    const fields = await memberFields()
    const res = await post(`${base}/v2/enduser/remote.json`, fields)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base}/faq`)
    const cookie = cookieOf(res, 'oc_hc_session')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(new RegExp(`Path=${base}`))
    expect(cookie).not.toMatch(/Secure/) // plain http here
    const body = await session(sessionCookie(res))
    expect(body.visitor).toMatchObject({ kind: 'member', scheme: 'member-token', member: { usercode: fields.usercode, name: '홍길동', email: 'hong@example.com', memberno: 'M-7' } })
    expect(body.visitor.member.phone).toBeUndefined()
    // The session row keeps the digest of the token, never the token itself.
    const rows = await tp.db.query<{ token_hash: string }>('SELECT token_hash FROM helpcenter_visitor_sessions WHERE usercode = $1', [fields.usercode])
    expect(rows).toHaveLength(1)
    expect(sessionCookie(res)).not.toContain(rows[0]!.token_hash)
  })

  it('ends a session at its expiry: the visitor is anonymous again and the stale cookie is cleared', async () => {
    const fields = await memberFields()
    const cookie = sessionCookie(await post(`${base}/v2/enduser/remote.json`, fields))
    expect((await session(cookie)).visitor.kind).toBe('member')
    await tp.db.query("UPDATE helpcenter_visitor_sessions SET expires_at = now() - interval '1 second' WHERE usercode = $1", [fields.usercode])
    const res = await get(`${base}/session`, { cookie })
    expect((await res.json()).visitor.kind).toBe('anonymous')
    expect(cookieOf(res, 'oc_hc_session')).toMatch(/Max-Age=0/)
  })

  it("works on the organization's own host too: cookie path and return URLs are /{service}/hc there", async () => {
    const fields = await memberFields({ returnUrl: '/desk/hc/notices' })
    const res = await tp.fetch(new Request('http://visit.oc.test/desk/hc/v2/enduser/remote.json', { method: 'POST', headers: { host: 'visit.oc.test', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/desk/hc/notices')
    expect(cookieOf(res, 'oc_hc_session')).toMatch(/Path=\/desk\/hc;/)
    const refused = await tp.fetch(new Request('http://visit.oc.test/desk/hc/v2/enduser/remote.json', { method: 'POST', headers: { host: 'visit.oc.test', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(await memberFields({ returnUrl: '/other/hc/' })).toString() }))
    expect(refused.status).toBe(422)
  })

  it('answers a script that asks for JSON with where to go instead of a redirect', async () => {
    const res = await post(`${base}/v2/enduser/remote.json`, await memberFields(), { accept: 'application/json' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ location: `${base}/faq` })
    expect((await session(sessionCookie(res))).visitor.kind).toBe('member')
  })

  it('marks cookies Secure when the request came over TLS', async () => {
    const res = await tp.fetch(new Request(`https://opencontact.test${base}/v2/enduser/remote.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...(await memberFields({ returnUrl: '' })) }).toString() }))
    expect(res.status).toBe(303)
    expect(cookieOf(res, 'oc_hc_session')).toMatch(/Secure/)
  })

  it('refuses forged, expired, future and replayed member tokens', async () => {
    const forged = { ...(await memberFields()), token: await signMemberToken('another key entirely, 1234567', await memberFields()) }
    const forgedRes = await post(`${base}/v2/enduser/remote.json`, forged)
    expect(forgedRes.status).toBe(401)
    expect((await forgedRes.json()).error.message).toMatch(/^token: the signature does not match/)
    const tampered = await memberFields()
    expect((await post(`${base}/v2/enduser/remote.json`, { ...tampered, usercode: 'someone-else' })).status).toBe(401)
    const expired = await post(`${base}/v2/enduser/remote.json`, await memberFields({}, Date.now() - 4 * 60 * 1000))
    expect(expired.status).toBe(401)
    expect((await expired.json()).error.message).toMatch(/^time: .*accepted for 180 s/)
    const future = await post(`${base}/v2/enduser/remote.json`, await memberFields({}, Date.now() + 5 * 60 * 1000))
    expect((await future.json()).error.message).toMatch(/in the future/)
    const once = await memberFields()
    expect((await post(`${base}/v2/enduser/remote.json`, once)).status).toBe(303)
    const replay = await post(`${base}/v2/enduser/remote.json`, once)
    expect(replay.status).toBe(401)
    expect((await replay.json()).error.message).toMatch(/used already/)
  })

  it('refuses return URLs outside the help center (open redirect)', async () => {
    for (const returnUrl of ['https://evil.example/', '//evil.example/hc', '/o/visit/desk/api/v1/ticket/tickets', `${base}/../../api`, '/\\evil.example']) {
      const res = await post(`${base}/v2/enduser/remote.json`, await memberFields({ returnUrl }))
      expect(res.status, returnUrl).toBe(422)
      expect((await res.json()).error.issues[0].path).toBe('body.returnUrl')
    }
  })

  it('server flow: an access token from /api/v2/enduser/remote.json, exchanged once for the cookie', async () => {
    const { returnUrl: _dropped, ...fields } = await memberFields({ returnUrl: '' })
    const res = await tp.fetch(new Request(url('/o/visit/desk/api/v2/enduser/remote.json'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) }))
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.header).toEqual({ resultCode: 200, resultMessage: 'SUCCESS', isSuccessful: true })
    const accessToken = body.result.content as string
    const exchanged = await get(`${base}/?accessToken=${encodeURIComponent(accessToken)}&lang=ko`)
    expect(exchanged.status).toBe(303)
    expect(exchanged.headers.get('location')).toBe(`${base}/?lang=ko`)
    expect((await session(sessionCookie(exchanged))).visitor).toMatchObject({ kind: 'member', member: { usercode: fields.usercode } })
    const again = await get(`${base}/?accessToken=${encodeURIComponent(accessToken)}`)
    expect(again.status).toBe(401)
    expect((await again.json()).error).toMatchObject({ code: 'HC_ACCESS_TOKEN_REFUSED', message: expect.stringMatching(/^accessToken: .*used already/) })
    const refused = await tp.fetch(new Request(url('/o/visit/desk/api/v2/enduser/remote.json'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, token: 'AAAA' }) }))
    expect(refused.status).toBe(401)
    expect((await refused.json()).header).toMatchObject({ resultCode: 401, isSuccessful: false })
  })

  describe('JWT hand-off', () => {
    const now = () => Math.floor(Date.now() / 1000)
    const hs = (claims: Record<string, unknown> = {}, iat = now()) => new SignJWT({ name: 'Ada', email: 'ada@example.com', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('ada-1').setIssuedAt(iat).setAudience('help').setJti(crypto.randomUUID()).sign(new TextEncoder().encode(SECRET))

    it('signs in with HS256 and with RS256 from the JWKS URL', async () => {
      const res = await get(`${base}/sign-in/jwt?jwt=${await hs()}&returnUrl=${encodeURIComponent(`${base}/inquiry`)}`)
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`${base}/inquiry`)
      expect((await session(sessionCookie(res))).visitor).toMatchObject({ kind: 'member', scheme: 'jwt', member: { usercode: 'ada-1', name: 'Ada', email: 'ada@example.com' } })
      const rs = await new SignJWT({ phone_number: '010-1234-5678' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('rs-1').setIssuedAt().setAudience('help').setJti(crypto.randomUUID()).sign(rsaPrivate)
      const posted = await post(`${base}/sign-in/jwt`, { jwt: rs })
      expect(posted.status).toBe(303)
      expect((await session(sessionCookie(posted))).visitor.member).toEqual({ usercode: 'rs-1', phone: '010-1234-5678' })
    })

    it('refuses forged, expired, old, future, replayed, unsigned and wrong-algorithm tokens', async () => {
      const refused = async (jwt: string) => {
        const res = await get(`${base}/sign-in/jwt?jwt=${jwt}`)
        expect(res.status, jwt).toBe(401)
        return (await res.json()).error.message as string
      }
      const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt().setAudience('help').setJti('f1').sign(new TextEncoder().encode('not the secret, but as long as it'))
      expect(await refused(forged)).toMatch(/signature does not match/)
      expect(await refused(await hs({ exp: now() - 60 }, now() - 120))).toMatch(/'exp' has passed/)
      expect(await refused(await hs({}, now() - 4 * 60))).toMatch(/issued \d+ s ago/)
      expect(await refused(await hs({}, now() + 5 * 60))).toMatch(/in the future/)
      expect(await refused(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt().setAudience('other').setJti('a1').sign(new TextEncoder().encode(SECRET)))).toMatch(/'aud' claim/)
      const once = await hs()
      expect((await get(`${base}/sign-in/jwt?jwt=${once}`)).status).toBe(303)
      expect(await refused(once)).toMatch(/used already/)
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
      expect(await refused(`${b64({ alg: 'none' })}.${b64({ sub: 'x', iat: now(), jti: 'n1', aud: 'help' })}.`)).toMatch(/algorithm 'none' is not accepted/)
      // An RS256 key's token relabelled HS256 and signed with the public JWK as a secret: pinned to HS256 + the secret, refused.
      const hsWithRsKey = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('x').setIssuedAt().setAudience('help').setJti('h5').sign(new TextEncoder().encode(SECRET + SECRET))
      expect(await refused(hsWithRsKey)).toMatch(/algorithm 'HS512' is not accepted/)
      const noJti = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt().setAudience('help').sign(new TextEncoder().encode(SECRET))
      expect(await refused(noJti)).toMatch(/no 'jti'/)
    })
  })

  describe('CSRF and sign-out', () => {
    it('refuses a form post without or with a wrong token (403 naming the fix), accepts the right one', async () => {
      const missing = await post(`${base}/test-form`, { note: 'hi' })
      expect(missing.status).toBe(403)
      expect(await missing.json()).toMatchObject({ error: { code: 'HC_CSRF_REFUSED', message: expect.stringMatching(/no 'csrf' field: reload the page/) } })
      const html = await post(`${base}/test-form`, { note: 'hi' }, { accept: 'text/html' })
      expect(html.status).toBe(403)
      expect(await html.text()).toMatch(/<p>the form has no &#39;csrf&#39;|<p>the form has no 'csrf'/)

      // An anonymous visitor: the page's token comes with its cookie (signed double submit).
      const page = await get(`${base}/session`)
      const anonCookie = cookieOf(page, 'oc_hc_csrf')!.split(';')[0]!
      const { csrfToken } = await page.json()
      expect((await post(`${base}/test-form`, { note: 'hi', csrf: 'wrong' }, { cookie: anonCookie })).status).toBe(403)
      expect((await post(`${base}/test-form`, { note: 'hi', csrf: csrfToken })).status).toBe(403) // the token without its cookie
      expect((await post(`${base}/test-form`, { note: 'hi', csrf: csrfToken }, { cookie: 'oc_hc_csrf=planted' })).status).toBe(403)
      const accepted = await post(`${base}/test-form`, { note: 'hi', csrf: csrfToken }, { cookie: anonCookie })
      expect(accepted.status, await accepted.clone().text()).toBe(200)
      expect(await accepted.json()).toEqual({ note: 'hi', visitor: 'anonymous' })
    })

    it("binds a member's token to the session, rotates it on sign-in, and signs out", async () => {
      const first = sessionCookie(await post(`${base}/v2/enduser/remote.json`, await memberFields()))
      const { csrfToken } = await session(first)
      expect((await post(`${base}/test-form`, { note: 'm', csrf: csrfToken }, { cookie: first })).status).toBe(200)
      // Signing in again (with the old cookie) ends the old session.
      const second = sessionCookie(await post(`${base}/v2/enduser/remote.json`, await memberFields(), { cookie: first }))
      expect(second).not.toBe(first)
      expect((await session(first)).visitor.kind).toBe('anonymous')
      expect((await post(`${base}/test-form`, { note: 'm', csrf: csrfToken }, { cookie: second })).status).toBe(403)
      // Sign-out needs the token too, then the session is gone.
      const token = (await session(second)).csrfToken
      expect((await post(`${base}/sign-out`, {}, { cookie: second })).status).toBe(403)
      const out = await post(`${base}/sign-out`, { csrf: token }, { cookie: second })
      expect(out.status).toBe(303)
      expect(cookieOf(out, 'oc_hc_session')).toMatch(/Max-Age=0/)
      expect((await session(second)).visitor.kind).toBe('anonymous')
    })

    it("links 'sign in' to the tenant's login page with this page as returnUrl, and lists the routes in the service's document", async () => {
    expect((await session('')).signInUrl).toBeNull()
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, jwtJwksUrl: jwksUrl, jwtAudience: 'help', memberLoginUrl: 'https://shop.example.com/login?from=hc' } }))
    const link = new URL((await session('')).signInUrl)
    expect(link.origin + link.pathname).toBe('https://shop.example.com/login')
    expect(link.searchParams.get('from')).toBe('hc')
    expect(link.searchParams.get('returnUrl')).toBe(url(`${base}/session`))
    const document = await ok(svc.call('/openapi.json'))
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/hc/v2/enduser/remote.json', '/hc/sign-in/jwt', '/hc/sign-out', '/api/v2/enduser/remote.json']))
  })

  it('treats everyone as anonymous while member integration is off', async () => {
      const cookie = sessionCookie(await post(`${base}/v2/enduser/remote.json`, await memberFields()))
      await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: false } }))
      try {
        expect((await session(cookie)).visitor.kind).toBe('anonymous')
        const refused = await post(`${base}/v2/enduser/remote.json`, await memberFields())
        expect(refused.status).toBe(403)
        expect((await refused.json()).error.message).toMatch(/memberIntegration/)
        const res = await get(`${base}/session`, { cookie })
        expect(cookieOf(res, 'oc_hc_session')).toBeUndefined() // kept for when integration is back on
      } finally {
        await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true } }))
      }
      expect((await session(cookie)).visitor.kind).toBe('member')
    })
  })
})

describe('JWKS through the outbound guard', () => {
  it('refuses to fetch keys from a loopback URL the operator did not allow, naming the setting', async () => {
    const tp = await createTestPlatform({ plugins: [ticket, helpcenter] })
    try {
      const svc = await tp.service('guard', 'desk', { plugins: ['ticket', 'helpcenter'] })
      await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, jwtJwksUrl: 'http://127.0.0.1:9/jwks.json' } }))
      const { privateKey } = await generateKeyPair('ES256')
      const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setSubject('x').setIssuedAt().setJti('g1').sign(privateKey)
      const res = await tp.fetch(new Request(`http://opencontact.test/o/guard/desk/hc/sign-in/jwt?jwt=${jwt}`))
      expect(res.status, await res.clone().text()).toBe(502)
      expect((await res.json()).error).toMatchObject({ code: 'HC_JWKS_UNAVAILABLE', message: expect.stringMatching(/^jwtJwksUrl: .*loopback/) })
    } finally {
      await tp.close()
    }
  })
})
