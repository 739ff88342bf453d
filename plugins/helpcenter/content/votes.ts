/**
 * "Was this helpful?" on FAQ entries: one vote per voter per entry per language (a second vote
 * changes the first), counted per language. The voter is named by an opaque key (for now the
 * caller's visitor id or the client's address; later the visitor session's id), stored only as
 * its SHA-256, so the votes table holds no address.
 */
import type { Service, Queryable } from '../../../core/mod.ts'
import { invalidAt, notFoundAt } from './errors.ts'
import { findEntry, lockRow } from './store.ts'
import { saveVote, voteCounts } from './votes-store.ts'

async function voterHash(voterKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`helpcenter-vote:${voterKey}`)))
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * Records the voter's vote on a visible FAQ entry in a language it is written in, and returns
 * that entry's counts per language.
 */
export async function recordVote(tx: Queryable, service: Pick<Service, 'languages'>, vote: { entryId: string; language: string; helpful: boolean; voterKey: string }) {
  if (!service.languages.includes(vote.language)) throw invalidAt('body.language', `'${vote.language}' is not a language of this help center (${service.languages.join(', ')})`, 'unknown_language')
  await lockRow(tx, 'helpcenter_entries', vote.entryId, 'share') // a delete at the same moment waits, or the vote finds no entry
  const entry = await findEntry(tx, 'faq', { id: vote.entryId }, vote.language)
  if (!entry || !entry.visible) throw notFoundAt('path.id', 'FAQ entry', vote.entryId)
  if (!entry.texts[vote.language]) throw invalidAt('body.language', `FAQ entry '${vote.entryId}' is not written in '${vote.language}'; vote in a language it is shown in`, 'unknown_language')
  await saveVote(tx, entry.id, vote.language, await voterHash(vote.voterKey), vote.helpful)
  return voteCounts(tx, entry.id)
}
