/**
 * Web hook signatures per Standard Webhooks 1.0 (standardwebhooks.com): a secret
 * `whsec_<base64 key>`, and for each call the headers
 *
 *   webhook-id:        the event id (the same on every retry; receivers deduplicate by it)
 *   webhook-timestamp: Unix seconds when this attempt was signed
 *   webhook-signature: v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>" with the key>
 *
 * so receivers can verify with off-the-shelf libraries (npm `standardwebhooks`, `svix`).
 *
 * The HMAC comes from `node:crypto` where the runtime has it (Node, Deno, and Workers with
 * `nodejs_compat`), else from WebCrypto. Both give the same bytes; the reason is cost: on
 * Node 20 a WebCrypto HMAC takes ~150 µs of the event loop (a thread-pool round trip and its
 * promise machinery), `createHmac` ~3 µs, and the dispatcher signs every attempt.
 */
import { nodeHmac } from '../../runtime/native.ts'

export const WEBHOOK_SECRET_PREFIX = 'whsec_'
/** Key length in bytes; the spec allows 24 to 64. */
const KEY_BYTES = 32

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))

/** A new secret, `whsec_` and a base64 random key. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)))
}

/** Base64 HMAC-SHA256 of `message` under `key`. */
type Hmac = (key: Uint8Array, message: string) => Promise<string>

/** WebCrypto, with imported keys kept: importing costs as much as signing. Bounded, as secrets come and go. */
function webCryptoHmac(): Hmac {
  const keys = new Map<string, Promise<CryptoKey>>()
  return async (raw, message) => {
    const id = toBase64(raw)
    let key = keys.get(id)
    if (!key) {
      if (keys.size >= 1_000) keys.clear()
      key = crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      keys.set(id, key)
    }
    return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(message))))
  }
}

/** The two implementations, for tests that check they agree. */
export const hmacImplementations = { webCrypto: webCryptoHmac(), node: nodeHmac() }
const hmac: Promise<Hmac> = hmacImplementations.node.then((node) => node ?? hmacImplementations.webCrypto)

/** `v1,<signature>` of one message. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${await (await hmac)(fromBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length)), `${id}.${timestamp}.${body}`)}`
}

/** The three headers of one delivery attempt. */
export async function webhookHeaders(secret: string, id: string, body: string, now = Date.now()): Promise<Record<string, string>> {
  const timestamp = Math.floor(now / 1000)
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': await signWebhook(secret, id, timestamp, body) }
}
