/** The Node path of the per-value primitives gives WebCrypto's bytes, so either opens the other's values. */
import { describe, expect, it } from 'vitest'
import { aesGcmOpen, aesGcmSeal, hmacSha256 } from './primitives.ts'

async function keys() {
  const master = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'HKDF', false, ['deriveKey'])
  const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(16), info: new Uint8Array([1]) }
  const aes = await crypto.subtle.deriveKey(params, master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const mac = await crypto.subtle.deriveKey(params, master, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'])
  return { aes, mac }
}

describe('crypto primitives', () => {
  it('seal and open agree with WebCrypto both ways', async () => {
    const { aes } = await keys()
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ad = new TextEncoder().encode('field:resident_no')
    const plain = new TextEncoder().encode('"900101-1234567"')
    const sealed = await aesGcmSeal(aes, iv, ad, plain)
    expect(sealed).toEqual(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ad, tagLength: 128 }, aes, plain)))
    expect(await aesGcmOpen(aes, iv, ad, sealed)).toEqual(plain)
  })

  it('refuses a value whose tag, data or additional data changed', async () => {
    const { aes } = await keys()
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ad = new TextEncoder().encode('a')
    const sealed = await aesGcmSeal(aes, iv, ad, new TextEncoder().encode('secret'))
    const flipped = sealed.slice()
    flipped[0]! ^= 1
    await expect(aesGcmOpen(aes, iv, ad, flipped)).rejects.toThrow()
    await expect(aesGcmOpen(aes, iv, new TextEncoder().encode('b'), sealed)).rejects.toThrow()
    await expect(aesGcmOpen(aes, iv, ad, sealed.subarray(0, 8))).rejects.toThrow()
  })

  it('gives the HMAC WebCrypto gives', async () => {
    const { mac } = await keys()
    const data = new TextEncoder().encode('bi1 resident_no 9001011234567')
    expect(await hmacSha256(mac, data)).toEqual(new Uint8Array(await crypto.subtle.sign('HMAC', mac, data)))
  })
})
