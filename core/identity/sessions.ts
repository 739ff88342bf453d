/**
 * Sign-in and sessions (C3): password sign-in with throttling, access tokens, and rotating
 * refresh tokens with reuse detection.
 *
 * A session is one refresh-token family. Each refresh spends the token it is given and returns
 * a new one; a spent token presented again means two parties hold the family (a stolen token,
 * or a client that kept an old one), so the whole session is revoked and both must sign in
 * again (OAuth 2.0 Security BCP §4.14). Refresh tokens are `ocr_` tokens with a checksum, so a
 * mistyped one is refused without a query; only their SHA-256 hash is stored.
 */
import type { Db, Queryable } from '../storage/db.ts'
import { errors, OcError } from '../http/errors.ts'
import type { AccessTokenIssuer } from './access-tokens.ts'
import type { LoginThrottle } from './login-throttle.ts'
import type { IdentitySettings } from './options.ts'
import { hashPassword, needsRehash, spendVerificationTime, verifyPassword } from './passwords.ts'
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts'

export const REFRESH_TOKEN_PREFIX = 'ocr'

export interface TokenPair {
  accessToken: string
  tokenType: 'Bearer'
  /** Seconds the access token is valid. */
  expiresIn: number
  refreshToken: string
  refreshExpiresAt: string
}

export interface ClientInfo {
  readonly address: string | undefined
  readonly userAgent: string | undefined
}

/** A sign-in refused while the account or address is locked. */
export class LoginLocked extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins; try again in ${retryAfterSeconds} s`)
  }
}

/** What a reuse of a spent refresh token did, for the audit trail. */
export interface ReuseDetected {
  readonly orgId: string
  readonly memberId: string
  readonly sessionId: string
}

export interface Sessions {
  /** Signs in; throws {@link LoginLocked} or 401. */
  login(orgId: string, email: string, password: string, client: ClientInfo): Promise<TokenPair & { memberId: string }>
  /** Spends a refresh token for a new pair; on reuse revokes the session, calls `onReuse`, and throws 401. */
  refresh(orgId: string, refreshToken: string, onReuse: (tx: Queryable, reuse: ReuseDetected) => Promise<void>): Promise<TokenPair>
  /** Ends the session of a refresh token (any token of the family); unknown tokens are ignored. */
  logout(orgId: string, refreshToken: string): Promise<void>
  /** Ends every open session of a member; returns how many. */
  revokeAll(tx: Queryable, memberId: string, reason: string): Promise<number>
  /** Ends one session (the caller's own). */
  revokeSession(sessionId: string, reason: string): Promise<void>
}

interface RefreshRow {
  session_id: string
  member_id: string
  org_id: string
  token_expires_at: Date
  rotated_at: Date | null
  session_expires_at: Date
  revoked_at: Date | null
}

export function sessions(db: Db, settings: IdentitySettings, tokens: () => AccessTokenIssuer, throttle: LoginThrottle): Sessions {
  /** Stores a fresh refresh token of the session and returns the pair. */
  const issuePair = async (tx: Queryable, session: { id: string; memberId: string; orgId: string; expiresAt: Date }): Promise<TokenPair> => {
    const refreshToken = generateToken(REFRESH_TOKEN_PREFIX)
    const expiresAt = new Date(Math.min(Date.now() + settings.refreshTokenSeconds * 1000, session.expiresAt.getTime()))
    await tx.sql`INSERT INTO oc_refresh_tokens (token_hash, session_id, expires_at) VALUES (${await hashToken(refreshToken)}, ${session.id}, ${expiresAt.toISOString()})`
    const access = await tokens().issue({ memberId: session.memberId, orgId: session.orgId, sessionId: session.id })
    return { accessToken: access.token, tokenType: 'Bearer', expiresIn: access.expiresIn, refreshToken, refreshExpiresAt: expiresAt.toISOString() }
  }

  const refused = () => errors.unauthenticated('the refresh token is not valid: it is unknown, expired or was signed out; sign in again')

  return {
    async login(orgId, email, password, client) {
      const keys = throttle.keys(orgId, email, client.address)
      const lockedFor = await throttle.lockedFor(keys)
      if (lockedFor > 0) throw new LoginLocked(lockedFor)
      const [member] = await db.sql<{ id: string; password_hash: string }>`SELECT id, password_hash FROM oc_members WHERE org_id = ${orgId} AND email = ${email}`
      const valid = member ? await verifyPassword(password, member.password_hash) : (await spendVerificationTime(password, settings.passwordIterations), false)
      if (!member || !valid) {
        await throttle.recordFailure(keys)
        throw errors.unauthenticated('the e-mail address or the password is wrong')
      }
      await throttle.recordSuccess(keys)
      // The work factor only ever rises: a hash made with fewer iterations is replaced now, while the password is at hand.
      if (needsRehash(member.password_hash, settings.passwordIterations)) {
        await db.sql`UPDATE oc_members SET password_hash = ${await hashPassword(password, settings.passwordIterations)}, updated_at = now() WHERE id = ${member.id}`
      }
      const pair = await db.transaction(async (tx) => {
        const expiresAt = new Date(Date.now() + settings.sessionMaxSeconds * 1000)
        const [session] = await tx.sql<{ id: string }>`
          INSERT INTO oc_member_sessions (org_id, member_id, expires_at, ip, user_agent)
          VALUES (${orgId}, ${member.id}, ${expiresAt.toISOString()}, ${client.address ?? null}, ${client.userAgent?.slice(0, 300) ?? null}) RETURNING id`
        return issuePair(tx, { id: session!.id, memberId: member.id, orgId, expiresAt })
      })
      return { ...pair, memberId: member.id }
    },

    async refresh(orgId, refreshToken, onReuse) {
      if (!isWellFormedToken(refreshToken, REFRESH_TOKEN_PREFIX)) {
        throw errors.unauthenticated("the refresh token is mistyped (its checksum does not match); send the 'refreshToken' of the last sign-in or refresh unchanged")
      }
      const hash = await hashToken(refreshToken)
      const seen: { reuse: ReuseDetected | null } = { reuse: null }
      const pair = await db.transaction(async (tx) => {
        const [row] = await tx.sql<RefreshRow>`
          SELECT r.session_id, s.member_id, s.org_id, r.expires_at AS token_expires_at, r.rotated_at, s.expires_at AS session_expires_at, s.revoked_at
          FROM oc_refresh_tokens r JOIN oc_member_sessions s ON s.id = r.session_id
          WHERE r.token_hash = ${hash} AND s.org_id = ${orgId}
          FOR UPDATE OF r, s`
        if (!row || row.revoked_at) return null
        if (row.rotated_at) {
          await tx.sql`UPDATE oc_member_sessions SET revoked_at = now(), revoked_reason = 'refresh-token-reuse' WHERE id = ${row.session_id}`
          seen.reuse = { orgId, memberId: row.member_id, sessionId: row.session_id }
          await onReuse(tx, seen.reuse)
          return null
        }
        const now = Date.now()
        if (new Date(row.token_expires_at).getTime() <= now || new Date(row.session_expires_at).getTime() <= now) return null
        await tx.sql`UPDATE oc_refresh_tokens SET rotated_at = now() WHERE token_hash = ${hash}`
        return issuePair(tx, { id: row.session_id, memberId: row.member_id, orgId, expiresAt: new Date(row.session_expires_at) })
      })
      if (seen.reuse) {
        throw errors.unauthenticated('this refresh token was already used, so it may have been stolen: the whole session is now revoked; sign in again')
      }
      if (!pair) throw refused()
      return pair
    },

    async logout(orgId, refreshToken) {
      if (!isWellFormedToken(refreshToken, REFRESH_TOKEN_PREFIX)) {
        throw errors.unauthenticated('the refresh token is mistyped (its checksum does not match); send it unchanged')
      }
      await db.sql`
        UPDATE oc_member_sessions SET revoked_at = now(), revoked_reason = 'sign-out'
        WHERE id = (SELECT session_id FROM oc_refresh_tokens WHERE token_hash = ${await hashToken(refreshToken)})
          AND org_id = ${orgId} AND revoked_at IS NULL`
    },

    async revokeAll(tx, memberId, reason) {
      const rows = await tx.sql`UPDATE oc_member_sessions SET revoked_at = now(), revoked_reason = ${reason} WHERE member_id = ${memberId} AND revoked_at IS NULL RETURNING id`
      return rows.length
    },

    async revokeSession(sessionId, reason) {
      await db.sql`UPDATE oc_member_sessions SET revoked_at = now(), revoked_reason = ${reason} WHERE id = ${sessionId} AND revoked_at IS NULL`
    },
  }
}

/** The body of the 429 the sign-in route answers (with Retry-After) for {@link LoginLocked}. */
export function lockedError(locked: LoginLocked): OcError {
  return new OcError('OC_RATE_LIMITED', `too many failed sign-ins for this account or address; try again in ${locked.retryAfterSeconds} s`, { status: 429 })
}
