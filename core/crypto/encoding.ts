/**
 * Byte encodings field encryption needs, with no runtime-specific API (no Buffer): base64url
 * for stored values, lenient base64 for keys typed by people, and an unambiguous encoding of
 * several strings into one byte string for key derivation, additional data and blind indexes.
 */

const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const ENCODE = Uint8Array.from(BASE64URL, (ch) => ch.charCodeAt(0))
/** Character code -> 6-bit value, 255 for characters outside the alphabet. */
const DECODE = (() => {
  const table = new Uint8Array(256).fill(255)
  for (let i = 0; i < ENCODE.length; i++) table[ENCODE[i]!] = i
  return table
})()
const ascii = new TextDecoder()

/**
 * Unpadded base64url. Table-driven over bytes rather than through `btoa`, whose binary-string
 * detour made megabyte values take hundreds of milliseconds.
 */
export function toBase64Url(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3))
  let o = 0
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o++] = ENCODE[n >> 18]!
    out[o++] = ENCODE[(n >> 12) & 63]!
    out[o++] = ENCODE[(n >> 6) & 63]!
    out[o++] = ENCODE[n & 63]!
  }
  const rest = bytes.length - i
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0)
    out[o++] = ENCODE[n >> 18]!
    out[o++] = ENCODE[(n >> 12) & 63]!
    if (rest === 2) out[o++] = ENCODE[(n >> 6) & 63]!
  }
  return ascii.decode(out)
}

/** Standard base64 with padding, for keys shown to people. */
export function toBase64(bytes: Uint8Array): string {
  const url = toBase64Url(bytes).replaceAll('-', '+').replaceAll('_', '/')
  return url + '='.repeat((4 - (url.length % 4)) % 4)
}

/**
 * Strict unpadded base64url: returns null for any other text, including encodings whose unused
 * low bits are set. Without that check two different strings would decode to the same bytes,
 * and a changed stored value could still decrypt.
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  const length = text.length
  if (length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((length * 3) / 4))
  let o = 0
  let i = 0
  for (; i + 3 < length; i += 4) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    const d = sextet(text, i + 3)
    if ((a | b | c | d) > 63) return null
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 255
    out[o++] = n & 255
  }
  const rest = length - i
  if (rest > 0) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = rest === 3 ? sextet(text, i + 2) : 0
    if ((a | b | c) > 63) return null
    // The bits past the last whole byte must be zero, or the encoding is not the canonical one.
    if (rest === 2 ? (b & 15) !== 0 : (c & 3) !== 0) return null
    out[o++] = (a << 2) | (b >> 4)
    if (rest === 3) out[o++] = ((b & 15) << 4) | (c >> 2)
  }
  return out
}

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at)
  return code < 256 ? DECODE[code]! : 255
}

/** Base64 as people paste it: standard or URL alphabet, with or without padding. */
export function fromBase64Lenient(text: string): Uint8Array<ArrayBuffer> | null {
  const body = text.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_')
  const strict = fromBase64Url(body)
  if (strict) return strict
  // Hand-made keys may carry non-zero spare bits; people paste them, so accept those here only.
  if (body.length % 4 === 1 || !/^[A-Za-z0-9_-]*$/.test(body)) return null
  const last = DECODE[body.charCodeAt(body.length - 1)]!
  const mask = body.length % 4 === 2 ? 15 : body.length % 4 === 3 ? 3 : 0
  return fromBase64Url(body.slice(0, -1) + BASE64URL[last & ~mask])
}

/**
 * Each part as a 4-byte big-endian length and its UTF-8 bytes. Joining with a separator would be
 * ambiguous (context `a|b` vs parts `a`, `b`); length prefixes never are.
 */
export function encodeParts(parts: readonly string[]): Uint8Array<ArrayBuffer> {
  const encoded = parts.map(utf8)
  const out = new Uint8Array(encoded.reduce((n, p) => n + 4 + p.length, 0))
  const view = new DataView(out.buffer)
  let at = 0
  for (const part of encoded) {
    view.setUint32(at, part.length)
    out.set(part, at + 4)
    at += 4 + part.length
  }
  return out
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
