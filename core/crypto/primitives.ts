/**
 * The two primitives field encryption runs per value: AES-256-GCM (seal and open) and
 * HMAC-SHA-256. WebCrypto everywhere, except where the runtime also has Node's synchronous
 * `node:crypto` (Node): there WebCrypto runs every call as a job on the libuv thread pool, and
 * for field-sized values the hand-off to that thread and back costs several times the cipher
 * itself. Both paths use the same keys (the WebCrypto `CryptoKey`s the keyring derives) and
 * produce the same bytes, so values written by one open with the other.
 */
import { TAG_BYTES } from './format.ts'
import { findNodeCrypto, type NodeCrypto } from '../runtime/native.ts'

let nodeCrypto: NodeCrypto | null | undefined
const keyObjects = new WeakMap<CryptoKey, unknown>()

/** The Node key object behind a WebCrypto key, or null to stay on WebCrypto. */
function nodeKey(key: CryptoKey): { node: NodeCrypto; key: unknown } | null {
  if (nodeCrypto === undefined) nodeCrypto = findNodeCrypto()
  if (!nodeCrypto) return null
  let object = keyObjects.get(key)
  if (object === undefined) {
    try {
      object = nodeCrypto.KeyObject.from(key)
    } catch {
      // A runtime that reports Node but cannot unwrap WebCrypto keys: WebCrypto from now on.
      nodeCrypto = null
      return null
    }
    keyObjects.set(key, object)
  }
  return { node: nodeCrypto, key: object }
}

/** AES-256-GCM with a 128-bit tag: ciphertext ‖ tag, as WebCrypto returns it. */
export async function aesGcmSeal(key: CryptoKey, iv: Uint8Array<ArrayBuffer>, additionalData: Uint8Array<ArrayBuffer>, plaintext: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const local = nodeKey(key)
  if (!local) return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 }, key, plaintext))
  const cipher = local.node.createCipheriv('aes-256-gcm', local.key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(additionalData)
  const head = cipher.update(plaintext)
  const tail = cipher.final()
  const tag = cipher.getAuthTag()
  const out = new Uint8Array(head.length + tail.length + tag.length)
  out.set(head, 0)
  out.set(tail, head.length)
  out.set(tag, head.length + tail.length)
  return out
}

/** Opens what {@link aesGcmSeal} made; throws when authentication fails. */
export async function aesGcmOpen(key: CryptoKey, iv: Uint8Array<ArrayBuffer>, additionalData: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const local = nodeKey(key)
  if (!local) return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 }, key, sealed))
  if (sealed.length < TAG_BYTES) throw new Error('sealed value shorter than its tag')
  const decipher = local.node.createDecipheriv('aes-256-gcm', local.key, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(additionalData)
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
  const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES))
  const tail = decipher.final()
  const out = new Uint8Array(head.length + tail.length)
  out.set(head, 0)
  out.set(tail, head.length)
  return out
}

/** HMAC-SHA-256 of `data` under an HMAC `key` (derived for SHA-256). */
export async function hmacSha256(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const local = nodeKey(key)
  if (!local) return new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
  return new Uint8Array(local.node.createHmac('sha256', local.key).update(data).digest())
}
