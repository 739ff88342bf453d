/**
 * Coded errors of field encryption. Messages name what is wrong and how to fix it, and never
 * carry a key, a plaintext or the stored value: they may reach a client or a log.
 */
import { OcError } from '../http/errors.ts'

export const CRYPTO_ERRORS = {
  OC_CRYPTO_NOT_CONFIGURED: 'no master key is configured, so personal information cannot be encrypted or read',
  OC_CRYPTO_KEY_INVALID: 'a master key in the configuration is not usable',
  OC_CRYPTO_KEY_UNKNOWN: 'the value was encrypted under a master key version this keyring does not hold',
  OC_CRYPTO_TAMPERED: 'the value failed authentication: it was altered, or it belongs to another tenant or field',
  OC_CRYPTO_MALFORMED: 'the text is not an encrypted value of a known format',
  OC_CRYPTO_CONTEXT_INVALID: 'an encryption call was given a missing tenant, or a non-string value or context',
} as const

export type CryptoErrorCode = keyof typeof CRYPTO_ERRORS

/** Always a server-side problem (500): a client cannot fix a missing key or a damaged value. */
export class CryptoError extends OcError {
  constructor(code: CryptoErrorCode, detail: string, cause?: unknown) {
    super(code, `${code}: ${detail}`, { status: 500, cause })
    this.name = 'CryptoError'
  }
}

/** The configuration setting the errors point operators to. */
export const MASTER_KEYS_SETTING = 'OC_MASTER_KEYS'
