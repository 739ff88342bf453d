/**
 * Visitor sessions (W5) in `helpcenter_visitor_sessions`: a row per signed-in member, found by the
 * digest of the cookie's token, so sign-out and expiry take effect at once on every instance and
 * nothing in the cookie can be read or forged (a signed stateless cookie would need a revocation
 * list beside it, i.e. the same table, and would carry the member's details to the browser).
 *
 * A `handoff` row is the server flow's access token: made by the tenant's server, exchanged once
 * (deleted as it is read) for a `session` row within a minute.
 *
 * The member's details are personal information: sealed under the tenant's key where the
 * platform has a master key; without one they are kept as JSON, as the rest of the platform keeps
 * personal information when no master key is configured, and go with the session.
 */
import type { PluginContext, TenantScope, TenantTx } from '../../../core/mod.ts'
import { Member, type SignInScheme } from './member.ts'
import { digest, randomToken } from './tokens.ts'

/** How long a signed-in member stays signed in (no sliding: a sign-in is redone after this). */
export const SESSION_SECONDS = 8 * 60 * 60
/** How long the server flow's access token may wait for its exchange. */
export const HANDOFF_SECONDS = 60

const PROFILE_CONTEXT = 'helpcenter:visitor-profile'
const PLAIN = 'json:'

export interface SessionRecord {
  readonly member: Member
  readonly scheme: SignInScheme
  readonly expiresAt: string
}

type Kind = 'session' | 'handoff'

async function seal(ctx: PluginContext, scope: TenantScope, member: Member): Promise<string> {
  const json = JSON.stringify(member)
  try {
    return await ctx.crypto.forTenant(scope).encrypt(json, PROFILE_CONTEXT)
  } catch (error) {
    if ((error as { code?: string }).code === 'OC_CRYPTO_NOT_CONFIGURED') return PLAIN + json
    throw error
  }
}

async function open(ctx: PluginContext, scope: TenantScope, stored: string): Promise<Member> {
  const json = stored.startsWith(PLAIN) ? stored.slice(PLAIN.length) : await ctx.crypto.forTenant(scope).decrypt(stored, PROFILE_CONTEXT)
  return Member.parse(JSON.parse(json))
}

/** Stores a session or hand-off for the member; returns its token (only the digest is kept). */
export async function createSession(ctx: PluginContext, tx: TenantTx, scope: TenantScope, member: Member, scheme: SignInScheme, kind: Kind = 'session'): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken()
  const seconds = kind === 'session' ? SESSION_SECONDS : HANDOFF_SECONDS
  const [row] = await tx.sql<{ expires_at: Date | string }>`
    INSERT INTO helpcenter_visitor_sessions (token_hash, kind, usercode, profile, scheme, expires_at)
    VALUES (${await digest(token)}, ${kind}, ${member.usercode}, ${await seal(ctx, scope, member)}, ${scheme}, now() + make_interval(secs => ${seconds}))
    RETURNING expires_at`
  return { token, expiresAt: new Date(row!.expires_at).toISOString() }
}

/** The live session of a token, or null (unknown, expired, signed out or a hand-off). */
export async function findSession(ctx: PluginContext, tx: TenantTx, scope: TenantScope, token: string): Promise<SessionRecord | null> {
  const [row] = await tx.sql<{ profile: string; scheme: SignInScheme; expires_at: Date | string }>`
    SELECT profile, scheme, expires_at FROM helpcenter_visitor_sessions
    WHERE token_hash = ${await digest(token)} AND kind = 'session' AND expires_at > now()`
  return row ? { member: await open(ctx, scope, row.profile), scheme: row.scheme, expiresAt: new Date(row.expires_at).toISOString() } : null
}

/** Takes a hand-off (single use: it is deleted as it is read); null when unknown, used or expired. */
export async function takeHandoff(ctx: PluginContext, tx: TenantTx, scope: TenantScope, token: string): Promise<SessionRecord | null> {
  const [row] = await tx.sql<{ profile: string; scheme: SignInScheme; expires_at: Date | string; live: boolean }>`
    DELETE FROM helpcenter_visitor_sessions WHERE token_hash = ${await digest(token)} AND kind = 'handoff'
    RETURNING profile, scheme, expires_at, expires_at > now() AS live`
  if (!row?.live) return null
  return { member: await open(ctx, scope, row.profile), scheme: row.scheme, expiresAt: new Date(row.expires_at).toISOString() }
}

/** Ends a session (sign-out, or the old session on a new sign-in); also sweeps the service's expired rows. */
export async function endSession(tx: TenantTx, token: string | undefined): Promise<void> {
  if (token) await tx.sql`DELETE FROM helpcenter_visitor_sessions WHERE token_hash = ${await digest(token)}`
  await tx.sql`DELETE FROM helpcenter_visitor_sessions WHERE expires_at < now()`
}
