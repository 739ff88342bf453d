/**
 * A tenant table's rows go with their service (core migration 0017, `oc_tenant_table`), on both
 * drivers: a table without a key to `oc_services` gets one that cascades; a table whose key
 * would keep its rows is refused at migration time, naming it; and a table made a tenant table
 * before the key existed is repaired once, its rows of services deleted meanwhile removed.
 */
import { describe, expect, it } from 'vitest'
import { migrate, type MigrationSet } from './migrations.ts'
import { coreMigrations } from './core-migrations.ts'
import { DRIVERS, freshDb } from '../../test/support/databases.ts'
import type { Db } from './db.ts'

const table = (name: string, key = '') => `CREATE TABLE ${name} (org_id uuid NOT NULL, service_id uuid NOT NULL ${key}, body text NOT NULL); SELECT oc_tenant_table('${name}');`

async function service(db: Db, code: string): Promise<{ org: string; service: string }> {
  const [org] = await db.query<{ id: string }>('INSERT INTO oc_organizations (slug, name) VALUES ($1, $1) RETURNING id', [`org-${code}`])
  const [svc] = await db.query<{ id: string }>("INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone) VALUES ($1, $2, $2, 'ko', '{ko}', 'Asia/Seoul') RETURNING id", [org!.id, code])
  return { org: org!.id, service: svc!.id }
}

const count = async (db: Db, name: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`))[0]!.n

describe.each(DRIVERS)('tenant tables go with their service on %s', (driver) => {
  it('gives a table without a key one that cascades, so deleting the organization removes its rows', async () => {
    const db = await freshDb(driver)
    await migrate(db, [coreMigrations, { owner: 'notes', migrations: [{ id: '0001_notes', sql: table('notes') }] }])
    const a = await service(db, 'a')
    const b = await service(db, 'b')
    for (const s of [a, b]) await db.query('INSERT INTO notes (org_id, service_id, body) VALUES ($1, $2, $3)', [s.org, s.service, 'kept?'])
    await db.query('DELETE FROM oc_organizations WHERE id = $1', [a.org])
    expect(await db.query('SELECT service_id FROM notes')).toEqual([{ service_id: b.service }])
    await db.close()
  })

  it('refuses, at migration time and naming it, a table whose key to oc_services would keep its rows', async () => {
    const db = await freshDb(driver)
    const keeping: MigrationSet = { owner: 'keeper', migrations: [{ id: '0001_kept', sql: table('kept_notes', 'REFERENCES oc_services(id) ON DELETE RESTRICT') }] }
    await expect(migrate(db, [coreMigrations, keeping])).rejects.toMatchObject({ code: 'OC_MIGRATION_FAILED', message: expect.stringMatching(/kept_notes.*without ON DELETE CASCADE/) })
    // A key that cascades is the table's own and is kept as declared.
    await migrate(db, [coreMigrations, { owner: 'fine', migrations: [{ id: '0001_fine', sql: table('fine_notes', 'REFERENCES oc_services(id) ON DELETE CASCADE') }] }])
    expect(await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'fine_notes'::regclass AND contype = 'f'")).toEqual([{ n: 1 }])
    await db.close()
  })

  it('repairs a table made a tenant table before the key existed, removing the rows of services deleted meanwhile', async () => {
    const db = await freshDb(driver)
    await migrate(db, [coreMigrations, { owner: 'old', migrations: [{ id: '0001_old', sql: table('old_notes') }] }])
    // As an install from before 0017 had it: no key, and a row of a service that is gone.
    const [key] = await db.query<{ conname: string }>("SELECT conname FROM pg_constraint WHERE conrelid = 'old_notes'::regclass AND contype = 'f'")
    await db.query(`ALTER TABLE old_notes DROP CONSTRAINT ${key!.conname}`)
    const gone = await service(db, 'gone')
    const kept = await service(db, 'kept')
    for (const s of [gone, kept]) await db.query('INSERT INTO old_notes (org_id, service_id, body) VALUES ($1, $2, $3)', [s.org, s.service, 'x'])
    await db.query('DELETE FROM oc_organizations WHERE id = $1', [gone.org])
    expect(await count(db, 'old_notes')).toBe(2)
    await db.exec(coreMigrations.migrations.find((m) => m.id === '0017_tenant_cascade')!.sql!)
    expect(await db.query('SELECT service_id FROM old_notes')).toEqual([{ service_id: kept.service }])
    await db.query('DELETE FROM oc_organizations WHERE id = $1', [kept.org])
    expect(await count(db, 'old_notes')).toBe(0)
    await db.close()
  })
})
