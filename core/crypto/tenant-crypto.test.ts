/**
 * Encrypting field values: round trips, the stored format, and that every kind of change to a
 * stored value (or moving it to another tenant or field) is detected with a coded error.
 */
import { describe, expect, it } from 'vitest'
import { createKeyring, generateMasterKey, parseKeyring } from './keyring.ts'
import { fromBase64Url, toBase64Url } from './encoding.ts'
import { IV_BYTES, isEncryptedValue, keyVersionOf, TAG_BYTES } from './format.ts'

const orgA = '0b0f9d34-6a2c-4c8e-9a51-000000000001'
const orgB = '0b0f9d34-6a2c-4c8e-9a51-000000000002'
const svc1 = '5e8f1c9a-1111-4b7d-8c3e-000000000001'
const svc2 = '5e8f1c9a-1111-4b7d-8c3e-000000000002'
const [k1, k2] = [generateMasterKey(), generateMasterKey()]
const keyring = parseKeyring(`2:${k2},1:${k1}`)
const a1 = keyring.forTenant({ orgId: orgA, serviceId: svc1 })

const payloadOf = (value: string) => fromBase64Url(value.split('.')[2]!)!
const withPayload = (value: string, bytes: Uint8Array) => `${value.split('.').slice(0, 2).join('.')}.${toBase64Url(bytes)}`
const flipBit = (bytes: Uint8Array, bit: number) => {
  const copy = new Uint8Array(bytes)
  copy[bit >> 3]! ^= 1 << (bit & 7)
  return copy
}

describe('encrypt and decrypt', () => {
  it('round-trips Korean text, the empty string, emoji and long text', async () => {
    const samples = ['홍길동 (서울특별시 강남구 테헤란로 123, 010-1234-5678)', '', '🙂‍↔️ ẞ café', '가나다라'.repeat(250_000)]
    for (const text of samples) {
      const stored = await a1.encrypt(text, 'field:address')
      expect(await a1.decrypt(stored, 'field:address')).toBe(text)
    }
  })

  it('writes `oc1.<current version>.<base64url>` with a fresh IV each time, and no plaintext', async () => {
    const one = await a1.encrypt('901231-1234567', 'field:rrn')
    const two = await a1.encrypt('901231-1234567', 'field:rrn')
    expect(one).toMatch(/^oc1\.2\.[A-Za-z0-9_-]+$/)
    expect(one).not.toBe(two)
    expect(payloadOf(one).subarray(0, IV_BYTES)).not.toEqual(payloadOf(two).subarray(0, IV_BYTES))
    expect(payloadOf(one)).toHaveLength(IV_BYTES + 14 + TAG_BYTES)
    expect(isEncryptedValue(one)).toBe(true)
    expect(isEncryptedValue('901231-1234567')).toBe(false)
    expect(keyVersionOf(one)).toBe(2)
    expect(one).not.toContain('1234567')
  })

  it('reads values written under an older version and says they need rotation', async () => {
    const old = await parseKeyring(`1:${k1}`).forTenant({ orgId: orgA, serviceId: svc1 }).encrypt('kim@example.com', 'field:email')
    expect(keyVersionOf(old)).toBe(1)
    expect(await a1.decrypt(old, 'field:email')).toBe('kim@example.com')
    expect(a1.needsRotation(old)).toBe(true)
    expect(a1.needsRotation(await a1.encrypt('x', 'field:email'))).toBe(false)
  })

  it('refuses non-string values and missing tenants instead of encrypting "undefined"', async () => {
    await expect(a1.encrypt(null as never, 'field:a')).rejects.toMatchObject({ code: 'OC_CRYPTO_CONTEXT_INVALID' })
    await expect(a1.encrypt('x', undefined as never)).rejects.toMatchObject({ code: 'OC_CRYPTO_CONTEXT_INVALID' })
    expect(() => keyring.forTenant({ orgId: orgA, serviceId: undefined as never })).toThrow(/OC_CRYPTO_CONTEXT_INVALID/)
  })
})

describe('tampering', () => {
  const expectCode = (promise: Promise<unknown>, code: string) => expect(promise).rejects.toMatchObject({ code })

  it('detects a change of any single bit of the IV, the ciphertext or the tag', async () => {
    const stored = await a1.encrypt('홍길동', 'field:name')
    const bytes = payloadOf(stored)
    const regions = { iv: [0, IV_BYTES], ciphertext: [IV_BYTES, bytes.length - TAG_BYTES], tag: [bytes.length - TAG_BYTES, bytes.length] }
    for (const [region, [from, to]] of Object.entries(regions)) {
      expect(to! - from!, region).toBeGreaterThan(0)
      for (let bit = from! * 8; bit < to! * 8; bit++) {
        await expectCode(a1.decrypt(withPayload(stored, flipBit(bytes, bit)), 'field:name'), 'OC_CRYPTO_TAMPERED')
      }
    }
  })

  it('detects truncation, extension and non-canonical base64url', async () => {
    const stored = await a1.encrypt('홍길동', 'field:name')
    const bytes = payloadOf(stored)
    await expectCode(a1.decrypt(withPayload(stored, bytes.subarray(0, bytes.length - 1)), 'field:name'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(withPayload(stored, bytes.subarray(0, IV_BYTES + TAG_BYTES - 1)), 'field:name'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(withPayload(stored, new Uint8Array([...bytes, 0])), 'field:name'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(`${stored}=`, 'field:name'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(`${stored.slice(0, -1)}*`, 'field:name'), 'OC_CRYPTO_TAMPERED')
    // 33 bytes of payload end on a full base64 group, so use a length whose last character has spare bits.
    const odd = await a1.encrypt('홍길동a', 'field:name')
    const last = odd.at(-1)!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!
    expect(payloadOf(odd).length % 3).not.toBe(0)
    await expectCode(a1.decrypt(odd.slice(0, -1) + sibling, 'field:name'), 'OC_CRYPTO_TAMPERED')
  })

  it('detects a changed version: unknown, another known key, or not a version at all', async () => {
    const stored = await a1.encrypt('홍길동', 'field:name')
    await expectCode(a1.decrypt(stored.replace(/^oc1\.2\./, 'oc1.3.'), 'field:name'), 'OC_CRYPTO_KEY_UNKNOWN')
    await expectCode(a1.decrypt(stored.replace(/^oc1\.2\./, 'oc1.1.'), 'field:name'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(stored.replace(/^oc1\.2\./, 'oc1.02.'), 'field:name'), 'OC_CRYPTO_MALFORMED')
    await expectCode(a1.decrypt(stored.replace(/^oc1\./, 'oc2.'), 'field:name'), 'OC_CRYPTO_MALFORMED')
    await expectCode(a1.decrypt('홍길동', 'field:name'), 'OC_CRYPTO_MALFORMED')
    // A key version dropped from the keyring names itself and the versions held.
    await expect(parseKeyring(`1:${k1}`).forTenant({ orgId: orgA, serviceId: svc1 }).decrypt(stored, 'field:name')).rejects.toThrow(/master key version 2, which the keyring does not hold \(it holds 1\)/)
  })

  it('detects a changed context: another field code, or the same code spelled differently', async () => {
    const stored = await a1.encrypt('010-1234-5678', 'field:phone')
    await expectCode(a1.decrypt(stored, 'field:mobile'), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(stored, 'field:phone '), 'OC_CRYPTO_TAMPERED')
    await expectCode(a1.decrypt(stored, ''), 'OC_CRYPTO_TAMPERED')
  })

  it('refuses a value moved to another service, another organization or another master key', async () => {
    const stored = await a1.encrypt('010-1234-5678', 'field:phone')
    await expectCode(keyring.forTenant({ orgId: orgA, serviceId: svc2 }).decrypt(stored, 'field:phone'), 'OC_CRYPTO_TAMPERED')
    await expectCode(keyring.forTenant({ orgId: orgB, serviceId: svc1 }).decrypt(stored, 'field:phone'), 'OC_CRYPTO_TAMPERED')
    await expectCode(createKeyring([{ version: 2, key: generateMasterKey() }]).forTenant({ orgId: orgA, serviceId: svc1 }).decrypt(stored, 'field:phone'), 'OC_CRYPTO_TAMPERED')
    // Swapping ids between org and service must not give the same key either.
    await expectCode(keyring.forTenant({ orgId: svc1, serviceId: orgA }).decrypt(stored, 'field:phone'), 'OC_CRYPTO_TAMPERED')
  })

  it('keeps the value and the key out of error messages', async () => {
    const stored = await a1.encrypt('010-1234-5678', 'field:phone')
    const error = await a1.decrypt(stored, 'field:other').catch((e: Error) => e)
    expect((error as Error).message).not.toContain(stored.split('.')[2]!.slice(0, 12))
    expect((error as Error).message).not.toContain(k2.slice(0, 12))
  })
})
