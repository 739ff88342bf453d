/**
 * The two primitives field encryption runs per value: AES-256-GCM (seal and open) and
 * HMAC-SHA-256, behind one interface so that the runtime's entry can give a faster
 * implementation than WebCrypto's (Node's synchronous `node:crypto`, core/runtime/node-cipher.ts:
 * on Node, WebCrypto runs every call as a job on the libuv thread pool, and for field-sized
 * values the hand-off costs several times the cipher itself). Every implementation takes the
 * WebCrypto `CryptoKey`s the keyring derives and gives the same bytes, so values written by one
 * open with another. WebCrypto is the default, on every runtime.
 */
import { TAG_BYTES } from './format.ts'

export interface FieldCipher {
  /** AES-256-GCM with a 128-bit tag: ciphertext ‖ tag, as WebCrypto returns it. */
  seal(key: CryptoKey, iv: Uint8Array<ArrayBuffer>, additionalData: Uint8Array<ArrayBuffer>, plaintext: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>
  /** Opens what `seal` made; throws when authentication fails. */
  open(key: CryptoKey, iv: Uint8Array<ArrayBuffer>, additionalData: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>
  /** HMAC-SHA-256 of `data` under an HMAC `key` (derived for SHA-256). */
  hmac(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>
}

export const webCryptoCipher: FieldCipher = {
  seal: async (key, iv, additionalData, plaintext) => new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 }, key, plaintext)),
  open: async (key, iv, additionalData, sealed) => new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 }, key, sealed)),
  hmac: async (key, data) => new Uint8Array(await crypto.subtle.sign('HMAC', key, data)),
}
