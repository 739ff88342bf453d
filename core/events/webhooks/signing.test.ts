/** Web hook signing: both HMAC implementations give the Standard Webhooks signature the reference library computes. */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { newWebhookSecret, webCryptoHmac, webhookSigner, WEBHOOK_SECRET_PREFIX } from './signing.ts'
import { nodeRuntime } from '../../runtime/node.ts'

describe('web hook signing', () => {
  it('signs like the standardwebhooks library, with node:crypto and with WebCrypto alike', async () => {
    const secret = newWebhookSecret()
    const key = Uint8Array.from(atob(secret.slice(WEBHOOK_SECRET_PREFIX.length)), (c) => c.charCodeAt(0))
    expect(key).toHaveLength(32)
    const body = JSON.stringify({ id: 'evt', payload: { name: '민수', note: 'é ✓' } })
    const expected = new Webhook(secret).sign('msg_1', new Date(1_700_000_000_000), body)
    expect(await webhookSigner().sign(secret, 'msg_1', 1_700_000_000, body)).toBe(expected)
    expect(await webhookSigner(nodeRuntime.webhookHmac!).sign(secret, 'msg_1', 1_700_000_000, body)).toBe(expected)
    for (const hmac of [nodeRuntime.webhookHmac!, webCryptoHmac()]) expect(`v1,${await hmac(key, `msg_1.1700000000.${body}`)}`).toBe(expected)
    expect(createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64')).toBe(expected.slice(3))
  })
})
