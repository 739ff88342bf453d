/**
 * Sign-in scheme 2: a signed JWT hand-off (W5). The tenant's login signs a short token about the
 * member and sends the browser to the help center with it. Algorithms are pinned by where the key
 * comes from, so a token cannot choose how it is checked: HS256 for the shared secret, RS256 or
 * ES256 for keys of the JWKS URL (fetched through the platform's outbound guard and cached);
 * `none` and any other algorithm are refused. `iat` is required and within three minutes (and
 * not ahead of our clock by more than the skew), `exp` is honoured, `jti` is required (the caller
 * uses it once), `iss`/`aud` are checked when the settings name them.
 *
 * Claims: `sub` (or `usercode`) is the usercode; `name`, `email`, `phone_number` (or `phone`) and
 * `memberno` fill the rest.
 */
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { errors, OcError, OutboundRefusedError, type OutboundGuard } from '../../../core/mod.ts'
import type { Member } from './member.ts'
import { CLOCK_SKEW_MS, TOKEN_WINDOW_MS } from './member-token.ts'

export interface JwtKeys {
  readonly secret?: string | undefined
  readonly jwksUrl?: string | undefined
  readonly issuer?: string | undefined
  readonly audience?: string | undefined
}

const ASYMMETRIC = ['RS256', 'ES256']
const JWKS_TIMEOUT_MS = 5000

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>
/** One key set per URL and guard: jose caches the keys (10 min) and refetches on an unknown `kid` (at most every 30 s). */
const keySets = new WeakMap<OutboundGuard, Map<string, RemoteKeys>>()

function remoteKeys(outbound: OutboundGuard, url: string): RemoteKeys {
  let sets = keySets.get(outbound)
  if (!sets) keySets.set(outbound, (sets = new Map()))
  let set = sets.get(url)
  if (!set) {
    set = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: 10 * 60 * 1000,
      cooldownDuration: 30 * 1000,
      [customFetch]: (input: string | URL | Request, init?: RequestInit) => outbound.fetch(String(input), { ...init, timeoutMs: JWKS_TIMEOUT_MS }),
    })
    sets.set(url, set)
  }
  return set
}

const refuse = (why: string) => errors.unauthenticated(`jwt: ${why}`)

/** Checks a hand-off token; returns the member, its `jti` and until when to remember that id. */
export async function verifyHandoffJwt(jwt: string, keys: JwtKeys, outbound: OutboundGuard, now = Date.now()): Promise<{ member: Member; jti: string; acceptedUntil: Date }> {
  let alg: string | undefined
  try {
    alg = decodeProtectedHeader(jwt).alg
  } catch {
    throw refuse('not a signed JWT (three base64url parts with a JSON header); send the token the login signed')
  }
  const options = { issuer: keys.issuer, audience: keys.audience, currentDate: new Date(now), clockTolerance: CLOCK_SKEW_MS / 1000 }
  let payload: JWTPayload
  try {
    if (alg === 'HS256') {
      if (!keys.secret) throw refuse('HS256 tokens need the shared secret (jwtSecret) in the help center settings; this service has none')
      payload = (await jwtVerify(jwt, new TextEncoder().encode(keys.secret), { ...options, algorithms: ['HS256'] })).payload
    } else if (alg && ASYMMETRIC.includes(alg)) {
      if (!keys.jwksUrl) throw refuse(`${alg} tokens need a JWKS URL (jwtJwksUrl) in the help center settings; this service has none`)
      payload = (await jwtVerify(jwt, remoteKeys(outbound, keys.jwksUrl), { ...options, algorithms: ASYMMETRIC })).payload
    } else {
      throw refuse(`the algorithm '${alg ?? 'none'}' is not accepted; sign with HS256 (shared secret) or RS256/ES256 (JWKS)`)
    }
  } catch (error) {
    if (error instanceof OcError && !(error instanceof OutboundRefusedError)) throw error
    if (error instanceof joseErrors.JOSEError) throw refuse(joseReason(error))
    // The JWKS could not be fetched (refused by the outbound guard, unreachable): not the visitor's fault.
    throw new OcError('HC_JWKS_UNAVAILABLE', `jwtJwksUrl: the key set could not be read (${(error as Error).message}); check the URL in the help center settings`, { status: 502 })
  }
  if (typeof payload.iat !== 'number') throw refuse("the token has no 'iat'; put the signing time (epoch seconds) in it")
  const iatMs = payload.iat * 1000
  if (now - iatMs > TOKEN_WINDOW_MS) throw refuse(`the token was issued ${Math.round((now - iatMs) / 1000)} s ago; hand-off tokens are accepted for ${TOKEN_WINDOW_MS / 1000} s`)
  if (iatMs - now > CLOCK_SKEW_MS) throw refuse(`the token is issued ${Math.round((iatMs - now) / 1000)} s in the future; check the clock of the signing server`)
  if (typeof payload.jti !== 'string' || !payload.jti) throw refuse("the token has no 'jti'; give each token a unique id (it is accepted once)")
  const usercode = str(payload.sub) ?? str(payload.usercode)
  if (!usercode) throw refuse("the token names no member: put the usercode in 'sub'")
  const windowEnd = iatMs + TOKEN_WINDOW_MS + CLOCK_SKEW_MS
  const acceptedUntil = new Date(typeof payload.exp === 'number' ? Math.min(payload.exp * 1000 + CLOCK_SKEW_MS, windowEnd) : windowEnd)
  return {
    member: { usercode, name: str(payload.name), email: str(payload.email), phone: str(payload.phone_number) ?? str(payload.phone), memberno: str(payload.memberno) },
    jti: payload.jti,
    acceptedUntil,
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)

function joseReason(error: InstanceType<typeof joseErrors.JOSEError>): string {
  if (error instanceof joseErrors.JWTExpired) return "the token's 'exp' has passed; sign a new one"
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not match; sign with the key configured in the help center settings'
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the '${error.claim}' claim is refused (${error.reason}); check iss/aud against the help center settings`
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the algorithm is not accepted for this key'
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "no key of the JWKS matches the token's header (kid/alg)"
  return `${error.code}: ${error.message}`
}
