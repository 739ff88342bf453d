/** The Node primitives give WebCrypto's bytes, so either opens the other's values. */
import * as nodeCrypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { webCryptoCipher } from '../crypto/primitives.ts'
import { type NodeCrypto, nodeFieldCipher } from './node-cipher.ts'

const node = nodeFieldCipher(nodeCrypto as unknown as NodeCrypto)

async function keys() {
  const master = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'HKDF', false, ['deriveKey'])
  const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(16), info: new Uint8Array([1]) }
  const aes = await crypto.subtle.deriveKey(params, master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const mac = await crypto.subtle.deriveKey(params, master, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'])
  return { aes, mac }
}

describe('the node:crypto field cipher', () => {
  it('seal and open agree with WebCrypto both ways', async () => {
    const { aes } = await keys()
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ad = new TextEncoder().encode('field:resident_no')
    const plain = new TextEncoder().encode('"900101-1234567"')
    const sealed = await node.seal(aes, iv, ad, plain)
    expect(sealed).toEqual(await webCryptoCipher.seal(aes, iv, ad, plain))
    expect(await node.open(aes, iv, ad, sealed)).toEqual(plain)
    expect(await webCryptoCipher.open(aes, iv, ad, sealed)).toEqual(plain)
  })

  it('refuses a value whose tag, data or additional data changed', async () => {
    const { aes } = await keys()
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ad = new TextEncoder().encode('a')
    const sealed = await node.seal(aes, iv, ad, new TextEncoder().encode('secret'))
    const flipped = sealed.slice()
    flipped[0]! ^= 1
    await expect(node.open(aes, iv, ad, flipped)).rejects.toThrow()
    await expect(node.open(aes, iv, new TextEncoder().encode('b'), sealed)).rejects.toThrow()
    await expect(node.open(aes, iv, ad, sealed.subarray(0, 8))).rejects.toThrow()
  })

  it('gives the HMAC WebCrypto gives', async () => {
    const { mac } = await keys()
    const data = new TextEncoder().encode('bi1 resident_no 9001011234567')
    expect(await node.hmac(mac, data)).toEqual(await webCryptoCipher.hmac(mac, data))
  })

  it('falls back to WebCrypto for good when the runtime cannot unwrap WebCrypto keys', async () => {
    const { aes, mac } = await keys()
    const refusing = nodeFieldCipher({ ...(nodeCrypto as unknown as NodeCrypto), KeyObject: { from: () => { throw new TypeError('not supported') } } })
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ad = new TextEncoder().encode('a')
    const plain = new TextEncoder().encode('secret')
    expect(await refusing.seal(aes, iv, ad, plain)).toEqual(await webCryptoCipher.seal(aes, iv, ad, plain))
    expect(await refusing.hmac(mac, plain)).toEqual(await webCryptoCipher.hmac(mac, plain))
  })
})
