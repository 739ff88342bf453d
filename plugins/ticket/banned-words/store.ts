/** Banned word rows. */
import type { Queryable } from '../../../core/mod.ts'
import { lockServiceResource } from '../shared/locks.ts'

/** Every reply is scanned against all of a service's words; this keeps that scan cheap. */
export const MAX_BANNED_WORDS = 1000

export interface BannedWord {
  readonly id: string
  readonly word: string
  readonly createdAt: string
  readonly updatedAt: string
}

interface BannedWordRow {
  id: string
  word: string
  created_at: Date | string
  updated_at: Date | string
}

const toWord = (row: BannedWordRow): BannedWord => ({ id: row.id, word: row.word, createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString() })

/** All of the service's banned words, in folded order (가나다, then abc). */
export async function listBannedWords(tx: Queryable): Promise<BannedWord[]> {
  return (await tx.sql<BannedWordRow>`SELECT id, word, created_at, updated_at FROM ticket_banned_words ORDER BY folded, id`).map(toWord)
}

export async function findBannedWord(tx: Queryable, id: string): Promise<BannedWord | null> {
  const [row] = await tx.sql<BannedWordRow>`SELECT id, word, created_at, updated_at FROM ticket_banned_words WHERE id = ${id}`
  return row ? toWord(row) : null
}

/** The stored word that folds to `folded`, other than `exceptId`. */
export async function bannedWordByFolded(tx: Queryable, folded: string, exceptId: string | null): Promise<BannedWord | null> {
  const [row] = await tx.sql<BannedWordRow>`SELECT id, word, created_at, updated_at FROM ticket_banned_words WHERE folded = ${folded} AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)`
  return row ? toWord(row) : null
}

export async function countBannedWords(tx: Queryable): Promise<number> {
  const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_banned_words`
  return row?.count ?? 0
}

/**
 * Serialises adding and changing words, so the duplicate check and the ceiling hold under
 * concurrent requests (the unique index would otherwise surface a race as a 500).
 */
export const lockBannedWords = (tx: Queryable) => lockServiceResource(tx, 'banned-words')

export async function insertBannedWord(tx: Queryable, word: string, folded: string): Promise<BannedWord> {
  const [row] = await tx.sql<BannedWordRow>`INSERT INTO ticket_banned_words (word, folded) VALUES (${word}, ${folded}) RETURNING id, word, created_at, updated_at`
  return toWord(row!)
}

export async function updateBannedWord(tx: Queryable, id: string, word: string, folded: string): Promise<BannedWord> {
  const [row] = await tx.sql<BannedWordRow>`UPDATE ticket_banned_words SET word = ${word}, folded = ${folded}, updated_at = now() WHERE id = ${id} RETURNING id, word, created_at, updated_at`
  return toWord(row!)
}

export async function deleteBannedWord(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM ticket_banned_words WHERE id = ${id}`
}
