/**
 * Member access tokens: short-lived JWTs (jose), HS256 with the platform secret.
 *
 * Verification pins everything an attacker could choose (RFC 8725): the algorithm (HS256 only,
 * so `alg: none` and RS/ES tokens, including HS256 signed with a public key as the secret, fail),
 * the token type (`at+jwt`, RFC 9068), the issuer, the audience, expiry and not-before, and the
 * claims the platform relies on: `sub` (member id), `org` (organization id), `sid` (session, so
 * a token dies with its session) and `jti`. Defence in depth against a leaked or misused secret:
 * a token issued in the future (beyond {@link ISSUED_AT_SKEW_SECONDS}) or living longer than the
 * configured lifetime (plus the same skew) is refused like any other bad token; the platform
 * never issues either.
 */
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import type { Db } from '../storage/db.ts'
import { errors } from '../http/errors.ts'
import { isUuid } from '../uuid.ts'

/** Three base64url parts: how a JWT is told from other bearer tokens before any work is done. */
export const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/

const TOKEN_TYPE = 'at+jwt'
const ALGORITHM = 'HS256'
/** Clocks of instances differ a little; more than this and the token is early or late. */
const CLOCK_TOLERANCE_SECONDS = 5
/** How far `iat` may lie ahead of this instance's clock, and by how much `exp - iat` may exceed the configured lifetime. */
export const ISSUED_AT_SKEW_SECONDS = 60

export interface AccessClaims {
  readonly memberId: string
  readonly orgId: string
  readonly sessionId: string
  readonly tokenId: string
  readonly issuedAt: number
}

export interface AccessTokenIssuer {
  issue(subject: { memberId: string; orgId: string; sessionId: string }): Promise<{ token: string; expiresIn: number }>
  /** The claims of a valid token; throws 401 naming what is wrong otherwise. */
  verify(token: string): Promise<AccessClaims>
  /**
   * {@link verify}, remembered: a token verified before comes back from memory, without a
   * promise, until it expires. Only the signature and the claims are remembered; whether its
   * session still holds is for the caller to check on every use.
   */
  verified(token: string): AccessClaims | Promise<AccessClaims>
}

/** Tokens remembered per issuer at most; the memory is emptied when full (a busy instance verifies again). */
const VERIFIED_MAX = 10_000

export function accessTokens(secret: Uint8Array, settings: { issuer: string; audience: string; lifetimeSeconds: number }): AccessTokenIssuer {
  const remembered = new Map<string, { claims: AccessClaims; until: number }>()
  const issuer: AccessTokenIssuer = {
    async issue({ memberId, orgId, sessionId }) {
      const token = await new SignJWT({ org: orgId, sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
        .setSubject(memberId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${settings.lifetimeSeconds}s`)
        .sign(secret)
      return { token, expiresIn: settings.lifetimeSeconds }
    },
    async verify(token) {
      let payload: Record<string, unknown>
      try {
        ;({ payload } = await jwtVerify(token, secret, {
          algorithms: [ALGORITHM],
          typ: TOKEN_TYPE,
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ['sub', 'org', 'sid', 'jti', 'iat', 'exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }))
      } catch (error) {
        throw errors.unauthenticated(describeFailure(error))
      }
      const { sub, org, sid, jti, iat } = payload
      if (typeof sub !== 'string' || !isUuid(sub) || typeof org !== 'string' || !isUuid(org) || typeof sid !== 'string' || !isUuid(sid) || typeof jti !== 'string' || typeof iat !== 'number') {
        throw errors.unauthenticated('the access token does not carry the claims of a member token; sign in again')
      }
      const now = Math.floor(Date.now() / 1000)
      if (iat > now + ISSUED_AT_SKEW_SECONDS) throw errors.unauthenticated('the access token is issued in the future (its iat is ahead of this server\'s clock); check the clock of the system that made it, or sign in again')
      const lifetime = (payload.exp as number) - iat
      if (lifetime > settings.lifetimeSeconds + ISSUED_AT_SKEW_SECONDS) {
        throw errors.unauthenticated(`the access token lives ${lifetime} s, longer than the ${settings.lifetimeSeconds} s this platform issues; sign in again`)
      }
      return { memberId: sub, orgId: org, sessionId: sid, tokenId: jti, issuedAt: iat }
    },
    verified(token) {
      const known = remembered.get(token)
      // The same end as `verify`: expiry with the clock tolerance.
      if (known && Date.now() < known.until) return known.claims
      return issuer.verify(token).then((claims) => {
        if (remembered.size >= VERIFIED_MAX) remembered.clear()
        const { exp } = decodeJwt(token)
        remembered.set(token, { claims, until: ((exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000 })
        return claims
      })
    },
  }
  return issuer
}

function describeFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the access token has expired; get a new one with POST /auth/refresh'
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'the access token is not valid yet; check the clock of the system that made it'
    return `the access token's '${error.claim}' claim is not accepted here (${error.reason}); sign in again`
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the access token is not signed with HS256, the only algorithm accepted'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the access token signature is not valid; sign in again'
  return 'the access token is malformed; sign in again'
}

const SECRET_NAME = 'jwt-hs256'

/**
 * The signing secret: the configured one, else the one generated on the first start of any
 * instance and kept in the database, so every instance signs and verifies with the same key.
 */
export async function loadAccessTokenSecret(db: Db, configured: string | undefined): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured)
  const fresh = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))))
  await db.sql`INSERT INTO oc_identity_secrets (name, value) VALUES (${SECRET_NAME}, ${fresh}) ON CONFLICT (name) DO NOTHING`
  const [row] = await db.sql<{ value: string }>`SELECT value FROM oc_identity_secrets WHERE name = ${SECRET_NAME}`
  return new TextEncoder().encode(row!.value)
}
