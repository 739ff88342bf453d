/** Web hook signing: both HMAC implementations give the Standard Webhooks signature the reference library computes. */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { hmacImplementations, newWebhookSecret, signWebhook, WEBHOOK_SECRET_PREFIX } from './signing.ts'

describe('web hook signing', () => {
  it('signs like the standardwebhooks library, with node:crypto and with WebCrypto alike', async () => {
    const secret = newWebhookSecret()
    const key = Uint8Array.from(atob(secret.slice(WEBHOOK_SECRET_PREFIX.length)), (c) => c.charCodeAt(0))
    expect(key).toHaveLength(32)
    const body = JSON.stringify({ id: 'evt', payload: { name: '민수', note: 'é ✓' } })
    const expected = new Webhook(secret).sign('msg_1', new Date(1_700_000_000_000), body)
    expect(await signWebhook(secret, 'msg_1', 1_700_000_000, body)).toBe(expected)
    const node = await hmacImplementations.node
    expect(node).not.toBeNull()
    for (const hmac of [node!, hmacImplementations.webCrypto]) expect(`v1,${await hmac(key, `msg_1.1700000000.${body}`)}`).toBe(expected)
  })
})
