/**
 * The small cryptography of visitor sign-in, on WebCrypto only (every runtime): random tokens,
 * SHA-256 digests (what tables keep instead of a token), HMAC-SHA256, and a comparison that
 * takes the same time whatever the first differing byte.
 */
const encoder = new TextEncoder()

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** 32 random bytes, base64url: a session token, a hand-off token, a CSRF cookie or key. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)))
}

/** The hex SHA-256 of a token: tables keep this, so a leaked table signs no one in. */
export async function digest(token: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)))
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** HMAC-SHA256 of `message` under `key` (UTF-8 both). */
export async function hmacSha256(key: string, message: string): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(message)))
}

/** HMAC-SHA256 as standard Base64 (the member-integration token's form). */
export async function hmacBase64(key: string, message: string): Promise<string> {
  return btoa(String.fromCharCode(...(await hmacSha256(key, message))))
}

/** HMAC-SHA256 as base64url (CSRF tokens, which travel in forms and URLs). */
export async function hmacBase64url(key: string, message: string): Promise<string> {
  return base64url(await hmacSha256(key, message))
}

/** Equal strings, compared in time that depends on their length only. */
export function sameText(a: string, b: string): boolean {
  const x = encoder.encode(a)
  const y = encoder.encode(b)
  let diff = x.length ^ y.length
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return diff === 0
}
