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
 * The HMAC is WebCrypto's unless the runtime's entry gives a faster one (`RuntimeServices.
 * webhookHmac`): on Node 20 a WebCrypto HMAC takes ~150 µs of the event loop (a thread-pool
 * round trip and its promise machinery), `createHmac` ~3 µs, and the dispatcher signs every
 * attempt. Both give the same bytes.
 */

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
export type WebhookHmac = (key: Uint8Array, message: string) => Promise<string>

/** WebCrypto, with imported keys kept: importing costs as much as signing. Bounded, as secrets come and go. */
export function webCryptoHmac(): WebhookHmac {
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

export interface WebhookSigner {
  /** `v1,<signature>` of one message. */
  sign(secret: string, id: string, timestamp: number, body: string): Promise<string>
  /** The three headers of one delivery attempt. */
  headers(secret: string, id: string, body: string, now?: number): Promise<Record<string, string>>
}

/** A signer over `hmac` (default WebCrypto's). */
export function webhookSigner(hmac: WebhookHmac = webCryptoHmac()): WebhookSigner {
  const sign: WebhookSigner['sign'] = async (secret, id, timestamp, body) => `v1,${await hmac(fromBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length)), `${id}.${timestamp}.${body}`)}`
  return {
    sign,
    async headers(secret, id, body, now = Date.now()) {
      const timestamp = Math.floor(now / 1000)
      return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': await sign(secret, id, timestamp, body) }
    },
  }
}
