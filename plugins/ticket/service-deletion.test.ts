/**
 * Deleting a service, or its organization, takes its ticket data with it on both drivers:
 * triggers, categories, fields, tickets and their history go by cascade, and the delete answers
 * 204 (it answered 500 while each cascaded trigger, category and field row still bumped the
 * trigger version of the service being deleted). Other services keep theirs, and a category
 * deleted on its own still tells cached triggers they are stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../test/support/databases.ts'
import { ok } from './test-support.ts'
import { ticketBed, type TicketBed } from './tickets/test-bed.ts'

const PER_SERVICE = ['ticket_triggers', 'ticket_categories', 'ticket_fields', 'tickets', 'ticket_history', 'ticket_trigger_state']

describe.each(DRIVERS)('deleting a service with ticket data on %s', (driver) => {
  let bed: TicketBed
  beforeAll(async () => {
    bed = await ticketBed(driver, 'sd-org')
    const trigger = (groupId: string) => ({ title: 'to the first line', conditions: { all: [{ attribute: 'title', operator: 'is', value: 'x' }] }, results: [{ type: 'assign', mode: 'random', groupId }] })
    await ok(bed.call(`${bed.api}/ticket/triggers`, { body: trigger(bed.group) }), 201)
    const theirGroup = (await ok(bed.call(`${bed.otherApi}/groups`, { body: { name: 'theirs' } }), 201)).id
    await ok(bed.call(`${bed.otherApi}/ticket/triggers`, { body: trigger(theirGroup) }), 201)
    await ok(bed.call(`${bed.api}/ticket/tickets`, { body: { title: 'parcel', content: 'where is it', channel: 'api' } }), 201)
    await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api' } }), 201)
  }, 60_000)
  afterAll(() => bed.t.close())

  const rows = async (serviceId: string) => {
    const counts: Record<string, number> = {}
    for (const table of PER_SERVICE) counts[table] = (await bed.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE service_id = $1`, [serviceId]))[0]!.n
    return counts
  }
  const version = () => bed.t.db.tenantTransaction(bed.scope, async (tx) => Number((await tx.query<{ version: string }>('SELECT version FROM ticket_trigger_state'))[0]?.version ?? 0))

  it('still marks cached triggers stale when a category is deleted on its own', async () => {
    const category = (await ok(bed.call(`${bed.api}/ticket/processing-categories`, { body: { names: { ko: '임시' } } }), 201)).id
    const before = await version()
    expect((await bed.call(`${bed.api}/ticket/processing-categories/${category}`, { method: 'DELETE' })).status).toBe(204)
    expect(await version()).toBeGreaterThan(before)
  })

  it('deletes the service and everything it had, and nothing of another organization', async () => {
    const [other] = await bed.t.db.query<{ service_id: string }>("SELECT service_id FROM tickets WHERE title = 'theirs'")
    const theirs = await rows(other!.service_id)
    expect(Object.values(await rows(bed.scope.serviceId)).every((n) => n > 0)).toBe(true)
    const deleted = await bed.call('/operator/v1/organizations/sd-org/services/desk', { method: 'DELETE' })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204)
    expect(Object.values(await rows(bed.scope.serviceId))).toEqual(PER_SERVICE.map(() => 0))
    expect(await rows(other!.service_id)).toEqual(theirs)
  })

  it('deletes an organization whose service has ticket data', async () => {
    const deleted = await bed.call('/operator/v1/organizations/sd-org-other', { method: 'DELETE' })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204)
    expect((await bed.t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE title = 'theirs'"))[0]!.n).toBe(0)
  })
})
