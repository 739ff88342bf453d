/**
 * Finding banned words (T8) in a text, with where each one is.
 *
 * The matching rule:
 * 1. Both the words and the text are folded the same way, one grapheme (user-perceived
 *    character) at a time: Unicode NFKC, then lowercase. So full-width `ＡＢＣ` and half-width
 *    forms match `abc`, case never matters, and Hangul typed decomposed (NFD, as some macOS
 *    input produces) matches composed Hangul. Invisible format characters (zero-width space,
 *    zero-width joiner, soft hyphen: Unicode category Cf) are dropped, so they cannot hide a word.
 * 2. Korean, Chinese and Japanese text (Hangul, Han, Hiragana, Katakana) matches as a substring:
 *    Korean words take particles and endings (`환불은`, `환불해`), so `환불` must match inside them.
 * 3. Where a banned word begins or ends with a letter or digit of another script (Latin, Cyrillic,
 *    digits ...), that end must be at a word boundary: `bad` matches `Bad!` and `bad을` but not
 *    `badge`, so ordinary words are not flagged for containing a short banned one.
 * 4. Whitespace inside a banned phrase matches any run of whitespace in the text, including none:
 *    `환불 불가` matches `환불 불가`, `환불불가` and `환불\n불가`. Korean spacing varies, so write
 *    a phrase with its spaces to catch every spacing. A word written without spaces does not
 *    match text with spaces inserted.
 * 5. Each occurrence is reported (one word's occurrences do not overlap each other; different
 *    words may overlap), in text order, with its position in the original text: `offset` and
 *    `length` in UTF-16 code units (JavaScript string indices, for highlighting), `line` and
 *    `column` 1-based, the column counted in characters (code points), for messages to people.
 *    A match that starts or ends inside a character that folding expanded (e.g. `㈜` → `(주)`)
 *    covers that whole character.
 */

export interface BannedWordEntry {
  readonly id?: string
  readonly word: string
}

export interface BannedWordMatch {
  /** The banned word as stored. */
  readonly word: string
  readonly wordId: string | null
  /** Start in the original text, in UTF-16 code units. */
  readonly offset: number
  /** Length in the original text, in UTF-16 code units. */
  readonly length: number
  /** 1-based line (CRLF, LF and CR each end a line). */
  readonly line: number
  /** 1-based column in code points. */
  readonly column: number
  /** The text that matched, as written. */
  readonly text: string
}

/** One folded code point and the original span (one grapheme) it came from. */
interface FoldedChar {
  readonly ch: string
  readonly start: number
  readonly end: number
  readonly space: boolean
}

/** A run of whitespace in a banned phrase. */
const GAP = Symbol('gap')
type Token = string | typeof GAP

export interface CompiledWord {
  readonly entry: BannedWordEntry
  readonly tokens: readonly Token[]
  /** The folded word with each gap as one space: equal keys mean the same banned word. */
  readonly key: string
  readonly boundaryStart: boolean
  readonly boundaryEnd: boolean
}

const FORMAT_CHAR = /\p{Cf}/u
const SPACE = /\s/u
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u
const SUBSTRING_SCRIPT = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u

/** A letter or digit of a script whose words are separated by spaces (not Korean, Chinese, Japanese). */
const isSpacedWordChar = (ch: string) => WORD_CHAR.test(ch) && !SUBSTRING_SCRIPT.test(ch)

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Folds `text` grapheme by grapheme, keeping each folded code point's original span. */
function fold(text: string): FoldedChar[] {
  const out: FoldedChar[] = []
  for (const { segment, index } of graphemes.segment(text)) {
    for (const ch of segment.normalize('NFKC').toLowerCase()) {
      if (!FORMAT_CHAR.test(ch)) out.push({ ch, start: index, end: index + segment.length, space: SPACE.test(ch) })
    }
  }
  return out
}

/** The folded form of one banned word; null when nothing is left of it (only spaces or invisible characters). */
export function compileBannedWord(entry: BannedWordEntry): CompiledWord | null {
  const tokens: Token[] = []
  for (const { ch, space } of fold(entry.word)) {
    if (!space) tokens.push(ch)
    else if (tokens.length && tokens[tokens.length - 1] !== GAP) tokens.push(GAP)
  }
  if (tokens[tokens.length - 1] === GAP) tokens.pop()
  if (!tokens.length) return null
  const first = tokens[0] as string
  const last = tokens[tokens.length - 1] as string
  return { entry, tokens, key: tokens.map((t) => (t === GAP ? ' ' : t)).join(''), boundaryStart: isSpacedWordChar(first), boundaryEnd: isSpacedWordChar(last) }
}

/** Where each line starts, for turning offsets into line and column. */
function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1)
  }
  return starts
}

function lineAndColumn(text: string, starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= offset) low = mid
    else high = mid - 1
  }
  return { line: low + 1, column: [...text.slice(starts[low], offset)].length + 1 }
}

/** The index just past a match of `word` starting at folded index `i`, or -1. */
function matchAt(chars: readonly FoldedChar[], i: number, word: CompiledWord): number {
  let k = i
  for (const token of word.tokens) {
    if (token === GAP) {
      while (k < chars.length && chars[k]!.space) k++
    } else {
      if (k >= chars.length || chars[k]!.ch !== token) return -1
      k++
    }
  }
  if (word.boundaryStart && i > 0 && isSpacedWordChar(chars[i - 1]!.ch)) return -1
  if (word.boundaryEnd && k < chars.length && isSpacedWordChar(chars[k]!.ch)) return -1
  return k
}

/** A reusable matcher for one set of words (compile once, scan many texts). */
export function bannedWordMatcher(words: readonly (BannedWordEntry | string)[]): (text: string) => BannedWordMatch[] {
  const byFirst = new Map<string, CompiledWord[]>()
  const keys = new Set<string>()
  for (const word of words) {
    const compiled = compileBannedWord(typeof word === 'string' ? { word } : word)
    if (!compiled || keys.has(compiled.key)) continue
    keys.add(compiled.key)
    const first = compiled.tokens[0] as string
    byFirst.set(first, [...(byFirst.get(first) ?? []), compiled])
  }
  return (text) => {
    const chars = fold(text)
    const starts = lineStarts(text)
    const nextFree = new Map<CompiledWord, number>()
    const matches: BannedWordMatch[] = []
    for (let i = 0; i < chars.length; i++) {
      for (const word of byFirst.get(chars[i]!.ch) ?? []) {
        if (i < (nextFree.get(word) ?? 0)) continue
        const end = matchAt(chars, i, word)
        if (end < 0) continue
        nextFree.set(word, end)
        const offset = chars[i]!.start
        const length = chars[end - 1]!.end - offset
        matches.push({ word: word.entry.word, wordId: word.entry.id ?? null, offset, length, ...lineAndColumn(text, starts, offset), text: text.slice(offset, offset + length) })
      }
    }
    return matches.sort((a, b) => a.offset - b.offset || b.length - a.length || a.word.localeCompare(b.word))
  }
}

/**
 * Every occurrence of the banned `words` in `text`, in text order (see the module comment for the rule).
 *
 * @example
 * findBannedWords(['환불 불가', 'ABC'], '죄송하지만 환불불가입니다. ａｂｃ')
 * // [{ word: '환불 불가', offset: 6, length: 4, line: 1, column: 7, text: '환불불가', wordId: null },
 * //  { word: 'ABC', offset: 15, length: 3, line: 1, column: 16, text: 'ａｂｃ', wordId: null }]
 */
export function findBannedWords(words: readonly (BannedWordEntry | string)[], text: string): BannedWordMatch[] {
  return bannedWordMatcher(words)(text)
}

/** The text cut into pieces for a preview: plain runs and banned matches, in order (overlapping matches merged). */
export function highlightSegments(text: string, matches: readonly BannedWordMatch[]): { text: string; words: string[] }[] {
  const segments: { text: string; words: string[] }[] = []
  let at = 0
  let current: { start: number; end: number; words: string[] } | null = null
  const flush = () => {
    if (!current) return
    segments.push({ text: text.slice(current.start, current.end), words: current.words })
    at = current.end
    current = null
  }
  for (const match of matches) {
    if (current && match.offset < current.end) {
      current.end = Math.max(current.end, match.offset + match.length)
      if (!current.words.includes(match.word)) current.words.push(match.word)
      continue
    }
    flush()
    if (match.offset > at) segments.push({ text: text.slice(at, match.offset), words: [] })
    current = { start: match.offset, end: match.offset + match.length, words: [match.word] }
  }
  flush()
  if (at < text.length) segments.push({ text: text.slice(at), words: [] })
  return segments
}
