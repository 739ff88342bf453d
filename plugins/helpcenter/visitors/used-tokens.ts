/**
 * Single use of sign-in tokens (W5): a member-integration token or a JWT's `jti` is remembered
 * (by digest) until it would be refused as too old anyway, so a replay within its window fails.
 * The insert is the check: two instances racing on one token cannot both win the primary key.
 */
import { errors, type TenantTx } from '../../../core/mod.ts'
import { digest } from './tokens.ts'

/** Records a token as used; throws 401 naming the replay when it was used before. */
export async function useOnce(tx: TenantTx, token: string, expiresAt: Date, field: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_used_sign_in_tokens WHERE expires_at < now()`
  const inserted = await tx.sql`
    INSERT INTO helpcenter_used_sign_in_tokens (token_hash, expires_at) VALUES (${await digest(token)}, ${expiresAt.toISOString()})
    ON CONFLICT (service_id, token_hash) DO NOTHING RETURNING token_hash`
  if (!inserted.length) throw errors.unauthenticated(`${field}: this sign-in token was used already; each token signs in once, so sign in again to get a new one`)
}
