/**
 * A corpus of access tokens that must all be refused (RFC 8725 pitfalls and claim checks),
 * each sent to real routes. Every forged token starts from the claims of a real sign-in and
 * changes one thing, and a control token re-signed with everything right is accepted, so each
 * refusal is for the reason it names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../test/support/identity.ts'
import { ISSUED_AT_SKEW_SECONDS } from './access-tokens.ts'

const SECRET = 'corpus-test-secret-that-is-long-enough-0123456789'
const key = new TextEncoder().encode(SECRET)
const now = () => Math.floor(Date.now() / 1000)
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('access tokens that must be refused', () => {
  let t: TestPlatform
  let claims: JWTPayload
  let valid: string
  const me = '/o/acme/org/v1/me'

  /** Signs `payload` the way the platform does, with any header changes. */
  const sign = (payload: JWTPayload, header: Record<string, unknown> = {}, secret: Uint8Array = key) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...header } as never).sign(secret)

  beforeAll(async () => {
    t = await testPlatform({ ...identityOptions({ jwtSecret: SECRET }) })
    await t.createService('acme', 'desk')
    await t.createService('beta', 'desk')
    const ada = await addMember(t, 'acme', 'ada@example.com', 'owner')
    valid = (await signIn(t, 'acme', ada)).accessToken
    claims = decodeJwt(valid)
  })
  afterAll(() => t.close())

  it('accepts the real token and a control token re-signed with the same claims', async () => {
    expect((await t.call(me, { token: valid })).status).toBe(200)
    expect((await t.call(me, { token: await sign({ ...claims, jti: crypto.randomUUID() }) })).status).toBe(200)
    // Within the clock skew: a little ahead, a lifetime a little over.
    expect((await t.call(me, { token: await sign({ ...claims, iat: now() + 30, exp: now() + 30 + 900 }) })).status).toBe(200)
    expect((await t.call(me, { token: await sign({ ...claims, iat: now(), exp: now() + 900 + 30 }) })).status).toBe(200)
  })

  it.each([
    ['alg: none', async () => `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims)}.`, /HS256/],
    ['alg: none with a signature', async () => `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims)}.${valid.split('.')[2]}`, /HS256/],
    [
      'RS256 (asymmetric) token',
      async () => {
        const { privateKey } = await generateKeyPair('RS256')
        return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(privateKey)
      },
      /HS256/,
    ],
    [
      'ES256 (asymmetric) token',
      async () => {
        const { privateKey } = await generateKeyPair('ES256')
        return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey)
      },
      /HS256/,
    ],
    [
      'HS256 signed with a public key as the secret (RS/HS confusion)',
      async () => {
        const { publicKey } = await generateKeyPair('RS256', { extractable: true })
        return sign(claims, {}, new TextEncoder().encode(await exportSPKI(publicKey)))
      },
      /signature/,
    ],
    ['HS384 with the right secret', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS384', typ: 'at+jwt' }).sign(key), /HS256/],
    ['HS256 with another secret', async () => sign(claims, {}, new TextEncoder().encode('another-secret-another-secret-another')), /signature/],
    ['wrong issuer', async () => sign({ ...claims, iss: 'someone-else' }), /'iss'/],
    ['wrong audience', async () => sign({ ...claims, aud: 'another-api' }), /'aud'/],
    ['expired', async () => sign({ ...claims, iat: claims.iat! - 7200, exp: claims.iat! - 3600 }), /expired/],
    ['issued in the future beyond the clock skew', async () => sign({ ...claims, iat: now() + ISSUED_AT_SKEW_SECONDS + 120, exp: now() + ISSUED_AT_SKEW_SECONDS + 120 + 900 }), /issued in the future/],
    ['a lifetime longer than the configured one', async () => sign({ ...claims, iat: now(), exp: now() + 900 + ISSUED_AT_SKEW_SECONDS + 60 }), /longer than the 900 s/],
    ['a year-long token issued an hour ago', async () => sign({ ...claims, iat: now() - 3600, exp: now() + 365 * 86400 }), /longer than/],
    ['not yet valid (nbf in the future)', async () => sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 }), /not valid yet/],
    ['tampered payload (another member, same signature)', async () => `${valid.split('.')[0]}.${b64url({ ...claims, sub: crypto.randomUUID() })}.${valid.split('.')[2]}`, /signature/],
    ['tampered header (typ changed, same signature)', async () => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${valid.split('.')[1]}.${valid.split('.')[2]}`, /.+/],
    ['a plain JWT type instead of at+jwt', async () => sign(claims, { typ: 'JWT' }), /'typ'/],
    ['no session claim', async () => sign({ ...claims, sid: undefined }), /'sid'/],
    ['no expiry', async () => sign({ ...claims, exp: undefined }), /'exp'/],
    ['a member that does not exist', async () => sign({ ...claims, sub: crypto.randomUUID() }), /no longer exists/],
    ['a session that does not exist', async () => sign({ ...claims, sid: crypto.randomUUID() }), /signed out or revoked/],
    ['claims of the wrong type', async () => sign({ ...claims, org: 42 as never }), /claims/],
  ])('refuses %s with 401', async (_name, make, reason) => {
    const res = await t.call(me, { token: await make() })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('OC_UNAUTHENTICATED')
    expect(res.body.error.message).toMatch(reason)
  })

  it('refuses a valid token of one organization in another (403), on organization and service routes', async () => {
    const org = await t.call('/o/beta/org/v1/me', { token: valid })
    expect(org.status).toBe(403)
    expect(org.body.error.message).toMatch(/another organization/)
    expect((await t.call('/o/beta/desk/api/v1/me', { token: valid })).status).toBe(403)
    // Claiming the other organization breaks the member check, whatever the signature.
    const [beta] = await t.db.query<{ id: string }>("SELECT id FROM oc_organizations WHERE slug = 'beta'")
    expect((await t.call('/o/beta/org/v1/me', { token: await sign({ ...claims, org: beta!.id }) })).status).toBe(401)
  })

  it('leaves other token kinds to their authenticators', async () => {
    expect((await t.call(me, { token: 'oco_notanoperatortoken' })).status).toBe(401)
    expect((await t.call(me, { token: 'abc' })).body.error.message).toMatch(/unknown, revoked or mistyped/)
  })
})
