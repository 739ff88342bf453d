/**
 * Master keys and the per-tenant keys derived from them. A keyring holds every master key
 * version still needed to read stored values; new values are written under the current one.
 * Tenant keys come from HKDF-SHA256 over the master key, bound to the organization, the
 * service and a purpose, so one tenant's key says nothing about another's, and the encryption
 * key says nothing about the blind-index key. Derived keys are non-extractable CryptoKeys,
 * cached, because deriving one per value would cost more than the encryption itself.
 */
import type { TenantScope } from '../storage/db.ts'
import { CryptoError, MASTER_KEYS_SETTING } from './errors.ts'
import { encodeParts, fromBase64Lenient, toBase64, utf8 } from './encoding.ts'
import { MAX_KEY_VERSION } from './format.ts'
import { tenantCrypto } from './tenant-crypto.ts'
import { type FieldCipher, webCryptoCipher } from './primitives.ts'
import type { Keyring, KeyPurpose, TenantCrypto } from '../api/crypto.ts'

export type { Keyring, KeyPurpose } from '../api/crypto.ts'

export const MASTER_KEY_BYTES = 32
/** A fixed, application-specific salt (RFC 5869 §3.1): the master keys are already uniformly random. */
const HKDF_SALT = utf8('opencontact/hkdf/v1')
const DEFAULT_CACHE_SIZE = 10_000

export interface MasterKeyInput {
  readonly version: number
  /** 32 bytes, or their base64 (standard or URL alphabet, padding optional). */
  readonly key: Uint8Array | string
}

export interface KeyringOptions {
  /**
   * The version new values are written under (default: the highest). For a rolling deploy of
   * a new key, first ship it with `current` still at the old version so every node can read
   * the new one, then make it current: otherwise updated nodes write values old nodes cannot read.
   */
  readonly current?: number
  /** Derived tenant keys kept in memory, least recently used dropped first (default 10,000). */
  readonly cacheSize?: number
  /** Names the configuration the keys came from, in error messages (default `OC_MASTER_KEYS`). */
  readonly source?: string
  /**
   * The per-value primitives (default WebCrypto). The Node entry gives its faster
   * `nodeCipher` (`opencontact/node`); values written with one open with any other.
   */
  readonly cipher?: FieldCipher
}

/**
 * Builds a keyring from master keys.
 * @example
 * const keyring = createKeyring([{ version: 1, key: process.env.OC_MASTER_KEY! }])
 * const ticketCrypto = keyring.forTenant({ orgId, serviceId })
 */
export function createKeyring(keys: readonly MasterKeyInput[], options: KeyringOptions = {}): Keyring {
  const source = options.source ?? MASTER_KEYS_SETTING
  const cipher = options.cipher ?? webCryptoCipher
  const invalid = (detail: string) => new CryptoError('OC_CRYPTO_KEY_INVALID', `${source}: ${detail}`)
  if (keys.length === 0) throw invalid(`no master key given; set it to \`1:<base64 of 32 random bytes>\` (generate one with \`openssl rand -base64 32\`)`)

  const raw = new Map<number, Uint8Array<ArrayBuffer>>()
  for (const { version, key } of keys) {
    if (!Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) throw invalid(`master key version ${version} is not an integer from 1 to ${MAX_KEY_VERSION}`)
    if (raw.has(version)) throw invalid(`master key version ${version} is given twice; each version needs exactly one key`)
    const bytes = typeof key === 'string' ? fromBase64Lenient(key.trim()) : new Uint8Array(key)
    if (!bytes) throw invalid(`master key version ${version} is not valid base64; it must be 32 random bytes in base64 (\`openssl rand -base64 32\`)`)
    if (bytes.length !== MASTER_KEY_BYTES) throw invalid(`master key version ${version} is ${bytes.length} bytes; it must be exactly ${MASTER_KEY_BYTES} random bytes in base64 (\`openssl rand -base64 32\`)`)
    if (bytes.every((b) => b === bytes[0])) throw invalid(`master key version ${version} repeats one byte; it must be random (\`openssl rand -base64 32\`)`)
    for (const [other, otherBytes] of raw) {
      if (otherBytes.every((b, i) => b === bytes[i])) throw invalid(`master key versions ${other} and ${version} are the same key; a new version needs a new key`)
    }
    raw.set(version, bytes)
  }
  const versions = [...raw.keys()].sort((a, b) => b - a)
  const current = options.current ?? versions[0]!
  if (!raw.has(current)) throw invalid(`the current version ${current} is not among the keys given (${versions.join(', ')})`)

  const masters = new Map<number, Promise<CryptoKey>>()
  const masterKey = (version: number): Promise<CryptoKey> => {
    let key = masters.get(version)
    if (!key) {
      const bytes = raw.get(version)
      if (!bytes) return Promise.reject(new CryptoError('OC_CRYPTO_KEY_UNKNOWN', `master key version ${version} is not in ${source} (it holds ${versions.join(', ')}); add it back to read values written under it`))
      key = crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']).then((imported) => {
        // The non-extractable CryptoKey is all that is needed from here on.
        bytes.fill(0)
        raw.set(version, new Uint8Array(0))
        return imported
      })
      masters.set(version, key)
    }
    return key
  }

  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE
  const derived = new Map<string, Promise<CryptoKey>>()
  const keyring: Keyring = {
    configured: true,
    current,
    versions,
    has: (version) => raw.has(version),
    derivedKey(version, scope, purpose) {
      const cacheKey = `${version}\u0000${purpose}\u0000${scope.orgId}\u0000${scope.serviceId}`
      const hit = derived.get(cacheKey)
      if (hit) {
        // Re-inserting moves the entry to the young end: Map keeps insertion order.
        derived.delete(cacheKey)
        derived.set(cacheKey, hit)
        return hit
      }
      const key = masterKey(version).then((master) => deriveTenantKey(master, scope, purpose))
      derived.set(cacheKey, key)
      key.catch(() => derived.delete(cacheKey))
      if (derived.size > cacheSize) derived.delete(derived.keys().next().value!)
      return key
    },
    forTenant: (scope): TenantCrypto => tenantCrypto(keyring, scope, cipher),
  }
  return keyring
}

function deriveTenantKey(master: CryptoKey, scope: TenantScope, purpose: KeyPurpose): Promise<CryptoKey> {
  const params = { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: encodeParts([purpose, scope.orgId, scope.serviceId]) }
  return purpose === 'field-encryption'
    ? crypto.subtle.deriveKey(params, master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    : crypto.subtle.deriveKey(params, master, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'])
}

/**
 * Reads master keys from configuration text: `2:<base64>,1:<base64>` (versions, comma- or
 * whitespace-separated, current = highest), or one bare `<base64>` key, which is version 1.
 * @example
 * const keyring = parseKeyring('2:q3J0...=,1:Zm9v...=')
 * keyring.current // 2
 */
export function parseKeyring(text: string, options: KeyringOptions = {}): Keyring {
  const source = options.source ?? MASTER_KEYS_SETTING
  const entries = text.split(/[\s,]+/).filter(Boolean)
  // Base64 has no ':', so a colon always means `<version>:<key>`.
  if (entries.length === 1 && !entries[0]!.includes(':')) return createKeyring([{ version: 1, key: entries[0]! }], options)
  const keys = entries.map((entry, i) => {
    const [version, key] = entry.split(/:(.*)/s)
    if (!entry.includes(':') || !/^[1-9][0-9]*$/.test(version!)) {
      throw new CryptoError('OC_CRYPTO_KEY_INVALID', `${source}: entry ${i + 1} has no version number; with several keys write each as \`<version>:<base64 key>\`, e.g. \`2:<new key>,1:<old key>\``)
    }
    return { version: Number(version), key: key! }
  })
  return createKeyring(keys, options)
}

/**
 * The keyring configured in the environment, or undefined when there is none:
 * `OC_MASTER_KEYS` (several versions), or `OC_MASTER_KEY` (one key, version 1), and optionally
 * `OC_MASTER_KEY_CURRENT` to hold the current version back during a rolling deploy.
 * @example
 * createPlatform({ db, keyring: keyringFromEnv(process.env, { cipher: nodeCipher }) })
 */
export function keyringFromEnv(env: Readonly<Record<string, string | undefined>>, options: Pick<KeyringOptions, 'cipher'> = {}): Keyring | undefined {
  const many = env.OC_MASTER_KEYS?.trim()
  const one = env.OC_MASTER_KEY?.trim()
  if (many && one) throw new CryptoError('OC_CRYPTO_KEY_INVALID', 'both OC_MASTER_KEYS and OC_MASTER_KEY are set; keep one (OC_MASTER_KEYS="2:<new>,1:<old>" holds several versions)')
  const text = many || one
  if (!text) return undefined
  const currentText = env.OC_MASTER_KEY_CURRENT?.trim()
  const current = currentText ? Number(currentText) : undefined
  if (current !== undefined && !Number.isInteger(current)) throw new CryptoError('OC_CRYPTO_KEY_INVALID', `OC_MASTER_KEY_CURRENT must be a key version number, not '${currentText}'`)
  return parseKeyring(text, { ...options, source: many ? 'OC_MASTER_KEYS' : 'OC_MASTER_KEY', current })
}

/**
 * A new random master key, as base64 of 32 bytes, for `OC_MASTER_KEYS` or a key file.
 * @example
 * console.log(`OC_MASTER_KEYS=1:${generateMasterKey()}`)
 */
export function generateMasterKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(MASTER_KEY_BYTES)))
}
