/**
 * The words of a ticket search (`q`) as a PostgreSQL text query over the `search` column
 * (title and content under the `simple` configuration, one lexeme per word as written).
 *
 * Every word must appear, as the start of a word of the ticket: `deliver` finds "delivery",
 * `택배` finds "택배가" and "택배는". Korean attaches particles to the noun they follow, so a
 * Hangul search word loses a trailing particle first when at least two syllables remain:
 * `택배가` and `택배를` both search `택배`, while `나이` stays `나이`. Only letters and digits
 * reach the query (anything else separates words), so no input can change its syntax.
 */

/** Particles, longest first so that `에서는` goes before `는`. */
const PARTICLES = ['에서부터', '에게서', '에서는', '으로는', '으로서', '으로써', '이라도', '에서', '에게', '한테', '까지', '부터', '으로', '처럼', '보다', '이나', '이랑', '하고', '마저', '조차', '은', '는', '이', '가', '을', '를', '에', '의', '도', '로', '와', '과', '만', '랑']

const HANGUL_SYLLABLE = /^[\uAC00-\uD7A3]+$/u
const WORD = /[\p{L}\p{N}]+/gu

/** A Hangul word without its trailing particle, where at least two syllables remain. */
export function koreanStem(word: string): string {
  if (!HANGUL_SYLLABLE.test(word)) return word
  for (const particle of PARTICLES) {
    if (word.endsWith(particle) && word.length - particle.length >= 2) return word.slice(0, -particle.length)
  }
  return word
}

/** The search words of `q`, lower-cased and stemmed, each once; empty when `q` holds no letter or digit. */
export function searchTerms(q: string): string[] {
  return [...new Set((q.toLowerCase().match(WORD) ?? []).map(koreanStem))]
}

/** The `to_tsquery('simple', …)` text of {@link searchTerms}: every term as a prefix, all required; null when there is none. */
export function prefixQuery(q: string): string | null {
  const terms = searchTerms(q)
  return terms.length ? terms.map((term) => `'${term}':*`).join(' & ') : null
}
