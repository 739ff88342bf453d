/**
 * Secret tokens with a recognisable prefix and a checksum (`oco_…` for operators, later service
 * keys): a leaked token can be spotted by scanners, a mistyped one is refused without touching
 * the database, and only a SHA-256 hash is ever stored.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BODY_LENGTH = 32
const CHECKSUM_LENGTH = 6

function base62(bytes: Uint8Array, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length]! % 62]
  return out
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(text: string): number {
  let crc = 0xffffffff
  // Tokens are base62 ASCII, whose code units are their UTF-8 bytes; any other input merely fails
  // the comparison. No TextEncoder: this runs on every authenticated request.
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function checksum(prefixAndBody: string): string {
  let value = crc32(prefixAndBody)
  let out = ''
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[value % 62] + out
    value = Math.floor(value / 62)
  }
  return out
}

/** A new token `<prefix>_<32 random base62><6 checksum>`. Rejection sampling keeps base62 unbiased. */
export function generateToken(prefix: string): string {
  let body = ''
  while (body.length < BODY_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(48))) {
      if (byte < 248 && body.length < BODY_LENGTH) body += base62(new Uint8Array([byte]), 1)
    }
  }
  const head = `${prefix}_${body}`
  return head + checksum(head)
}

/** True when the token has the prefix, the length and a matching checksum. */
export function isWellFormedToken(token: string, prefix: string): boolean {
  const expected = prefix.length + 1 + BODY_LENGTH + CHECKSUM_LENGTH
  if (token.length !== expected || !token.startsWith(`${prefix}_`)) return false
  const head = token.slice(0, -CHECKSUM_LENGTH)
  return checksum(head) === token.slice(-CHECKSUM_LENGTH)
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
