/** The hand-written base64url agrees with Node's for every byte string and rejects every other spelling. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeParts, fromBase64Lenient, fromBase64Url, toBase64, toBase64Url } from './encoding.ts'

describe('base64url', () => {
  it('encodes like Buffer and decodes back, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
        expect(fromBase64Url(text)).toEqual(new Uint8Array(bytes))
      }),
      { numRuns: 500 },
    )
  })

  it('accepts exactly one spelling per byte string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AB_-z09+/=*'), maxLength: 12 }), (text) => {
        const bytes = fromBase64Url(text)
        if (bytes) expect(toBase64Url(bytes)).toBe(text)
      }),
      { numRuns: 2000 },
    )
    expect(fromBase64Url('AB')).toBeNull() // spare bits set
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]))
    expect(fromBase64Url('A')).toBeNull()
    expect(fromBase64Url('AA==')).toBeNull()
    expect(fromBase64Url('가나다라')).toBeNull()
  })

  it('reads keys as people paste them', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32))
    for (const text of [Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('base64url')]) expect(fromBase64Lenient(text)).toEqual(bytes)
    expect(fromBase64Lenient('a*b')).toBeNull()
  })
})

describe('encodeParts', () => {
  it('never gives two part lists the same bytes', () => {
    expect(encodeParts(['a|b'])).not.toEqual(encodeParts(['a', 'b']))
    expect(encodeParts(['ab', ''])).not.toEqual(encodeParts(['a', 'b']))
    expect(encodeParts(['', 'ab'])).not.toEqual(encodeParts(['ab', '']))
  })
})
