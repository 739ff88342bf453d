/**
 * What the ticket work calls before saving an agent reply (T8): refuse a text that contains
 * banned words with 422, one issue per occurrence naming the word and where it is.
 */
import type { FieldIssue, Queryable } from '../../../core/mod.ts'
import { ticketError } from '../shared/errors.ts'
import { findBannedWords, type BannedWordMatch } from './match.ts'
import { listBannedWords } from './store.ts'

/** One issue per match: `contains the banned word '환불 불가' at line 2, column 5 ('환불불가')`. */
export function bannedWordIssues(matches: readonly BannedWordMatch[], path: string): FieldIssue[] {
  return matches.map((m) => ({
    path,
    message: `contains the banned word '${m.word}' at line ${m.line}, column ${m.column}${m.text === m.word ? '' : ` ('${m.text}')`}`,
    code: 'banned_word',
  }))
}

/**
 * Throws `TICKET_BANNED_WORDS_FOUND` (422) when `text` contains any of the service's banned words.
 *
 * @example
 * await refuseBannedWords(tx, body.content, 'body.content') // in the agent-reply handler, before the insert
 */
export async function refuseBannedWords(tx: Queryable, text: string, path: string): Promise<void> {
  const matches = findBannedWords(await listBannedWords(tx), text)
  if (!matches.length) return
  const words = [...new Set(matches.map((m) => `'${m.word}'`))]
  throw ticketError('TICKET_BANNED_WORDS_FOUND', `${path} contains banned word${words.length === 1 ? '' : 's'} ${words.join(', ')}; rewrite those passages and send again`, bannedWordIssues(matches, path))
}
