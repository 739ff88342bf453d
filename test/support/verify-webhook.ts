/**
 * The receiver-side verification snippet of the README, kept here verbatim so the web hook
 * tests prove it accepts our deliveries and refuses tampered or stale ones. Web-standard
 * only (WebCrypto, atob): runs on Node 20+, Deno, Bun, Workers and browsers.
 */

/** Verifies an OpenContact web hook (Standard Webhooks 1.0) and returns the event; throws if it is not genuine. */
export async function verifyWebhook(secret: string, headers: Headers, body: string, toleranceSeconds = 300): Promise<unknown> {
  const id = headers.get('webhook-id')
  const timestamp = headers.get('webhook-timestamp')
  const signatures = headers.get('webhook-signature')
  if (!id || !timestamp || !signatures) throw new Error('missing webhook-id, webhook-timestamp or webhook-signature')
  // A captured delivery replayed later is refused: the timestamp is part of what is signed.
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) throw new Error('timestamp too old or too new')
  const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const key = await crypto.subtle.importKey('raw', bytes(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`)
  // Several signatures, space-separated, during a secret rotation: any valid one will do.
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',')
    if (version !== 'v1' || !signature) continue
    let mac
    try {
      mac = bytes(signature)
    } catch {
      continue // not base64
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return JSON.parse(body)
  }
  throw new Error('no valid signature')
}
