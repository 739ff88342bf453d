/**
 * Field encryption's per-value primitives on Node's synchronous `node:crypto`: the same keys
 * (the keyring's WebCrypto `CryptoKey`s, unwrapped once each into Node key objects) and the
 * same bytes as WebCrypto, without WebCrypto's thread-pool round trip per call (see
 * crypto/primitives.ts). Given to the keyring by the Node entry (`keyringFromEnv(env, { cipher })`).
 */
import { TAG_BYTES } from '../crypto/format.ts'
import { type FieldCipher, webCryptoCipher } from '../crypto/primitives.ts'

/** The part of `node:crypto` used here. */
export interface NodeCrypto {
  KeyObject: { from(key: CryptoKey): unknown }
  createCipheriv(algorithm: 'aes-256-gcm', key: unknown, iv: Uint8Array, options: { authTagLength: number }): NodeAead & { getAuthTag(): Uint8Array }
  createDecipheriv(algorithm: 'aes-256-gcm', key: unknown, iv: Uint8Array, options: { authTagLength: number }): NodeAead & { setAuthTag(tag: Uint8Array): void }
  createHmac(algorithm: 'sha256', key: unknown): { update(data: Uint8Array): { digest(): Uint8Array } }
}
interface NodeAead {
  setAAD(data: Uint8Array): void
  update(data: Uint8Array): Uint8Array
  final(): Uint8Array
}

const joined = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

export function nodeFieldCipher(node: NodeCrypto): FieldCipher {
  const keyObjects = new WeakMap<CryptoKey, unknown>()
  let usable = true
  /** The Node key object behind a WebCrypto key, or null to stay on WebCrypto. */
  const nodeKey = (key: CryptoKey): unknown => {
    if (!usable) return null
    let object = keyObjects.get(key)
    if (object === undefined) {
      try {
        object = node.KeyObject.from(key)
      } catch {
        // A runtime that offers node:crypto but cannot unwrap WebCrypto keys: WebCrypto from now on.
        usable = false
        return null
      }
      keyObjects.set(key, object)
    }
    return object
  }
  return {
    async seal(key, iv, additionalData, plaintext) {
      const local = nodeKey(key)
      if (!local) return webCryptoCipher.seal(key, iv, additionalData, plaintext)
      const cipher = node.createCipheriv('aes-256-gcm', local, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(additionalData)
      const head = cipher.update(plaintext)
      const tail = cipher.final()
      return joined(head, tail, cipher.getAuthTag())
    },
    async open(key, iv, additionalData, sealed) {
      const local = nodeKey(key)
      if (!local) return webCryptoCipher.open(key, iv, additionalData, sealed)
      if (sealed.length < TAG_BYTES) throw new Error('sealed value shorter than its tag')
      const decipher = node.createDecipheriv('aes-256-gcm', local, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(additionalData)
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
      return joined(decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final())
    },
    async hmac(key, data) {
      const local = nodeKey(key)
      if (!local) return webCryptoCipher.hmac(key, data)
      return new Uint8Array(node.createHmac('sha256', local).update(data).digest())
    },
  }
}
