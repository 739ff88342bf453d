/**
 * Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto, so the same code runs on Node, Deno and
 * Workers (workerd 1.20250718 accepts 600,000 iterations; older workerd capped PBKDF2 at 100,000).
 *
 * A hash is stored as a PHC-style string that carries its own parameters,
 * `$pbkdf2-sha256$i=600000$<salt>$<hash>` (unpadded base64, 16-byte salt, 32-byte hash), so the
 * iteration count can be raised later: a login that verifies against a hash made with fewer
 * iterations than the current setting stores a fresh hash ({@link needsRehash}).
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_PASSWORD_ITERATIONS = 600_000
/** Lower counts exist only for tests; below this a hash is refused as too weak to be real. */
export const MIN_PASSWORD_ITERATIONS = 1_000
/** A stored hash asking for more is refused rather than run: it would tie up the server. */
const MAX_PASSWORD_ITERATIONS = 10_000_000
const SALT_BYTES = 16
const HASH_BYTES = 32
const SCHEME = 'pbkdf2-sha256'

const encoder = new TextEncoder()

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/=+$/, '')
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return null
  try {
    const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4))
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
  } catch {
    return null
  }
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, HASH_BYTES * 8)
  return new Uint8Array(bits)
}

function checkIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < MIN_PASSWORD_ITERATIONS || iterations > MAX_PASSWORD_ITERATIONS) {
    throw new Error(`password iterations must be an integer from ${MIN_PASSWORD_ITERATIONS} to ${MAX_PASSWORD_ITERATIONS}, not ${iterations}`)
  }
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, iterations = DEFAULT_PASSWORD_ITERATIONS): Promise<string> {
  checkIterations(iterations)
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  return `$${SCHEME}$i=${iterations}$${toBase64(salt)}$${toBase64(await derive(password, salt, iterations))}`
}

interface ParsedHash {
  iterations: number
  salt: Uint8Array
  hash: Uint8Array
}

function parseHash(stored: string): ParsedHash | null {
  const match = /^\$pbkdf2-sha256\$i=(\d{1,9})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored)
  if (!match) return null
  const iterations = Number(match[1])
  const salt = fromBase64(match[2]!)
  const hash = fromBase64(match[3]!)
  if (iterations < MIN_PASSWORD_ITERATIONS || iterations > MAX_PASSWORD_ITERATIONS || !salt || !hash || hash.length !== HASH_BYTES) return null
  return { iterations, salt, hash }
}

/** Compares every byte, so the time taken does not tell how many leading bytes matched. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!
  return difference === 0
}

/** True when the password matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  return constantTimeEqual(await derive(password, parsed.salt, parsed.iterations), parsed.hash)
}

/** True when the stored hash was made with fewer iterations than `iterations` (or cannot be read). */
export function needsRehash(stored: string, iterations: number): boolean {
  const parsed = parseHash(stored)
  return !parsed || parsed.iterations < iterations
}

/** The iteration count a stored hash was made with, or null when it is not ours. */
export function hashIterations(stored: string): number | null {
  return parseHash(stored)?.iterations ?? null
}

/**
 * Spends the same time as a real verification, for sign-ins with an unknown e-mail address:
 * without it, answering faster would tell which addresses have accounts.
 */
export async function spendVerificationTime(password: string, iterations: number): Promise<void> {
  await derive(password, new Uint8Array(SALT_BYTES), iterations)
}
