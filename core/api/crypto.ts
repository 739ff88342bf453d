/**
 * The shapes of field encryption, apart from their implementations: the platform's
 * `ctx.crypto` ({@link FieldCrypto}), one tenant's functions ({@link TenantCrypto}) and the
 * keyring behind them ({@link Keyring}, keyring.ts), so the two files that implement them
 * (crypto/keyring.ts, crypto/tenant-crypto.ts) depend on this one and not on each other.
 */
import type { TenantScope } from './db.ts'

/** What a derived key is for; part of the HKDF info, so each purpose gets an unrelated key. */
export type KeyPurpose = 'field-encryption' | 'blind-index'

/** One tenant's field encryption. Every method is bound to the tenant it was made for. */
export interface TenantCrypto {
  readonly scope: TenantScope
  /**
   * Encrypts `plaintext` under the current key version. `context` says where the value lives
   * (e.g. the field code) and must be given again to decrypt: a value copied to another field
   * or tenant will not decrypt. Include a row id in it only if values must not move between rows.
   * @example const stored = await crypto.encrypt('010-1234-5678', 'field:phone')
   */
  encrypt(plaintext: string, context: string): Promise<string>
  /**
   * Decrypts a value made by {@link TenantCrypto.encrypt} with the same context. Throws
   * `OC_CRYPTO_TAMPERED` if the value was altered or belongs elsewhere, `OC_CRYPTO_KEY_UNKNOWN`
   * if its key version left the keyring, `OC_CRYPTO_MALFORMED` if it is not an encrypted value.
   * @example const phone = await crypto.decrypt(row.phone, 'field:phone')
   */
  decrypt(value: string, context: string): Promise<string>
  /**
   * The blind index of `value` in field `fieldCode` under the current key version, to store
   * beside the encrypted value (see `normalizeForBlindIndex` for what counts as equal).
   * @example await tx.sql`UPDATE contacts SET email = ${await c.encrypt(email, 'email')}, email_index = ${await c.blindIndex('email', email)} WHERE id = ${id}`
   */
  blindIndex(fieldCode: string, value: string): Promise<string>
  /**
   * Every index `value` may be stored under, one per key version held (current first), so a
   * search still finds rows indexed before a key rotation.
   * @example await tx.sql`SELECT id FROM contacts WHERE email_index = ANY(${await c.blindIndexSearch('email', query)})`
   */
  blindIndexSearch(fieldCode: string, value: string): Promise<string[]>
  /**
   * True when a stored value (or blind index) was written under an older key version than the
   * current one; rewrite it, or leave it to `rotateColumn`. Throws `OC_CRYPTO_MALFORMED` for
   * text that is neither.
   */
  needsRotation(value: string): boolean
}

/** The field encryption of the platform: `ctx.crypto` in plugins. */
export interface FieldCrypto {
  /** False when no master key is configured: every operation then throws `OC_CRYPTO_NOT_CONFIGURED`. */
  readonly configured: boolean
  /** The master-key version new values are written under; absent when not configured. Values under older versions are due for rotation. */
  readonly current?: number
  /**
   * The encryption functions of one tenant.
   * @example
   * const fields = ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id })
   * const stored = await fields.encrypt(input.phone, 'field:phone')
   */
  forTenant(scope: TenantScope): TenantCrypto
}

/**
 * Master keys by version, and the way to a tenant's encryption functions. Holds raw key bytes
 * only in a closure, so logging or serialising a keyring shows versions, never keys.
 */
export interface Keyring extends FieldCrypto {
  readonly configured: true
  /** The version new values are encrypted under. */
  readonly current: number
  /** Every version held, highest first. */
  readonly versions: readonly number[]
  has(version: number): boolean
  /** The tenant key for one purpose under one master key version (cached). Platform code only. */
  derivedKey(version: number, scope: TenantScope, purpose: KeyPurpose): Promise<CryptoKey>
}
