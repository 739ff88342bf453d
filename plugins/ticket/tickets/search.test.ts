/** The words of a ticket search: letters and digits only, lower-cased, Korean particles dropped where a noun remains. */
import { describe, expect, it } from 'vitest'
import { koreanStem, prefixQuery, searchTerms } from './search.ts'

describe('ticket search terms', () => {
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

  it('keeps only letters and digits, each term once', () => {
    expect(searchTerms("  Order #AB-1234: 택배가 'late' & !택배는 ")).toEqual(['order', 'ab', '1234', '택배', 'late'])
    expect(searchTerms('!!! ???')).toEqual([])
  })

  it('requires every term as a prefix, and builds nothing from punctuation', () => {
    expect(prefixQuery('택배가 delayed')).toBe("'택배':* & 'delayed':*")
    expect(prefixQuery("') | !(")).toBeNull()
  })
})
