/** "Was this helpful?" vote rows of FAQ entries (voter hashed by votes.ts). */
import type { Queryable } from '../../../core/mod.ts'

/** Records (or changes) the voter's vote on the entry in this language. */
export async function saveVote(tx: Queryable, entryId: string, language: string, voter: string, helpful: boolean): Promise<void> {
  await tx.sql`
    INSERT INTO helpcenter_faq_votes (entry_id, language, voter, helpful) VALUES (${entryId}, ${language}, ${voter}, ${helpful})
    ON CONFLICT (service_id, entry_id, language, voter) DO UPDATE SET helpful = excluded.helpful, voted_at = now()`
}

/** Helpful and not-helpful votes per language. */
export async function voteCounts(tx: Queryable, entryId: string): Promise<Record<string, { helpful: number; notHelpful: number }>> {
  const rows = await tx.sql<{ language: string; helpful: number; not_helpful: number }>`
    SELECT language, count(*) FILTER (WHERE helpful)::int AS helpful, count(*) FILTER (WHERE NOT helpful)::int AS not_helpful
      FROM helpcenter_faq_votes WHERE entry_id = ${entryId} GROUP BY language ORDER BY language`
  return Object.fromEntries(rows.map((row) => [row.language, { helpful: row.helpful, notHelpful: row.not_helpful }]))
}
