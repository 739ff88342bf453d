/**
 * Tenant isolation is the database's job (C8): these tests go around the application and
 * speak SQL directly inside tenant transactions, as a handler with a bug would.
 */
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { migrate } from './migrations.ts'
import { coreMigrations } from './core-migrations.ts'
import type { Db } from './db.ts'
import { postgresDb } from './postgres.ts'
import { DRIVERS, freshDb, freshPostgresUrl } from '../../test/support/databases.ts'

const notes = { owner: 'notes', migrations: [{ id: '0001', sql: "CREATE TABLE notes (org_id uuid NOT NULL, service_id uuid NOT NULL, body text NOT NULL); SELECT oc_tenant_table('notes');" }] }

async function twoTenants(db: Db) {
  await migrate(db, [coreMigrations, notes])
  const [org] = await db.sql<{ id: string }>`INSERT INTO oc_organizations (slug, name) VALUES ('acme', 'Acme') RETURNING id`
  const service = async (code: string) =>
    (await db.sql<{ id: string }>`INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone) VALUES (${org!.id}, ${code}, ${code}, 'ko', ${['ko']}, 'UTC') RETURNING id`)[0]!.id
  const a = { orgId: org!.id, serviceId: await service('a') }
  const b = { orgId: org!.id, serviceId: await service('b') }
  await db.tenantTransaction(a, (tx) => tx.sql`INSERT INTO notes (body) VALUES ('secret of a')`)
  await db.tenantTransaction(b, (tx) => tx.sql`INSERT INTO notes (body) VALUES ('secret of b')`)
  return { a, b }
}

describe.each(DRIVERS)('row-level security on %s', (driver) => {
  it('shows a tenant only its own rows, even to a hand-written query without a WHERE clause', async () => {
    const db = await freshDb(driver)
    const { a, b } = await twoTenants(db)
    const seenByA = await db.tenantTransaction(a, (tx) => tx.query<{ body: string }>('SELECT body FROM notes'))
    expect(seenByA.map((r) => r.body)).toEqual(['secret of a'])
    const countByB = await db.tenantTransaction(b, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM notes'))
    expect(countByB[0]!.n).toBe(1)
    // The owner (platform code) sees both.
    expect((await db.query('SELECT body FROM notes')).length).toBe(2)
    await db.close()
  })

  it('refuses writes into another tenant and updates that reach across', async () => {
    const db = await freshDb(driver)
    const { a, b } = await twoTenants(db)
    await expect(db.tenantTransaction(a, (tx) => tx.sql`INSERT INTO notes (org_id, service_id, body) VALUES (${b.orgId}, ${b.serviceId}, 'planted')`)).rejects.toThrow(/row-level security/)
    const updated = await db.tenantTransaction(a, (tx) => tx.query("UPDATE notes SET body = 'overwritten' RETURNING body"))
    expect(updated).toHaveLength(1)
    const bRows = await db.tenantTransaction(b, (tx) => tx.query<{ body: string }>('SELECT body FROM notes'))
    expect(bRows.map((r) => r.body)).toEqual(['secret of b'])
    await db.close()
  })

  it('does not let the app role switch policies off or read platform tables', async () => {
    const db = await freshDb(driver)
    const { a } = await twoTenants(db)
    await expect(db.tenantTransaction(a, (tx) => tx.query('ALTER TABLE notes DISABLE ROW LEVEL SECURITY'))).rejects.toThrow(/owner/)
    await expect(db.tenantTransaction(a, (tx) => tx.query('SELECT * FROM oc_services'))).rejects.toThrow(/permission denied/)
    await expect(db.tenantTransaction(a, (tx) => tx.query('DROP POLICY oc_tenant_isolation ON notes'))).rejects.toThrow(/owner/)
    await db.close()
  })

  it('scopes a one-statement tenant transaction the same way, and leaves the connection as it was', async () => {
    const db = await freshDb(driver)
    const { a, b } = await twoTenants(db)
    if (!db.tenantStatement) return await db.close() // the driver falls back to tenantTransaction
    expect((await db.tenantStatement<{ body: string }>(a, 'SELECT body FROM notes')).map((r) => r.body)).toEqual(['secret of a'])
    await expect(db.tenantStatement(a, `INSERT INTO notes (org_id, service_id, body) VALUES ('${b.orgId}', '${b.serviceId}', 'planted')`)).rejects.toThrow(/row-level security/)
    await expect(db.tenantStatement(a, "SELECT 1; RESET ROLE")).rejects.toThrow(/one statement/)
    await expect(db.tenantStatement({ orgId: "x', true); --", serviceId: b.serviceId }, 'SELECT 1')).rejects.toThrow(/uuids/)
    const [after] = await db.query<{ user: string; org: string }>("SELECT current_user AS user, current_setting('app.org_id', true) AS org")
    expect(after!.user).not.toBe('opencontact_app')
    expect(after!.org || '').toBe('')
    await db.close()
  })

  it('matches nothing outside a tenant transaction once the role is the app role', async () => {
    const db = await freshDb(driver)
    await twoTenants(db)
    const rows = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE opencontact_app')
      return tx.query('SELECT * FROM notes')
    })
    expect(rows).toEqual([])
    await db.close()
  })
})

describe('row-level security with a non-superuser owner (the recommended production set-up)', () => {
  it('isolates tenants when migrations ran as an ordinary owner role', async () => {
    const url = new URL(await freshPostgresUrl())
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} })
    const owner = `oc_owner_${crypto.randomUUID().slice(0, 8)}`
    await admin.unsafe(`CREATE ROLE ${owner} LOGIN CREATEROLE`)
    await admin.unsafe(`ALTER DATABASE ${url.pathname.slice(1)} OWNER TO ${owner}`)
    await admin.unsafe(`ALTER SCHEMA public OWNER TO ${owner}`)
    await admin.end()
    url.username = owner
    const db = postgresDb(url.toString())
    const [super_] = await db.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
    expect(super_!.rolsuper).toBe(false)
    const { a } = await twoTenants(db)
    expect((await db.tenantTransaction(a, (tx) => tx.query('SELECT body FROM notes'))).length).toBe(1)
    // Platform code runs as the owner, which RLS is forced on too, through its explicit policy.
    expect((await db.query('SELECT body FROM notes')).length).toBe(2)
    await db.close()
  })
})
