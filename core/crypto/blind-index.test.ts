/**
 * Blind indexes: equal for values the normalization calls equal, unrelated across tenants and
 * fields, not a plain hash anyone could recompute, and still searchable across a key rotation.
 */
import { describe, expect, it } from 'vitest'
import { generateMasterKey, parseKeyring } from './keyring.ts'
import { normalizeForBlindIndex } from './blind-index.ts'
import { fromBase64Url, utf8 } from './encoding.ts'

const orgA = '0b0f9d34-6a2c-4c8e-9a51-000000000001'
const orgB = '0b0f9d34-6a2c-4c8e-9a51-000000000002'
const svc1 = '5e8f1c9a-1111-4b7d-8c3e-000000000001'
const svc2 = '5e8f1c9a-1111-4b7d-8c3e-000000000002'
const [k1, k2] = [generateMasterKey(), generateMasterKey()]
const keyring = parseKeyring(`1:${k1}`)
const a1 = keyring.forTenant({ orgId: orgA, serviceId: svc1 })

describe('normalizeForBlindIndex', () => {
  it.each([
    ['  Kim.MinSu@Example.COM ', 'kim.minsu@example.com'],
    ['ＫＩＭ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'kim@example.com'],
    ['010-1234-5678', '01012345678'],
    ['０１０ １２３４ ５６７８', '01012345678'],
    ['(02) 123-4567', '021234567'],
    ['+82 10-1234-5678', '+821012345678'],
    ['901231-1234567', '9012311234567'],
    ['1.5', '1.5'],
    ['12-34', '12-34'],
    ['  홍   길동  ', '홍 길동'],
    ['\u1112\u1169\u11BC', '홍'],
    ['Seoul', 'Seoul'],
    ['a@b c', 'a@b c'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeForBlindIndex(input)).toBe(expected)
  })
})

describe('blindIndex', () => {
  it('is equal for equal normalized values and differs for different ones', async () => {
    const phone = await a1.blindIndex('phone', '010-1234-5678')
    expect(phone).toMatch(/^bi1\.1\.[A-Za-z0-9_-]{43}$/)
    expect(await a1.blindIndex('phone', ' 010 1234 5678')).toBe(phone)
    expect(await a1.blindIndex('phone', '01012345678')).toBe(phone)
    expect(await a1.blindIndex('phone', '010-1234-5679')).not.toBe(phone)
    expect(await a1.blindIndex('email', 'Kim@Example.com')).toBe(await a1.blindIndex('email', 'kim@example.COM'))
    expect(await a1.blindIndex('name', 'Kim')).not.toBe(await a1.blindIndex('name', 'kim'))
  })

  it('differs across services, organizations and fields, and under another master key', async () => {
    const value = 'kim@example.com'
    const indexes = [
      await a1.blindIndex('email', value),
      await keyring.forTenant({ orgId: orgA, serviceId: svc2 }).blindIndex('email', value),
      await keyring.forTenant({ orgId: orgB, serviceId: svc1 }).blindIndex('email', value),
      await a1.blindIndex('email2', value),
      await a1.blindIndex('', value),
      await parseKeyring(`1:${k2}`).forTenant({ orgId: orgA, serviceId: svc1 }).blindIndex('email', value),
    ]
    expect(new Set(indexes).size).toBe(indexes.length)
  })

  it('is never a plain hash of the value, and never the encryption of it', async () => {
    const value = '010-1234-5678'
    const mac = fromBase64Url((await a1.blindIndex('phone', value)).split('.')[2]!)!
    for (const text of [value, normalizeForBlindIndex(value), `phone${value}`, `phone:${normalizeForBlindIndex(value)}`]) {
      for (const algorithm of ['SHA-256', 'SHA-512']) {
        const digest = new Uint8Array(await crypto.subtle.digest(algorithm, utf8(text)))
        expect(digest.subarray(0, 32)).not.toEqual(mac)
      }
    }
    expect(await a1.encrypt(value, 'phone')).not.toContain((await a1.blindIndex('phone', value)).split('.')[2])
  })

  it('still finds rows indexed under an older key after a rotation, current version first', async () => {
    const before = await a1.blindIndex('email', 'kim@example.com')
    const rotated = parseKeyring(`2:${k2},1:${k1}`).forTenant({ orgId: orgA, serviceId: svc1 })
    const search = await rotated.blindIndexSearch('email', 'KIM@example.com')
    expect(search).toHaveLength(2)
    expect(search[0]).toMatch(/^bi1\.2\./)
    expect(search[0]).toBe(await rotated.blindIndex('email', 'kim@example.com'))
    expect(search[1]).toBe(before)
    expect(rotated.needsRotation(before)).toBe(true)
    expect(rotated.needsRotation(search[0]!)).toBe(false)
  })
})
