/**
 * Deleting an organization removes every row it had, in every table the core and the plugins
 * made (both drivers): the core's, the ticket plugin's, and the example plugin's, whose table
 * declares no foreign key of its own (`oc_tenant_table` gives every tenant table one that
 * cascades). The other organization keeps all of its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../examples/hello-plugin/mod.ts'
import { DRIVERS } from './support/databases.ts'
import { ok } from '../plugins/ticket/test-support.ts'
import { ticketBed, type TicketBed } from '../plugins/ticket/tickets/test-bed.ts'

describe.each(DRIVERS)('deleting an organization on %s', (driver) => {
  let bed: TicketBed
  let tables: string[]
  beforeAll(async () => {
    bed = await ticketBed(driver, 'od-org', undefined, [hello])
    for (const api of [bed.api, bed.otherApi]) {
      await ok(bed.call(`/operator/v1/organizations/${api.split('/')[2]}/services/desk/contract`, { method: 'PUT', body: { plugins: { ticket: {}, hello: {} } } }))
      await ok(bed.call(`${api}/hello/greetings`, { body: { name: 'Ada' } }), 201)
      const made = await ok(bed.call(`${api}/ticket/tickets`, { body: { title: 'parcel', content: 'where is it', channel: 'api' } }), 201)
      await ok(bed.call(`${api}/ticket/tickets/${made.id}/notes`, { body: { content: 'asked the courier' } }), 201)
      await ok(bed.call(`${api}/ticket/answer-templates`, { body: { title: 'thanks', content: 'thank you' } }), 201)
      await ok(bed.call(`${api}/ticket/banned-words`, { body: { word: 'spam' } }), 201)
    }
    const found = await bed.t.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'org_id' ORDER BY table_name")
    tables = found.map((row) => row.table_name)
  }, 90_000)
  afterAll(() => bed.t.close())

  const rowsOf = async (orgId: string) => {
    const counts: Record<string, number> = {}
    for (const table of tables) {
      const [row] = await bed.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE org_id = $1`, [orgId])
      if (row!.n) counts[table] = row!.n
    }
    return counts
  }

  it('leaves no row of the organization in any table, and every row of the other', async () => {
    const [other] = await bed.t.db.query<{ id: string }>("SELECT id FROM oc_organizations WHERE slug = 'od-org-other'")
    const before = await rowsOf(bed.scope.orgId)
    // The data is really there first: the ticket plugin's, the example plugin's and the core's.
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['hello_greetings', 'tickets', 'ticket_entries', 'ticket_fields', 'oc_agents']))
    const theirs = await rowsOf(other!.id)
    const deleted = await bed.call('/operator/v1/organizations/od-org', { method: 'DELETE' })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204)
    expect(await rowsOf(bed.scope.orgId)).toEqual({})
    expect(await rowsOf(other!.id)).toEqual(theirs)
  })
})
