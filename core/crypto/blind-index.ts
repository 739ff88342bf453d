/**
 * Blind indexes: a keyed HMAC of a normalized value, stored beside the encrypted value so an
 * exact-match search can find rows without the plaintext being stored or the key leaving the
 * server. Keyed per tenant (a key derived for the purpose `blind-index`, unrelated to the
 * encryption key) and per field (the field code is part of the MAC input), so equal values in
 * two tenants or two fields give unrelated indexes, and nobody without the master key can
 * test guesses against them, as they could against a plain hash.
 *
 * What an index still reveals: which rows of one field hold equal values. Give an index only to
 * fields searched by exact value and with many distinct values (e-mail, phone, member number);
 * on a yes/no or a small list it discloses the distribution of answers.
 *
 * The token is `bi1.<key version>.<base64url(HMAC-SHA256)>`. `bi1` names the MAC and the
 * normalization below; changing either needs a new prefix and a re-index.
 */
import { encodeParts, toBase64Url } from './encoding.ts'
import type { FieldCipher } from './primitives.ts'

export const BLIND_INDEX_FORMAT = 'bi1'

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/
/** Digits with the separators people type in phone, card and registration numbers. */
const NUMBER_LIKE = /^\+?[0-9 ().-]+$/
const NUMBER_SEPARATORS = /[ ().-]/g
/** Below this many digits a number may be an amount or a code where `1.5` and `15` differ. */
const MIN_DIGITS_TO_STRIP = 7

/**
 * The normalization `bi1` applies before the MAC, so that values a person would call equal
 * find each other:
 * 1. Unicode NFKC: full-width `０１０` becomes `010`, composed and decomposed Hangul agree.
 * 2. Trim, and collapse every run of white space to one space.
 * 3. E-mail-like (`x@y`, no spaces): lower-cased whole. Local parts are case-sensitive in
 *    theory, never in practice, and customers type them every which way.
 * 4. Number-like (digits, spaces, `-`, `.`, `(`, `)`, an optional leading `+`) with at least 7
 *    digits: separators removed, so `010-1234-5678`, `010 1234 5678` and `01012345678` agree.
 *    Country codes are not rewritten: `+82 10-…` and `010-…` stay different.
 * 5. Anything else keeps its case: the search is exact.
 * @example normalizeForBlindIndex('  Kim@Example.COM ') // 'kim@example.com'
 */
export function normalizeForBlindIndex(value: string): string {
  const text = value.normalize('NFKC').trim().replace(/\s+/g, ' ')
  if (EMAIL_LIKE.test(text)) return text.toLowerCase()
  if (NUMBER_LIKE.test(text) && text.replace(/[^0-9]/g, '').length >= MIN_DIGITS_TO_STRIP) return text.replace(NUMBER_SEPARATORS, '')
  return text
}

/** The index token of `value` in field `fieldCode` under one tenant's blind-index key. */
export async function blindIndexToken(cipher: Pick<FieldCipher, 'hmac'>, key: CryptoKey, version: number, fieldCode: string, value: string): Promise<string> {
  const mac = await cipher.hmac(key, encodeParts([BLIND_INDEX_FORMAT, fieldCode, normalizeForBlindIndex(value)]))
  return `${BLIND_INDEX_FORMAT}.${version}.${toBase64Url(mac)}`
}
