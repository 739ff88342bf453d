/**
 * The stored form of an encrypted value: `oc1.<key version>.<base64url(iv ‖ ciphertext ‖ tag)>`.
 * It describes itself: the prefix names the format (AES-256-GCM, 96-bit random IV, 128-bit tag,
 * additional data as in `additionalData`), the version names the master key, so a reader needs
 * nothing but the keyring, and rotation can find old values with a `LIKE`.
 */
import { CryptoError } from './errors.ts'
import { encodeParts } from './encoding.ts'
import type { TenantScope } from '../storage/db.ts'

export const VALUE_FORMAT = 'oc1'
export const IV_BYTES = 12
export const TAG_BYTES = 16
/** Versions are small positive integers, written in decimal inside every stored value. */
export const MAX_KEY_VERSION = 999_999

const SEALED = /^oc1\.([1-9][0-9]{0,5})\.(.*)$/s

export interface SealedParts {
  readonly version: number
  /** base64url of iv ‖ ciphertext ‖ tag, not yet checked. */
  readonly payload: string
}

/** Splits a stored value; throws `OC_CRYPTO_MALFORMED` when it is not one. */
export function parseSealed(value: string): SealedParts {
  const match = typeof value === 'string' ? SEALED.exec(value) : null
  if (!match || Number(match[1]) > MAX_KEY_VERSION) {
    throw new CryptoError('OC_CRYPTO_MALFORMED', `expected \`${VALUE_FORMAT}.<version>.<data>\`; was the column written before encryption was turned on?`)
  }
  return { version: Number(match[1]), payload: match[2]! }
}

/** True when the text has the form of an encrypted value (it may still fail to decrypt). */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && SEALED.test(value)
}

/** The master key version a stored value was written under. */
export function keyVersionOf(value: string): number {
  return parseSealed(value).version
}

/**
 * What AES-GCM authenticates besides the ciphertext: the format, the key version, the tenant
 * and the caller's context. A value copied to another tenant, field or version fails to decrypt.
 */
export function additionalData(version: number, scope: TenantScope, context: string): Uint8Array<ArrayBuffer> {
  return encodeParts([VALUE_FORMAT, String(version), scope.orgId, scope.serviceId, context])
}
