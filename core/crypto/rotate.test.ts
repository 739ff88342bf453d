/**
 * Key rotation while the application writes: after `rotateColumn`, every value is readable and
 * under the new version, none skipped (even rows a writer held locked), none encrypted twice.
 */
import { describe, expect, it } from 'vitest'
import { DRIVERS, freshDb } from '../../test/support/databases.ts'
import type { Db, TenantScope } from '../storage/db.ts'
import { generateMasterKey, type Keyring, parseKeyring } from './keyring.ts'
import { rotateColumn, type RotateColumnSpec } from './rotate.ts'
import { fieldCrypto } from './tenant-crypto.ts'
import { fieldContext, insertContactField, tenantsWithContactFields } from './test-fixture.ts'

const FIELDS = ['name', 'phone', 'email'] as const
const spec: RotateColumnSpec = {
  table: 'contact_fields',
  column: 'value',
  keyColumns: ['service_id', 'id'],
  context: (row) => fieldContext(row.field_code),
  blindIndex: { column: 'value_index', fieldCode: (row) => String(row.field_code) },
}

interface Expected {
  scope: TenantScope
  field: string
  plaintext: string
}

/** Seeds `perTenant` rows in each tenant under `keyring`; returns what each row must hold. */
async function seed(db: Db, tenants: TenantScope[], keyring: Keyring, perTenant: number): Promise<Map<string, Expected>> {
  const expected = new Map<string, Expected>()
  for (const scope of tenants) {
    const fields = keyring.forTenant(scope)
    for (let i = 0; i < perTenant; i++) {
      const field = FIELDS[i % FIELDS.length]!
      const plaintext = `${field}-${i} 홍길동 010-${String(1000 + i).padStart(4, '0')}-5678`
      expected.set(await insertContactField(db, fields, field, plaintext), { scope, field, plaintext })
    }
  }
  return expected
}

/** Reads every row back: its value and index must be under `version` and hold what `expected` says. */
async function verify(db: Db, keyring: Keyring, expected: Map<string, Expected>, version: number) {
  const rows = await db.query<{ id: string; org_id: string; service_id: string; field_code: string; value: string; value_index: string }>('SELECT id::text, org_id::text, service_id::text, field_code, value, value_index FROM contact_fields ORDER BY id')
  expect(rows.length).toBe(expected.size)
  for (const row of rows) {
    const want = expected.get(row.id)!
    expect(row.value.startsWith(`oc1.${version}.`), `row ${row.id}: ${row.value.slice(0, 8)}`).toBe(true)
    expect(row.value_index.startsWith(`bi1.${version}.`)).toBe(true)
    const fields = keyring.forTenant({ orgId: row.org_id, serviceId: row.service_id })
    // A value encrypted twice would decrypt to `oc1.…`, not to the plaintext.
    expect(await fields.decrypt(row.value, fieldContext(row.field_code))).toBe(want.plaintext)
    expect(row.value_index).toBe(await fields.blindIndex(row.field_code, want.plaintext))
  }
}

describe('rotateColumn under load (PostgreSQL)', () => {
  it('rotates every value of every tenant while writers insert, update and hold rows locked', async () => {
    const db = await freshDb('postgres')
    try {
      const tenants = await tenantsWithContactFields(db, 2, 2)
      const [k1, k2] = [generateMasterKey(), generateMasterKey()]
      const v1 = parseKeyring(`1:${k1}`)
      const v2 = parseKeyring(`2:${k2},1:${k1}`)
      const expected = await seed(db, tenants, v1, 150)
      const seededIds = [...expected.keys()]

      // Writers: the application after the deploy of version 2. Each owns a slice of the rows,
      // so what `expected` says always matches the last commit.
      let stop = false
      const ops = { inserted: 0, updated: 0, touched: 0 }
      const WRITERS = 4
      const writer = async (w: number) => {
        const mine = seededIds.filter((_, i) => i % WRITERS === w)
        let n = 0
        while (!stop) {
          n++
          const id = mine[(n * 7) % mine.length]!
          const row = expected.get(id)!
          const fields = v2.forTenant(row.scope)
          switch (n % 3) {
            case 0: {
              const scope = tenants[n % tenants.length]!
              const plaintext = `new-${w}-${n} 김철수`
              const newId = await insertContactField(db, v2.forTenant(scope), 'name', plaintext)
              expected.set(newId, { scope, field: 'name', plaintext })
              ops.inserted++
              break
            }
            case 1: {
              // Read, change and write back a value, as an edit of the field would.
              const plaintext = await db.tenantTransaction(row.scope, async (tx) => {
                const [current] = await tx.query<{ value: string }>('SELECT value FROM contact_fields WHERE id = $1 FOR UPDATE', [id])
                const next = `${await fields.decrypt(current!.value, fieldContext(row.field))}+`
                await tx.query('UPDATE contact_fields SET value = $1, value_index = $2 WHERE id = $3', [await fields.encrypt(next, fieldContext(row.field)), await fields.blindIndex(row.field, next), id])
                return next
              })
              expected.set(id, { ...row, plaintext })
              ops.updated++
              break
            }
            default:
              // Change another column and hold the lock a while: the value keeps its old version,
              // and rotation must skip the row now and come back for it.
              await db.tenantTransaction(row.scope, async (tx) => {
                await tx.query('UPDATE contact_fields SET touched = touched + 1 WHERE id = $1', [id])
                await tx.query('SELECT pg_sleep(0.01)')
              })
              ops.touched++
          }
        }
      }
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w))
      await new Promise((resolve) => setTimeout(resolve, 150))

      const opsBefore = { ...ops }
      const started = performance.now()
      const result = await rotateColumn(db, { ...spec, batchSize: 40 }, v2)
      const took = performance.now() - started
      const opsDuring = ops.inserted + ops.updated + ops.touched - (opsBefore.inserted + opsBefore.updated + opsBefore.touched)
      stop = true
      await Promise.all(writers)

      console.info(`rotation: ${JSON.stringify({ ...result, failures: undefined })} in ${took.toFixed(0)} ms; writer operations during it: ${opsDuring} (${JSON.stringify(ops)})`)
      expect(result).toMatchObject({ complete: true, remaining: 0, failed: 0 })
      expect(opsDuring).toBeGreaterThan(20)
      expect(result.rotated).toBeGreaterThan(0)
      expect(result.rotated).toBeLessThanOrEqual(seededIds.length)
      await verify(db, v2, expected, 2)
      // Running it again finds nothing to do.
      expect(await rotateColumn(db, spec, v2)).toMatchObject({ rotated: 0, complete: true, passes: 1 })
    } finally {
      await db.close()
    }
  })

  it('comes back for a row that a writer held locked, and says so when it stays locked', async () => {
    const db = await freshDb('postgres')
    try {
      const tenants = await tenantsWithContactFields(db, 1, 1)
      const [k1, k2] = [generateMasterKey(), generateMasterKey()]
      const v2 = parseKeyring(`2:${k2},1:${k1}`)
      const expected = await seed(db, tenants, parseKeyring(`1:${k1}`), 20)
      const [lockedId] = [...expected.keys()]
      const holdLock = async (until: Promise<void>) => {
        let taken!: () => void
        const isTaken = new Promise<void>((resolve) => (taken = resolve))
        const holder = db.transaction(async (tx) => {
          await tx.query('SELECT 1 FROM contact_fields WHERE id = $1 FOR UPDATE', [lockedId])
          taken()
          await until
        })
        await isTaken
        // Wrapped: an async function returning the promise itself would wait for it to settle.
        return { released: holder }
      }

      // Held for the whole run: everything else is rotated, the locked row is reported as left.
      let releaseFirst!: () => void
      const first = await holdLock(new Promise((resolve) => (releaseFirst = resolve)))
      const gaveUp = await rotateColumn(db, { ...spec, maxPasses: 2 }, v2)
      releaseFirst()
      await first.released
      expect(gaveUp).toMatchObject({ rotated: 19, passes: 2, remaining: 1, complete: false, failed: 0 })

      // Released during the run: a later pass takes it.
      const second = await holdLock(new Promise((resolve) => setTimeout(resolve, 100)))
      const result = await rotateColumn(db, spec, v2)
      await second.released
      expect(result.passes).toBeGreaterThanOrEqual(2)
      expect(result).toMatchObject({ rotated: 1, complete: true })
      await verify(db, v2, expected, 2)
    } finally {
      await db.close()
    }
  })

  it('with a scope, rotates only that tenant, under its row-level security', async () => {
    const db = await freshDb('postgres')
    try {
      const [a, b] = await tenantsWithContactFields(db, 1, 2)
      const [k1, k2] = [generateMasterKey(), generateMasterKey()]
      const v2 = parseKeyring(`2:${k2},1:${k1}`)
      await seed(db, [a!, b!], parseKeyring(`1:${k1}`), 30)
      const result = await rotateColumn(db, { ...spec, scope: a!, batchSize: 7 }, v2)
      expect(result).toMatchObject({ rotated: 30, complete: true })
      expect(result.batches).toBeGreaterThanOrEqual(5)
      const versions = await db.query<{ service_id: string; v: string; n: number }>("SELECT service_id::text, split_part(value, '.', 2) AS v, count(*)::int AS n FROM contact_fields GROUP BY 1, 2 ORDER BY 1, 2")
      expect(versions).toEqual(expect.arrayContaining([{ service_id: a!.serviceId, v: '2', n: 30 }, { service_id: b!.serviceId, v: '1', n: 30 }]))
      expect(versions).toHaveLength(2)
    } finally {
      await db.close()
    }
  })
})

describe.each(DRIVERS)('rotateColumn on %s', (driver) => {
  it('stops between batches and resumes; reports rows it cannot decrypt and leaves them alone', async () => {
    const db = await freshDb(driver)
    try {
      const tenants = await tenantsWithContactFields(db, 1, 2)
      const [k1, k2] = [generateMasterKey(), generateMasterKey()]
      const v2 = parseKeyring(`2:${k2},1:${k1}`)
      const expected = await seed(db, tenants, parseKeyring(`1:${k1}`), 25)
      // Damage the first row in key order, so the first batch meets it.
      const damagedId = (await db.query<{ id: string }>('SELECT id::text FROM contact_fields ORDER BY service_id, id LIMIT 1'))[0]!.id
      const [damaged] = await db.query<{ value: string; service_id: string }>("UPDATE contact_fields SET value = overlay(value placing (CASE WHEN substr(value, 20, 1) = 'A' THEN 'B' ELSE 'A' END) from 20 for 1) WHERE id = $1 RETURNING value, service_id::text", [damagedId])
      expected.delete(damagedId)

      const stopper = new AbortController()
      const first = await rotateColumn(db, { ...spec, batchSize: 10, signal: stopper.signal, onBatch: () => stopper.abort() }, v2)
      expect(first).toMatchObject({ batches: 1, failed: 1, complete: false, remaining: 50 - 9 })
      expect(first.rotated).toBe(9)

      const rest = await rotateColumn(db, { ...spec, batchSize: 10 }, v2)
      expect(rest).toMatchObject({ rotated: 40, failed: 1, remaining: 1, complete: false })
      expect(rest.failures).toHaveLength(1)
      expect(rest.failures[0]!.code).toBe('OC_CRYPTO_TAMPERED')
      expect(rest.failures[0]!.key.map(String)).toEqual([damaged!.service_id, damagedId])
      const [left] = await db.query<{ value: string }>('SELECT value FROM contact_fields WHERE id = $1', [damagedId])
      expect(left!.value).toBe(damaged!.value)
      await db.query('DELETE FROM contact_fields WHERE id = $1', [damagedId])
      await verify(db, v2, expected, 2)
    } finally {
      await db.close()
    }
  })
})

describe('rotateColumn refusals', () => {
  it('refuses without a keyring and names the setting; refuses unknown tables and columns', async () => {
    const db = await freshDb('postgres')
    try {
      await tenantsWithContactFields(db, 1, 1)
      const keyring = parseKeyring(generateMasterKey())
      await expect(rotateColumn(db, spec, fieldCrypto(undefined))).rejects.toThrow(/OC_CRYPTO_NOT_CONFIGURED: set OC_MASTER_KEYS/)
      await expect(rotateColumn(db, { ...spec, table: 'no_such_table' }, keyring)).rejects.toThrow(/table 'no_such_table' does not exist/)
      await expect(rotateColumn(db, { ...spec, column: 'value; DROP TABLE contact_fields' }, keyring)).rejects.toThrow(/has no column 'value; DROP TABLE contact_fields'/)
      await expect(rotateColumn(db, { ...spec, keyColumns: [] }, keyring)).rejects.toThrow(/keyColumns must name/)
    } finally {
      await db.close()
    }
  })
})
