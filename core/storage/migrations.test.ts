import { describe, expect, it } from 'vitest'
import { migrate, pendingMigrations, type MigrationSet } from './migrations.ts'
import { coreMigrations } from './core-migrations.ts'
import { DRIVERS, freshDb, freshPostgresUrl } from '../../test/support/databases.ts'
import { postgresDb } from './postgres.ts'

const plugin: MigrationSet = {
  owner: 'notes',
  migrations: [
    { id: '0001_notes', sql: 'CREATE TABLE notes (org_id uuid NOT NULL, service_id uuid NOT NULL, body text NOT NULL); SELECT oc_tenant_table(\'notes\');' },
    { id: '0002_notes_title', sql: 'ALTER TABLE notes ADD COLUMN title text' },
  ],
}

const coreIds = coreMigrations.migrations.map((m) => `core:${m.id}`)

describe.each(DRIVERS)('migrations on %s', (driver) => {
  it('applies core then plugin migrations in order, records them, and is idempotent', async () => {
    const db = await freshDb(driver)
    expect(await pendingMigrations(db, [coreMigrations, plugin])).toHaveLength(coreIds.length + 2)
    const applied = await migrate(db, [coreMigrations, plugin])
    expect(applied).toEqual([...coreIds, 'notes:0001_notes', 'notes:0002_notes_title'])
    expect(applied.slice(0, 3)).toEqual(['core:0001_role_and_helpers', 'core:0002_tenancy', 'core:0003_tenant_tables'])
    const recorded = await db.query<{ id: string; owner: string }>('SELECT id, owner FROM oc_migrations ORDER BY applied_at, id')
    expect(recorded.map((r) => r.owner)).toEqual([...coreIds.map(() => 'core'), 'notes', 'notes'])
    expect(await migrate(db, [coreMigrations, plugin])).toEqual([])
    expect(await pendingMigrations(db, [coreMigrations, plugin])).toEqual([])
    await db.close()
  })

  it('applies a later migration added to a plugin', async () => {
    const db = await freshDb(driver)
    await migrate(db, [coreMigrations, { owner: 'notes', migrations: plugin.migrations.slice(0, 1) }])
    expect(await migrate(db, [coreMigrations, plugin])).toEqual(['notes:0002_notes_title'])
    await db.close()
  })

  it('leaves nothing half-applied when a migration fails', async () => {
    const db = await freshDb(driver)
    await migrate(db, [coreMigrations])
    const broken: MigrationSet = { owner: 'broken', migrations: [{ id: '0001_ok', sql: 'CREATE TABLE broken_ok (id int)' }, { id: '0002_bad', sql: 'CREATE TABLE broken_bad (id nosuchtype)' }] }
    await expect(migrate(db, [coreMigrations, broken])).rejects.toMatchObject({ code: 'OC_MIGRATION_FAILED', message: expect.stringContaining("'broken:0002_bad'") })
    const [row] = await db.query<{ exists: boolean }>("SELECT to_regclass('broken_ok') IS NOT NULL AS exists")
    expect(row!.exists).toBe(false)
    expect(await db.query("SELECT id FROM oc_migrations WHERE owner = 'broken'")).toEqual([])
    await db.close()
  })

  it('refuses duplicate and empty migrations before touching the database', async () => {
    const db = await freshDb(driver)
    await expect(migrate(db, [{ owner: 'x', migrations: [{ id: 'a', sql: 'SELECT 1' }, { id: 'a', sql: 'SELECT 1' }] }])).rejects.toMatchObject({ code: 'OC_MIGRATION_DUPLICATE' })
    await expect(migrate(db, [{ owner: 'x', migrations: [{ id: 'a' }] }])).rejects.toMatchObject({ code: 'OC_MIGRATION_EMPTY' })
    await db.close()
  })
})

describe('migrations on postgres from several instances at once', () => {
  it('applies each migration exactly once under the advisory lock', async () => {
    const url = await freshPostgresUrl()
    const instances = [postgresDb(url), postgresDb(url), postgresDb(url)]
    const results = await Promise.all(instances.map((db) => migrate(db, [coreMigrations, plugin])))
    expect(results.flat().sort()).toEqual([...coreIds, 'notes:0001_notes', 'notes:0002_notes_title'].sort())
    await Promise.all(instances.map((db) => db.close()))
  })
})
