/**
 * Text search that works for Korean, shared by every plugin that searches its own text (tickets,
 * help-center notices and FAQ, …): what a row's search column holds and what a search asks of it.
 *
 * The column (`bigramSearchVectorSql` builds its function) holds the 'simple' words of the text
 * plus the character bigrams of every Hangul run. A query (`searchQuery`) requires every word:
 *
 * - A Latin or number word is a prefix: `deliver` finds "delivery". An English inflection is
 *   dropped first (`refunds`, `refunded` and `refunding` search `refund`), so the word a customer
 *   wrote in another form is found too.
 * - A Hangul word loses a trailing particle when at least two syllables remain (`택배가` and
 *   `택배를` search `택배`, `나이` stays `나이`), then is searched by its bigrams. Korean writes
 *   compound nouns with or without spaces and a search word may be part of a longer one, so a
 *   word is matched inside Hangul runs, not as the start of a word: `배송` and `지연` find
 *   "배송지연". The word is cut into pieces of two and three syllables, and every bigram of the
 *   pieces must appear (any one way to cut it suffices, see {@link hangulCovers}): `배송지연`
 *   needs `배송` and `지연`, so "배송 지연" and "배송이 지연되어" are found as well.
 * - A single syllable is a prefix of a word or bigram (`집` finds "집" and "집으로").
 *
 * A word mixing scripts searches each run (`AS센터` needs `as` and `센터`). Only letters and
 * digits reach the query (anything else separates words), so no input can change its syntax.
 *
 * In the core because the method must be one: two plugins indexing the same way and searching
 * differently would disagree on what a word is.
 */

/** Particles, longest first so that `에서는` goes before `는`. */
const PARTICLES = ['에서부터', '에게서', '에서는', '으로는', '으로서', '으로써', '이라도', '에서', '에게', '한테', '까지', '부터', '으로', '처럼', '보다', '이나', '이랑', '하고', '마저', '조차', '은', '는', '이', '가', '을', '를', '에', '의', '도', '로', '와', '과', '만', '랑']

const HANGUL_SYLLABLE = /^[\uAC00-\uD7A3]+$/u
const WORD = /[\p{L}\p{N}]+/gu
/** A word split where it changes between Hangul syllables and anything else, as the index splits it. */
const SCRIPT_RUN = /[\uAC00-\uD7A3]+|[^\uAC00-\uD7A3]+/gu
const LATIN_WORD = /^[a-z]+$/

/** A Hangul word without its trailing particle, where at least two syllables remain. */
export function koreanStem(word: string): string {
  if (!HANGUL_SYLLABLE.test(word)) return word
  for (const particle of PARTICLES) {
    if (word.endsWith(particle) && word.length - particle.length >= 2) return word.slice(0, -particle.length)
  }
  return word
}

/**
 * A lower-case English word without a plural ending where at least three letters remain (`boxes`
 * searches `box`, `its` stays whole), or without `-ed`, `-ing` or a final `y` after a consonant
 * where four remain (`speed`, `thing` and `city` stay whole), so the forms of a word search one
 * stem: `delivery`, `delivered` and `deliveries` search `deliver`; `reply`, `replied` and
 * `replies` search `repl`. A doubled consonant left by `-ed`/`-ing` is undone (`shipped`
 * searches `ship`), except `ss` (`passing` searches `pass`). The stem is searched as a prefix,
 * so it need not be a word: `charged` searches `charg`.
 */
export function englishStem(word: string): string {
  if (!LATIN_WORD.test(word)) return word
  const keep = (stem: string, least: number) => (stem.length >= least ? stem : word)
  if (/ie[ds]$/.test(word)) return keep(word.slice(0, -3), 3)
  if (/(ed|ing)$/.test(word)) {
    const stem = keep(word.replace(/(ed|ing)$/, ''), 4)
    return stem !== word && /([b-df-hj-np-rt-z])\1$/.test(stem) ? stem.slice(0, -1) : stem
  }
  if (/[^aeiou]y$/.test(word)) return keep(word.slice(0, -1), 4)
  if (/(ss|x|z|ch|sh)es$/.test(word)) return keep(word.slice(0, -2), 3)
  if (/[^su]s$/.test(word) && !word.endsWith('is')) return keep(word.slice(0, -1), 3)
  return word
}

/**
 * The search words of `q`, folded as the index folds the ticket's text (NFKC: full-width `ＶＩＰ`
 * is `vip`, decomposed jamo are syllables), lower-cased, split between scripts and stemmed, each
 * once; empty when `q` holds no letter or digit.
 */
export function searchTerms(q: string): string[] {
  const runs = (q.normalize('NFKC').toLowerCase().match(WORD) ?? []).flatMap((word) => word.match(SCRIPT_RUN) ?? [])
  return [...new Set(runs.map((run) => (HANGUL_SYLLABLE.test(run) ? koreanStem(run) : englishStem(run))))]
}

/** Beyond this many ways to cut a word, the rest are not searched (a 12-syllable word has 12). */
const MOST_COVERS = 12

/**
 * The sets of bigrams that find a Hangul word of two or more syllables, any one set sufficing:
 * one set per way to cut the word into pieces of two and three syllables, a piece of two giving
 * its bigram and a piece of three its two overlapping bigrams. Korean compounds are mostly built
 * of such pieces, and a bigram across a cut would miss the compound written apart: `로그인오류`
 * gives [로그, 인오, 오류] and [로그, 그인, 오류], the second finding "로그인 오류".
 */
export function hangulCovers(word: string): string[][] {
  const covers: string[][] = []
  const cut = (start: number, taken: string[]) => {
    if (covers.length === MOST_COVERS) return
    if (start === word.length) return void covers.push(taken)
    for (const size of [2, 3]) {
      if (start + size > word.length) continue
      const piece = word.slice(start, start + size)
      cut(start + size, size === 2 ? [...taken, piece] : [...taken, piece.slice(0, 2), piece.slice(1)])
    }
  }
  cut(0, [])
  return covers
}

/** One term of {@link searchTerms} as `to_tsquery` text: its covers for a Hangul word, a prefix otherwise. */
function termQuery(term: string): string {
  if (!HANGUL_SYLLABLE.test(term) || term.length < 2) return `'${term}':*`
  const covers = hangulCovers(term).map((cover) => [...new Set(cover)].map((bigram) => `'${bigram}'`).join(' & '))
  return covers.length === 1 ? covers[0]! : `(${covers.map((cover) => `(${cover})`).join(' | ')})`
}

/** The `to_tsquery('simple', …)` text of {@link searchTerms}, every term required; null when there is none. */
export function searchQuery(q: string): string | null {
  const terms = searchTerms(q)
  return terms.length ? terms.map(termQuery).join(' & ') : null
}


/**
 * The SQL that creates `name(<params> text) RETURNS tsvector`: the search column's function
 * over the given text parameters (joined by a space), holding the 'simple' words plus the
 * two-syllable bigrams of every Hangul run (a one-syllable run as itself): "배송지연" holds
 * `배송`, `송지` and `지연`, so {@link searchQuery} for `배송` or `지연` finds it. Bigrams carry no
 * positions, as no search is a phrase. The text is first folded and split as the search folds
 * and splits its words: NFKC, so full-width "ＶＩＰ" holds `vip` and Hangul in decomposed jamo
 * its syllables; at ASCII punctuation, so "A-1042" holds `1042` (the parser would read `-1042`);
 * and where a word changes between Hangul and another script, so "AS센터" holds `as` and `센터`.
 *
 * pg_trgm is not used: under the C locale of a cluster made with `--no-locale` it drops Hangul
 * from its trigrams (PGlite's C.UTF-8 keeps them, so the drivers would differ), and a trigram
 * cannot find a two-syllable word inside a longer one.
 *
 * The text is indented as a migration's statement (four spaces), so a migration applied before
 * this builder existed is generated byte for byte as it was written.
 *
 * @example
 * sql: `${bigramSearchVectorSql('notice_search_vector', ['title', 'body'])}
 *     CREATE TABLE ...`
 */
export function bigramSearchVectorSql(name: string, params: readonly [string, ...string[]]): string {
  for (const identifier of [name, ...params]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`bigramSearchVectorSql: '${identifier}' is not a lower-case SQL identifier`)
  }
  const signature = params.map((param) => `${param} text`).join(', ')
  const body = params.join(" || ' ' || ")
  return `    CREATE FUNCTION ${name}(${signature}) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $f$
        SELECT to_tsvector('simple', regexp_replace(regexp_replace(body, '[!-/:-@[-\`{-~]+', ' ', 'g'), '[가-힣]+', ' \\& ', 'g'))
          || array_to_tsvector(ARRAY(
            SELECT DISTINCT CASE WHEN length(run[1]) = 1 THEN run[1] ELSE substr(run[1], i, 2) END
              FROM regexp_matches(body, '[가-힣]+', 'g') AS run,
                   generate_series(1, greatest(length(run[1]) - 1, 1)) AS i))
          FROM (SELECT normalize(${body}, NFKC) AS body) AS folded
      $f$;`
}
