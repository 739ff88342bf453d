/**
 * The words of a text search: letters and digits only, lower-cased, split between scripts,
 * Korean particles and English endings dropped, Hangul words searched by bigrams.
 */
import { describe, expect, it } from 'vitest'
import { englishStem, hangulCovers, koreanStem, searchQuery, searchTerms } from './text-search.ts'

describe('text search terms', () => {
  it.each([
    ['택배가', '택배'],
    ['택배를', '택배'],
    ['배송에서는', '배송'],
    ['고객센터로', '고객센터'],
    ['환불', '환불'],
    // A particle is dropped only where two syllables remain: these are nouns of their own.
    ['나이', '나이'],
    ['차가', '차가'],
    ['Parcel', 'Parcel'],
  ])('stems %s as %s', (word, stem) => {
    expect(koreanStem(word)).toBe(stem)
  })

  it.each([
    ['refunds', 'refund'],
    ['refunded', 'refund'],
    ['refunding', 'refund'],
    ['delivery', 'deliver'],
    ['deliveries', 'deliver'],
    ['delivered', 'deliver'],
    ['boxes', 'box'],
    ['addresses', 'address'],
    ['shipped', 'ship'],
    ['passing', 'pass'],
    ['delays', 'delay'],
    ['reply', 'repl'],
    ['replied', 'repl'],
    ['replies', 'repl'],
    // Too short a stem would remain: the word stays whole.
    ['its', 'its'],
    ['speed', 'speed'],
    ['thing', 'thing'],
    ['city', 'city'],
    ['tried', 'tried'],
    ['address', 'address'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['1042', '1042'],
  ])('stems the English %s as %s', (word, stem) => {
    expect(englishStem(word)).toBe(stem)
  })

  it('keeps only letters and digits, folded with NFKC, split between Hangul and other scripts, each term once', () => {
    expect(searchTerms("  Order #AB-1234: 택배가 'late' & !택배는 ")).toEqual(['order', 'ab', '1234', '택배', 'late'])
    expect(searchTerms('AS센터에서 iPhone배송')).toEqual(['as', '센터', 'iphone', '배송'])
    expect(searchTerms(`ＶＩＰ ${'배송'.normalize('NFD')}`)).toEqual(['vip', '배송'])
    expect(searchTerms('!!! ???')).toEqual([])
  })

  it('cuts a Hangul word into pieces of two and three syllables, every way', () => {
    expect(hangulCovers('배송')).toEqual([['배송']])
    expect(hangulCovers('로그인')).toEqual([['로그', '그인']])
    expect(hangulCovers('배송지연')).toEqual([['배송', '지연']])
    expect(hangulCovers('로그인오류')).toEqual([['로그', '인오', '오류'], ['로그', '그인', '오류']])
    expect(hangulCovers('카카오페이결제')).toHaveLength(3)
    // A long word is searched by its first twelve ways, not by every one of them.
    expect(hangulCovers('가'.repeat(40))).toHaveLength(12)
  })

  it('requires every term: an English or number word as a prefix, a Hangul word by its bigrams, a syllable as a prefix', () => {
    expect(searchQuery('택배가 delayed')).toBe("'택배' & 'delay':*")
    expect(searchQuery('배송지연')).toBe("'배송' & '지연'")
    expect(searchQuery('로그인오류 앱')).toBe("(('로그' & '인오' & '오류') | ('로그' & '그인' & '오류')) & '앱':*")
    expect(searchQuery('AS센터 1042')).toBe("'as':* & '센터' & '1042':*")
    expect(searchQuery("') | !(")).toBeNull()
  })
})
