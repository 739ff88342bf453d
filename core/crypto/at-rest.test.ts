/**
 * Personal information at rest (S3) on a real PostgreSQL server: what reaches the database is
 * ciphertext and keyed indexes only, exact-match search works through the index inside a
 * tenant, and a value copied into another tenant's row does not decrypt there.
 */
import { describe, expect, it } from 'vitest'
import { freshDb } from '../../test/support/databases.ts'
import { generateMasterKey, parseKeyring } from './keyring.ts'
import { fieldContext, insertContactField, tenantsWithContactFields } from './test-fixture.ts'

const samples = { name: '홍길동', phone: '010-1234-5678', email: 'Kim.MinSu@Example.com', rrn: '901231-1234567', memo: '서울특별시 강남구 테헤란로 123' }

describe('encrypted fields in PostgreSQL', () => {
  it('stores no plaintext (nor its normalized form) in any column', async () => {
    const db = await freshDb('postgres')
    try {
      const [a] = await tenantsWithContactFields(db, 1, 1)
      const fields = parseKeyring(generateMasterKey()).forTenant(a!)
      for (const [code, value] of Object.entries(samples)) await insertContactField(db, fields, code, value)

      // Read as the owner, around row-level security: every column of every row, as text.
      const raw = await db.query<{ line: string }>('SELECT t::text AS line FROM contact_fields t')
      expect(raw).toHaveLength(5)
      const dump = raw.map((r) => r.line).join('\n')
      const needles = [...Object.values(samples), '01012345678', 'kim.minsu@example.com', '9012311234567', '1234567', '테헤란로', 'MinSu']
      for (const needle of needles) expect(dump, needle).not.toContain(needle)
      // ...and it is all there to read back through the keys.
      const rows = await db.tenantTransaction(a!, (tx) => tx.query<{ field_code: string; value: string }>('SELECT field_code, value FROM contact_fields'))
      for (const row of rows) expect(row.value).toMatch(/^oc1\.1\./)
      const read = Object.fromEntries(await Promise.all(rows.map(async (r) => [r.field_code, await fields.decrypt(r.value, fieldContext(r.field_code))])))
      expect(read).toEqual(samples)
    } finally {
      await db.close()
    }
  })

  it('finds a row by exact value through the blind index, only within its tenant and field', async () => {
    const db = await freshDb('postgres')
    try {
      const [a, b] = await tenantsWithContactFields(db, 1, 2)
      const keyring = parseKeyring(generateMasterKey())
      const [fa, fb] = [keyring.forTenant(a!), keyring.forTenant(b!)]
      const id = await insertContactField(db, fa, 'email', 'Kim.MinSu@Example.com')
      await insertContactField(db, fa, 'email', 'lee@example.com')
      await insertContactField(db, fa, 'backup_email', 'kim.minsu@example.com')
      await insertContactField(db, fb, 'email', 'kim.minsu@example.com')

      const find = (fields: typeof fa, code: string, query: string) =>
        db.tenantTransaction(fields.scope, async (tx) =>
          (await tx.query<{ id: string }>('SELECT id::text FROM contact_fields WHERE field_code = $1 AND value_index = ANY($2)', [code, await fields.blindIndexSearch(code, query)])).map((r) => r.id),
        )
      expect(await find(fa, 'email', '  KIM.minsu@example.COM')).toEqual([id])
      expect(await find(fb, 'email', 'kim.minsu@example.com')).toHaveLength(1)
      // The same value in the same tenant's other field, and in the other tenant, index differently.
      const kims = await db.query<{ value_index: string }>('SELECT value_index FROM contact_fields WHERE value_index <> $1', [await fa.blindIndex('email', 'lee@example.com')])
      expect(kims).toHaveLength(3)
      expect(new Set(kims.map((r) => r.value_index)).size).toBe(3)
    } finally {
      await db.close()
    }
  })

  it('does not decrypt a value copied into another tenant\'s row', async () => {
    const db = await freshDb('postgres')
    try {
      const [a, b] = await tenantsWithContactFields(db, 2, 1)
      const keyring = parseKeyring(generateMasterKey())
      await insertContactField(db, keyring.forTenant(a!), 'phone', '010-1234-5678')
      const idB = await insertContactField(db, keyring.forTenant(b!), 'phone', '010-9999-0000')
      // Someone with owner access copies A's ciphertext over B's.
      await db.query("UPDATE contact_fields SET value = (SELECT value FROM contact_fields WHERE org_id = $1) WHERE id = $2", [a!.orgId, idB])
      const [row] = await db.tenantTransaction(b!, (tx) => tx.query<{ value: string }>('SELECT value FROM contact_fields'))
      await expect(keyring.forTenant(b!).decrypt(row!.value, fieldContext('phone'))).rejects.toMatchObject({ code: 'OC_CRYPTO_TAMPERED' })
    } finally {
      await db.close()
    }
  })
})
