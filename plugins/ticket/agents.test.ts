/**
 * The ticket plugin's per-agent settings on a database made before they were the plugin's: the
 * ticket switch and the cap kept as columns of `oc_agents` move into `plugin_settings.ticket`
 * (both drivers), and the agent API and assignment read them from there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS, freshDb } from '../../test/support/databases.ts'
import { coreMigrations } from '../../core/storage/core-migrations.ts'
import { migrate } from '../../core/storage/migrations.ts'
import type { Db } from '../../core/storage/db.ts'
import ticket from './mod.ts'
import { assignableAgents } from './triggers/assign.ts'

describe.each(DRIVERS)('ticket agent settings carried over from the old columns on %s', (driver) => {
  let db: Db
  const scope = { orgId: crypto.randomUUID(), serviceId: crypto.randomUUID() }

  beforeAll(async () => {
    db = await freshDb(driver)
    await migrate(db, [coreMigrations])
    // The columns databases made before per-agent plugin settings have.
    await db.exec(`ALTER TABLE oc_agents ADD COLUMN ticket_assignment boolean NOT NULL DEFAULT true, ADD COLUMN assignment_cap integer`)
    await db.query(`INSERT INTO oc_organizations (id, slug, name) VALUES ($1, 'old', 'Old')`, [scope.orgId])
    await db.query(`INSERT INTO oc_services (org_id, id, code, name, default_language, languages, timezone) VALUES ($1, $2, 'desk', 'Desk', 'ko', '{ko}', 'Asia/Seoul')`, [scope.orgId, scope.serviceId])
    for (const [email, on, cap] of [['off@old.test', false, 3], ['on@old.test', true, null]] as const) {
      const [member] = await db.query<{ id: string }>(`INSERT INTO oc_members (org_id, email, name, org_role, password_hash) VALUES ($1, $2, $2, 'member', 'x') RETURNING id`, [scope.orgId, email])
      await db.query(`INSERT INTO oc_agents (org_id, service_id, member_id, role, permissions, ticket_assignment, assignment_cap) VALUES ($1, $2, $3, 'agent', '{ticket}', $4, $5)`, [scope.orgId, scope.serviceId, member!.id, on, cap])
    }
    await migrate(db, [coreMigrations, { owner: 'ticket', migrations: ticket.migrations! }])
  })
  afterAll(() => db.close())

  it('moves the values into plugin_settings.ticket and drops the switch column', async () => {
    const rows = await db.query<{ settings: unknown }>(`SELECT plugin_settings -> 'ticket' AS settings FROM oc_agents ORDER BY created_at, id`)
    expect(rows.map((r) => r.settings)).toEqual([{ assignment: false, assignmentCap: 3 }, { assignment: true, assignmentCap: null }])
    const columns = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'oc_agents' AND column_name = 'ticket_assignment'`)
    expect(columns).toEqual([])
  })

  it('gives assignment the carried-over values', async () => {
    const agents = await db.tenantTransaction(scope, (tx) => assignableAgents(tx))
    expect(agents.map((a) => [a.ticketAssignment, a.assignmentCap])).toEqual([[false, 3], [true, null]])
  })
})
