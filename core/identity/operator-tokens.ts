/**
 * Operator tokens: bearer tokens of the people who run the platform (create organizations,
 * services, contracts). Created by the CLI or by another operator, shown once, stored hashed.
 */
import type { Db, Queryable } from '../storage/db.ts'
import { notifiedCache, type NotifiedCache } from '../storage/notified-cache.ts'
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts'

export const OPERATOR_TOKEN_PREFIX = 'oco'

export async function createOperatorToken(db: Queryable, name: string): Promise<{ id: string; token: string }> {
  const token = generateToken(OPERATOR_TOKEN_PREFIX)
  const [row] = await db.sql<{ id: string }>`INSERT INTO oc_operator_tokens (name, token_hash) VALUES (${name}, ${await hashToken(token)}) RETURNING id`
  return { id: row!.id, token }
}

export async function countOperatorTokens(db: Queryable): Promise<number> {
  const [row] = await db.sql<{ n: number }>`SELECT count(*)::int AS n FROM oc_operator_tokens WHERE revoked_at IS NULL`
  return row!.n
}

export async function revokeOperatorToken(db: Queryable, id: string): Promise<boolean> {
  return (await db.sql`UPDATE oc_operator_tokens SET revoked_at = now() WHERE id = ${id} AND revoked_at IS NULL RETURNING id`).length > 0
}

/** Verifies tokens against a cache that every instance empties when a token changes. */
export interface OperatorTokenVerifier {
  /** The token's id, or null; without a promise once cached. */
  verify(token: string): string | null | Promise<string | null>
  stop(): Promise<void>
}

export async function operatorTokenVerifier(db: Db): Promise<OperatorTokenVerifier> {
  const cache: NotifiedCache<string | null> & { stop(): Promise<void> } = await notifiedCache(db, 'oc_tenancy')
  return {
    verify(token) {
      if (!isWellFormedToken(token, OPERATOR_TOKEN_PREFIX)) return null
      // Keyed by the token itself: a hit is a map lookup. WebCrypto's digest is asynchronous (a
      // thread-pool job), about 20-70 µs of CPU per call on Node 20, i.e. most of a request.
      return cache.read(token, async () => {
        const hash = await hashToken(token)
        const [row] = await db.sql<{ id: string }>`SELECT id FROM oc_operator_tokens WHERE token_hash = ${hash} AND revoked_at IS NULL`
        return row?.id ?? null
      })
    },
    stop: cache.stop,
  }
}
