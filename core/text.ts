/**
 * Text that PostgreSQL can store. A `text` value may hold neither U+0000 (PostgreSQL refuses it
 * with 22021) nor a lone UTF-16 surrogate (it has no UTF-8 form). Input reaches the platform in
 * two ways and each gets one rule: what a client sends to the API is refused, naming the field
 * (`unsafeText`), so the client learns of its bug; what arrives from the outside world (mail,
 * channels), where nobody can be asked to send it again, is cleaned (`cleanText`).
 */

// With the `u` flag a surrogate pair reads as one code point, so only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u
const LONE_SURROGATES = /\p{Cs}/gu

/** Why a string cannot be stored as text, or null when it can. */
export function unsafeText(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000); remove it'
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate, which has no UTF-8 form; send well-formed Unicode'
  return null
}

/** The string with NUL characters removed and lone surrogates replaced by U+FFFD. */
export function cleanText(value: string): string {
  const wellFormed = LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES, '\uFFFD') : value
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '') : wellFormed
}
