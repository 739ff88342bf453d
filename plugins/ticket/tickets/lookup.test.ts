/**
 * Exact lookups on both drivers: a customer's tickets by address and tickets by a personal-info
 * value are found through `ticket_page`, which reads their indexes as the owner (row-level
 * security keeps the tenant's own query off them) but only within the tenant the transaction is
 * scoped to, and only narrows a list the policies already limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

const ADDRESS = 'Lookup.Customer@Example.com'

describe.each(DRIVERS)('ticket lookups on %s', (driver) => {
  let bed: TicketBed
  let mine: string[]
  let theirs: string
  let otherScope: { orgId: string; serviceId: string }
  beforeAll(async () => {
    bed = await ticketBed(driver, 'lk-org')
    const file = async (requester: Record<string, unknown>) =>
      (await ok(bed.call(`${bed.api}/ticket/tickets`, {
        token: bed.agent.token,
        body: { title: 'Where is my parcel', content: '택배 언제 오나요?', channel: 'email', requester, intakeCategoryId: bed.intake.billing, fields: { order_no: 'LK1', resident_no: '770707-1000001', privacy_consent: true } },
      }), 201)).id as string
    mine = [await file({ email: ADDRESS }), await file({ email: ADDRESS.toLowerCase() })]
    await file({ email: 'someone.else@example.com' })
    theirs = (await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api', requester: { email: ADDRESS } } }), 201)).id
    const [other] = await bed.t.db.query<{ org_id: string; service_id: string }>(`SELECT org_id, service_id FROM tickets WHERE id = $1`, [theirs])
    otherScope = { orgId: other!.org_id, serviceId: other!.service_id }
  }, 60_000)
  afterAll(() => bed.t.close())

  const lookup = (tx: Queryable, address: string | null, tokens: string[] = []) =>
    tx.query<{ ids: string[] }>(`SELECT ticket_page($1::jsonb) AS ids`, [JSON.stringify({ sort: 'created:desc', limit: 100, tokens, ...(address === null ? {} : { address }) })]).then(([row]) => [...row!.ids].sort())

  it("finds a customer's tickets by address, whatever its case, and only the tenant's own", async () => {
    const found = await ok(bed.call(`${bed.api}/ticket/tickets?fieldCode=email&fieldValue=${encodeURIComponent(ADDRESS.toUpperCase())}`, { token: bed.agent.token }))
    expect(found.tickets.map((t: { id: string }) => t.id).sort()).toEqual([...mine].sort())
    const elsewhere = await ok(bed.call(`${bed.otherApi}/ticket/tickets?fieldCode=email&fieldValue=${encodeURIComponent(ADDRESS)}`))
    expect(elsewhere.tickets.map((t: { id: string }) => t.id)).toEqual([theirs])
  })

  it('returns ids of the transaction\'s tenant only, and none outside a tenant transaction', async () => {
    const address = ADDRESS.toLowerCase()
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => lookup(tx, address))).toEqual([...mine].sort())
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => lookup(tx, address))).toEqual([theirs])
    // No tenant settings: the scope is NULL, so nothing matches (the owner reads it here).
    expect(await lookup(bed.t.db, address)).toEqual([])
  })

  it('finds tickets by a personal-info value through its blind index', async () => {
    const found = await ok(bed.call(`${bed.api}/ticket/tickets?fieldCode=resident_no&fieldValue=770707-1000001`, { token: bed.agent.token }))
    expect(found.tickets.map((t: { id: string }) => t.id)).toHaveLength(3)
    const [row] = await bed.t.db.query<{ secret_index: string[] }>(`SELECT secret_index FROM tickets WHERE id = $1`, [mine[0]])
    const tokens = row!.secret_index.filter((entry) => entry.startsWith('resident_no:'))
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => lookup(tx, null, tokens))).toHaveLength(3)
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => lookup(tx, null, tokens))).toEqual([])
  })
})
