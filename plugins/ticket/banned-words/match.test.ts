/** The banned-word matching rule: Korean substrings, width and case folding, boundaries, spacing, positions. */
import { describe, expect, it } from 'vitest'
import { bannedWordMatcher, compileBannedWord, findBannedWords, highlightSegments } from './match.ts'

const found = (words: string[], text: string) => findBannedWords(words, text).map((m) => [m.word, m.text, m.offset, m.length, m.line, m.column])

describe('findBannedWords', () => {
  it('matches Korean words inside longer words, particles and endings included', () => {
    expect(found(['환불'], '환불은 어렵고, 환불해 드릴 수 없는 환불')).toEqual([
      ['환불', '환불', 0, 2, 1, 1],
      ['환불', '환불', 9, 2, 1, 10],
      ['환불', '환불', 21, 2, 1, 22],
    ])
  })

  it('ignores case and full-width or half-width forms (NFKC), reporting the text as written', () => {
    expect(found(['ABC'], 'abc Abc ＡＢＣ ａｂｃ')).toEqual([
      ['ABC', 'abc', 0, 3, 1, 1],
      ['ABC', 'Abc', 4, 3, 1, 5],
      ['ABC', 'ＡＢＣ', 8, 3, 1, 9],
      ['ABC', 'ａｂｃ', 12, 3, 1, 13],
    ])
    expect(found(['ｶﾀｶﾅ'], 'カタカナ')).toEqual([['ｶﾀｶﾅ', 'カタカナ', 0, 4, 1, 1]])
    expect(found(['１２３'], '주문번호 123')).toEqual([['１２３', '123', 5, 3, 1, 6]])
  })

  it('matches Hangul typed decomposed (NFD) and hides nothing behind invisible characters', () => {
    const decomposed = '환불'.normalize('NFD')
    expect(decomposed.length).toBe(6)
    expect(found(['환불'], `전액 ${decomposed}`)).toEqual([['환불', decomposed, 3, 6, 1, 4]])
    expect(found(['환불'], '환\u200B불')).toEqual([['환불', '환\u200B불', 0, 3, 1, 1]])
    expect(found(['bad'], 'b\u00ADad')).toEqual([['bad', 'b\u00ADad', 0, 4, 1, 1]])
  })

  it('needs word boundaries at Latin edges, but not against Korean particles', () => {
    expect(found(['bad'], 'badge, a bad day, BAD! bad을')).toEqual([
      ['bad', 'bad', 9, 3, 1, 10],
      ['bad', 'BAD', 18, 3, 1, 19],
      ['bad', 'bad', 23, 3, 1, 24],
    ])
    expect(found(['sns'], 'SNS로 알려드립니다')).toEqual([['sns', 'SNS', 0, 3, 1, 1]])
  })

  it('lets spaces inside a banned phrase match any spacing, including none', () => {
    expect(found(['환불 불가'], '환불 불가, 환불불가, 환불   불가, 환불\n불가')).toEqual([
      ['환불 불가', '환불 불가', 0, 5, 1, 1],
      ['환불 불가', '환불불가', 7, 4, 1, 8],
      ['환불 불가', '환불   불가', 13, 7, 1, 14],
      ['환불 불가', '환불\n불가', 22, 5, 1, 23],
    ])
    // A word written without spaces does not match text with spaces inserted.
    expect(found(['환불불가'], '환불 불가')).toEqual([])
  })

  it('reports lines and columns (in characters) for multi-line text with any line ending', () => {
    const text = '첫 줄\r\n둘째 줄에 금지어\r셋째 😀 금지어\n넷째'
    expect(found(['금지어'], text)).toEqual([
      ['금지어', '금지어', 11, 3, 2, 7],
      ['금지어', '금지어', 21, 3, 3, 6],
    ])
    // The emoji is two UTF-16 units but one column.
    expect(text.slice(21, 24)).toBe('금지어')
  })

  it('reports every word and occurrence in text order, overlapping words included', () => {
    const matches = findBannedWords([{ id: 'w1', word: '환불 불가' }, { id: 'w2', word: '불가' }, { id: 'w3', word: '불가' }], '환불불가 불가불가')
    expect(matches.map((m) => [m.wordId, m.offset, m.length])).toEqual([
      ['w1', 0, 4],
      ['w2', 2, 2],
      ['w2', 5, 2],
      ['w2', 7, 2],
    ])
    // One word's occurrences do not overlap each other.
    expect(findBannedWords(['하하'], '하하하하하').map((m) => m.offset)).toEqual([0, 2])
  })

  it('expands a match to whole characters when folding split one', () => {
    expect(found(['주'], '㈜오픈')).toEqual([['주', '㈜', 0, 1, 1, 1]])
  })

  it('ignores words that fold to nothing, and compiles a word set once for many texts', () => {
    expect(compileBannedWord({ word: ' \u200B ' })).toBeNull()
    expect(compileBannedWord({ word: '  환불   불가 ' })?.key).toBe('환불 불가')
    const match = bannedWordMatcher(['바보', ' '])
    expect(match('바보야').map((m) => m.text)).toEqual(['바보'])
    expect(match('괜찮아요')).toEqual([])
    expect(findBannedWords([], '무엇이든')).toEqual([])
  })
})

describe('highlightSegments', () => {
  it('cuts a draft into plain and matching pieces, merging overlaps', () => {
    const text = '안녕하세요. 환불불가 상품입니다.'
    const matches = findBannedWords(['환불 불가', '불가 상품'], text)
    expect(highlightSegments(text, matches)).toEqual([
      { text: '안녕하세요. ', words: [] },
      { text: '환불불가 상품', words: ['환불 불가', '불가 상품'] },
      { text: '입니다.', words: [] },
    ])
    expect(highlightSegments('평범한 글', [])).toEqual([{ text: '평범한 글', words: [] }])
  })
})
