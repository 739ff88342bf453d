/** Master keys from configuration: what is accepted, what is refused and how, and key caching. */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createKeyring, generateMasterKey, keyringFromEnv, parseKeyring } from './keyring.ts'
import { fieldCrypto } from './tenant-crypto.ts'
import { toBase64 } from './encoding.ts'

const tenant = { orgId: '00000000-0000-4000-8000-000000000001', serviceId: '00000000-0000-4000-8000-000000000002' }
const bytes = (n: number) => toBase64(crypto.getRandomValues(new Uint8Array(n)))

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run()
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message }
  }
  throw new Error('expected a refusal')
}

describe('parseKeyring', () => {
  it('reads versioned keys, current = highest, in any order and separated by commas or white space', () => {
    const [k1, k2, k3] = [generateMasterKey(), generateMasterKey(), generateMasterKey()]
    const keyring = parseKeyring(`1:${k1}, 3:${k3}\n 2:${k2}`)
    expect(keyring.current).toBe(3)
    expect(keyring.versions).toEqual([3, 2, 1])
    expect(keyring.has(2)).toBe(true)
    expect(keyring.has(4)).toBe(false)
  })

  it('takes one bare key as version 1, in standard or URL-safe base64, padded or not', () => {
    const key = generateMasterKey()
    expect(parseKeyring(key).versions).toEqual([1])
    expect(parseKeyring(key.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_')).current).toBe(1)
  })

  it('refuses keys that are not 32 bytes, naming the version and the size, never the key', () => {
    const short = bytes(16)
    const { code, message } = refusal(() => parseKeyring(`2:${short},1:${generateMasterKey()}`))
    expect(code).toBe('OC_CRYPTO_KEY_INVALID')
    expect(message).toMatch(/OC_MASTER_KEYS: master key version 2 is 16 bytes; it must be exactly 32/)
    expect(message).not.toContain(short)
    expect(refusal(() => parseKeyring(bytes(33))).message).toMatch(/version 1 is 33 bytes/)
    expect(refusal(() => parseKeyring(bytes(64))).code).toBe('OC_CRYPTO_KEY_INVALID')
  })

  it('refuses text that is not base64, empty text, missing or bad versions, duplicates and non-random keys', () => {
    const key = generateMasterKey()
    const cases: [string, RegExp][] = [
      ['1:not*base64!', /version 1 is not valid base64/],
      ['', /no master key given/],
      [' , ', /no master key given/],
      [`${key},${generateMasterKey()}`, /entry 1 has no version/],
      [`0:${key}`, /entry 1 has no version number/],
      [`01:${key}`, /entry 1 has no version number/],
      [`1000000:${key}`, /version 1000000 is not an integer from 1 to 999999/],
      [`x:${key}`, /entry 1 has no version/],
      [`1:${key},1:${generateMasterKey()}`, /version 1 is given twice/],
      [`1:${key},2:${key}`, /versions 1 and 2 are the same key/],
      [toBase64(new Uint8Array(32)), /repeats one byte/],
    ]
    for (const [text, expected] of cases) {
      const { code, message } = refusal(() => parseKeyring(text))
      expect(code, text).toBe('OC_CRYPTO_KEY_INVALID')
      expect(message, text).toMatch(expected)
    }
  })

  it('lets the current version be held back for a rolling deploy, but only to a version it holds', () => {
    const text = `2:${generateMasterKey()},1:${generateMasterKey()}`
    expect(parseKeyring(text, { current: 1 }).current).toBe(1)
    expect(refusal(() => parseKeyring(text, { current: 3 })).message).toMatch(/current version 3 is not among the keys given \(2, 1\)/)
  })
})

describe('keyringFromEnv', () => {
  it('reads OC_MASTER_KEYS or OC_MASTER_KEY, and nothing when neither is set', () => {
    expect(keyringFromEnv({})).toBeUndefined()
    expect(keyringFromEnv({ OC_MASTER_KEYS: '  ' })).toBeUndefined()
    expect(keyringFromEnv({ OC_MASTER_KEY: generateMasterKey() })!.current).toBe(1)
    expect(keyringFromEnv({ OC_MASTER_KEYS: `7:${generateMasterKey()},3:${generateMasterKey()}`, OC_MASTER_KEY_CURRENT: '3' })!.current).toBe(3)
  })

  it('refuses both settings at once and names the setting a bad key came from', () => {
    expect(refusal(() => keyringFromEnv({ OC_MASTER_KEYS: `1:${generateMasterKey()}`, OC_MASTER_KEY: generateMasterKey() })).message).toMatch(/both OC_MASTER_KEYS and OC_MASTER_KEY are set/)
    expect(refusal(() => keyringFromEnv({ OC_MASTER_KEY: bytes(31) })).message).toMatch(/^OC_CRYPTO_KEY_INVALID: OC_MASTER_KEY: master key version 1 is 31 bytes/)
    expect(refusal(() => keyringFromEnv({ OC_MASTER_KEY: generateMasterKey(), OC_MASTER_KEY_CURRENT: 'two' })).message).toMatch(/OC_MASTER_KEY_CURRENT must be a key version number/)
  })
})

describe('keyring', () => {
  it('generates distinct 32-byte keys', () => {
    const a = generateMasterKey()
    expect(atob(a)).toHaveLength(32)
    expect(generateMasterKey()).not.toBe(a)
  })

  it('never shows key material when logged or serialised', () => {
    const key = generateMasterKey()
    const keyring = parseKeyring(`1:${key}`)
    expect(JSON.stringify(keyring)).not.toContain(key.slice(0, 10))
    expect(inspect(keyring, { depth: 5, showHidden: true })).not.toContain(key.slice(0, 10))
  })

  it('derives each tenant key once and caches it per version, tenant and purpose, within a bound', async () => {
    const keyring = createKeyring([{ version: 1, key: generateMasterKey() }, { version: 2, key: generateMasterKey() }], { cacheSize: 3 })
    const first = await keyring.derivedKey(2, tenant, 'field-encryption')
    expect(await keyring.derivedKey(2, tenant, 'field-encryption')).toBe(first)
    expect(first.extractable).toBe(false)
    expect(await keyring.derivedKey(2, tenant, 'blind-index')).not.toBe(first)
    expect(await keyring.derivedKey(1, tenant, 'field-encryption')).not.toBe(first)
    // A fourth entry pushes out the least recently used one (blind-index), not the one just used.
    await keyring.derivedKey(2, tenant, 'field-encryption')
    await keyring.derivedKey(2, { ...tenant, serviceId: '00000000-0000-4000-8000-000000000003' }, 'field-encryption')
    expect(await keyring.derivedKey(2, tenant, 'field-encryption')).toBe(first)
  })

  it('is what the platform hands plugins; without one, every operation refuses and names OC_MASTER_KEYS', async () => {
    const keyring = parseKeyring(generateMasterKey())
    expect(fieldCrypto(keyring)).toBe(keyring)
    const none = fieldCrypto(undefined)
    expect(none.configured).toBe(false)
    const fields = none.forTenant(tenant)
    await expect(fields.encrypt('x', 'field:a')).rejects.toMatchObject({ code: 'OC_CRYPTO_NOT_CONFIGURED', message: expect.stringMatching(/set OC_MASTER_KEYS/) })
    await expect(fields.decrypt('oc1.1.AAAA', 'field:a')).rejects.toMatchObject({ code: 'OC_CRYPTO_NOT_CONFIGURED' })
    await expect(fields.blindIndex('a', 'x')).rejects.toMatchObject({ code: 'OC_CRYPTO_NOT_CONFIGURED' })
    expect(() => fields.needsRotation('oc1.1.AAAA')).toThrow(/OC_CRYPTO_NOT_CONFIGURED/)
  })
})
