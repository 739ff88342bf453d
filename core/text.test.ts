import { describe, expect, it } from 'vitest'
import { cleanText, unsafeText } from './text.ts'

describe('text PostgreSQL can store', () => {
  it('names a NUL and a lone surrogate of either half, and passes pairs and ordinary text', () => {
    expect(unsafeText('a\u0000b')).toMatch(/NUL/)
    expect(unsafeText('a\ud800b')).toMatch(/surrogate/)
    expect(unsafeText('a\udc00')).toMatch(/surrogate/)
    expect(unsafeText('택배 😀 \ud83d\ude00')).toBeNull()
  })

  it('cleans: NUL removed, lone surrogates replaced, pairs kept', () => {
    expect(cleanText('a\u0000b\ud800c\udc00😀')).toBe('ab\ufffdc\ufffd😀')
    expect(unsafeText(cleanText('\u0000\ud800\udfff\udfff'))).toBeNull()
  })
})
