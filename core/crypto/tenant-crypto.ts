/**
 * What plugins use: one tenant's encryption functions (`ctx.crypto.forTenant(scope)`), and the
 * stand-in the platform hands out when no master key is configured, which refuses every
 * operation instead of encrypting under a throwaway key that would be lost on restart.
 */
import type { TenantScope } from '../storage/db.ts'
import { CryptoError, MASTER_KEYS_SETTING } from './errors.ts'
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './encoding.ts'
import { additionalData, IV_BYTES, parseSealed, TAG_BYTES, VALUE_FORMAT } from './format.ts'
import { blindIndexToken } from './blind-index.ts'
import type { FieldCipher } from './primitives.ts'
import type { FieldCrypto, Keyring, TenantCrypto } from '../api/crypto.ts'

export type { FieldCrypto, TenantCrypto } from '../api/crypto.ts'

const BLIND_INDEX_VERSION = /^bi1\.([1-9][0-9]{0,5})\./

function checkScope(scope: TenantScope): void {
  if (typeof scope?.orgId !== 'string' || !scope.orgId || typeof scope.serviceId !== 'string' || !scope.serviceId) {
    // An undefined id would quietly become '' and give every such caller one shared key.
    throw new CryptoError('OC_CRYPTO_CONTEXT_INVALID', 'forTenant needs the tenant\'s orgId and serviceId as non-empty strings')
  }
}

function checkText(name: string, text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new CryptoError('OC_CRYPTO_CONTEXT_INVALID', `${name} must be a string, not ${text === null ? 'null' : typeof text}; keep absent values as NULL instead of encrypting them`)
}

async function indexToken(keyring: Keyring, cipher: FieldCipher, tenant: TenantScope, version: number, fieldCode: string, value: string): Promise<string> {
  return blindIndexToken(cipher, await keyring.derivedKey(version, tenant, 'blind-index'), version, fieldCode, value)
}

export function tenantCrypto(keyring: Keyring, scope: TenantScope, cipher: FieldCipher): TenantCrypto {
  checkScope(scope)
  const tenant: TenantScope = { orgId: scope.orgId, serviceId: scope.serviceId }

  return {
    scope: tenant,
    async encrypt(plaintext, context) {
      checkText('plaintext', plaintext)
      checkText('context', context)
      const version = keyring.current
      const key = await keyring.derivedKey(version, tenant, 'field-encryption')
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
      const sealed = await cipher.seal(key, iv, additionalData(version, tenant, context), utf8(plaintext))
      return `${VALUE_FORMAT}.${version}.${toBase64Url(concatBytes(iv, sealed))}`
    },
    async decrypt(value, context) {
      checkText('value', value)
      checkText('context', context)
      const { version, payload } = parseSealed(value)
      if (!keyring.has(version)) {
        throw new CryptoError('OC_CRYPTO_KEY_UNKNOWN', `the value is under master key version ${version}, which the keyring does not hold (it holds ${keyring.versions.join(', ')}); add that version back to ${MASTER_KEYS_SETTING}`)
      }
      const bytes = fromBase64Url(payload)
      if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw new CryptoError('OC_CRYPTO_TAMPERED', `the value under key version ${version} (context '${context}') is truncated or not base64url`)
      const key = await keyring.derivedKey(version, tenant, 'field-encryption')
      let plain: Uint8Array
      try {
        plain = await cipher.open(key, bytes.subarray(0, IV_BYTES), additionalData(version, tenant, context), bytes.subarray(IV_BYTES))
      } catch (cause) {
        throw new CryptoError('OC_CRYPTO_TAMPERED', `the value under key version ${version} (context '${context}') failed authentication: it was altered, or it was written for another tenant or context`, cause)
      }
      return new TextDecoder('utf-8', { fatal: true }).decode(plain)
    },
    async blindIndex(fieldCode, value) {
      checkText('fieldCode', fieldCode)
      checkText('value', value)
      return indexToken(keyring, cipher, tenant, keyring.current, fieldCode, value)
    },
    async blindIndexSearch(fieldCode, value) {
      checkText('fieldCode', fieldCode)
      checkText('value', value)
      const ordered = [keyring.current, ...keyring.versions.filter((v) => v !== keyring.current)]
      return Promise.all(ordered.map((version) => indexToken(keyring, cipher, tenant, version, fieldCode, value)))
    },
    needsRotation(value) {
      checkText('value', value)
      const index = BLIND_INDEX_VERSION.exec(value)
      return (index ? Number(index[1]) : parseSealed(value).version) < keyring.current
    },
  }
}

const notConfigured = () =>
  new CryptoError('OC_CRYPTO_NOT_CONFIGURED', `set ${MASTER_KEYS_SETTING} (e.g. \`1:<base64 of 32 random bytes>\`, from \`openssl rand -base64 32\`) and pass its keyring to createPlatform({ keyring })`)

/** The keyring behind `ctx.crypto`, for platform work such as rotation; throws when there is none. */
export function requireKeyring(crypto: FieldCrypto): Keyring {
  if (!crypto.configured) throw notConfigured()
  // A configured FieldCrypto is always a keyring: `fieldCrypto` hands out nothing else.
  return crypto as Keyring
}

/** The platform's field encryption: the keyring, or without one a stand-in that refuses. */
export function fieldCrypto(keyring: Keyring | undefined): FieldCrypto {
  if (keyring) return keyring
  const refuse = async (): Promise<never> => {
    throw notConfigured()
  }
  return {
    configured: false,
    forTenant: (scope) => {
      checkScope(scope)
      return {
        scope,
        encrypt: refuse,
        decrypt: refuse,
        blindIndex: refuse,
        blindIndexSearch: refuse,
        needsRotation: () => {
          throw notConfigured()
        },
      }
    },
  }
}
