/**
 * Text search and plain field-value filters read their indexes on both drivers: `ticket_search`
 * (`@@`) and `ticket_field_match` (containment for `->>`) run as the owner (row-level security
 * keeps the tenant's own query off a non-leakproof index) but only within the tenant the
 * transaction is scoped to, and the list re-reads their ids by key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { searchQuery } from './search.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

/**
 * Whether a plan reads every ticket of the service: a sequential scan, or an index or bitmap scan
 * on tickets whose only index condition is the service (the search then being a mere filter).
 */
function readsWholeService(plan: string): boolean {
  if (/Seq Scan on tickets/.test(plan)) return true
  return plan.split(/\n(?=\S|\s*->)/).some((node) => /(Index (Only )?Scan using \S+ on tickets|Bitmap Index Scan on tickets_)/.test(node) && /Index Cond: \(service_id = (\$\d+|\(InitPlan \d+\)\.col\d+|'[^']+'::uuid)\)\s*$/m.test(node))
}

describe.each(DRIVERS)('ticket search index on %s', (driver) => {
  let bed: TicketBed
  let mine: string
  let otherScope: { orgId: string; serviceId: string }
  beforeAll(async () => {
    bed = await ticketBed(driver, 'si-org')
    mine = (await ok(bed.call(`${bed.api}/ticket/tickets`, {
      token: bed.agent.token,
      body: { title: 'Parcel zebrawood', content: '택배 언제 오나요?', channel: 'email', requester: { email: 'si@example.com' } },
    }), 201)).id
    const theirs = (await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'zebrawood too', content: 'theirs', channel: 'api', requester: { email: 'si@example.com' } } }), 201)).id
    const [other] = await bed.t.db.query<{ org_id: string; service_id: string }>(`SELECT org_id, service_id FROM tickets WHERE id = $1`, [theirs])
    otherScope = { orgId: other!.org_id, serviceId: other!.service_id }
    // Enough tickets that the planner's choice means something: an index over a handful of rows is no cheaper than reading them.
    await bed.t.db.query(
      `INSERT INTO tickets (org_id, service_id, number, public_id, title, content, status, channel, fields, created_by_type, created_at, updated_at)
         SELECT $1, $2, 100000 + n, 'SI-' || n, 'Common question ' || n, 'common words only', 'open', 'web', jsonb_build_object('order_no', 'G' || n, 'quantity', n % 7), 'system', now() - n * interval '1 minute', now() - n * interval '1 minute'
           FROM generate_series(1, 20000) AS n`,
      [bed.scope.orgId, bed.scope.serviceId],
    )
    // VACUUM too: a GIN index's pending entries, until merged, price it above reading the table.
    await bed.t.db.query(`VACUUM ANALYZE tickets`)
  }, 60_000)
  afterAll(() => bed.t.close())

  const search = (tx: Queryable, query: string) => tx.query<{ ids: string[] }>(`SELECT ticket_search($1) AS ids`, [query]).then(([row]) => [...row!.ids])

  it("returns ids of the transaction's tenant only, and none outside a tenant transaction", async () => {
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => search(tx, "'zebrawood':*"))).toEqual([mine])
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => search(tx, "'zebrawood':*"))).toHaveLength(1)
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => search(tx, "'zebrawood':*"))).not.toContain(mine)
    expect(await search(bed.t.db, "'zebrawood':*")).toEqual([])
  })

  it('the list finds the ticket by a word of it', async () => {
    const found = await ok(bed.call(`${bed.api}/ticket/tickets?q=zebra`, { token: bed.agent.token }))
    expect(found.tickets.map((t: { id: string }) => t.id)).toEqual([mine])
  })

  it('reads the search index inside the function and tickets by key outside it, never a sequential scan', async () => {
    const plans = await bed.t.db.tenantTransaction(bed.scope, async (tx) => {
      const plan = async (sql: string, params: unknown[]) => (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((row) => Object.values(row)[0]).join('\n')
      const outer = await plan(`SELECT id FROM tickets WHERE id = ANY(ticket_search($1)) ORDER BY updated_at DESC, number DESC LIMIT 26`, ["'zebrawood':*"])
      const tenantOwn = await plan(`SELECT id FROM tickets WHERE search @@ to_tsquery('simple', $1)`, ["'zebrawood':*"])
      return { outer, tenantOwn }
    })
    // The function's own query, as the owner it runs as.
    const inner = await bed.t.db.transaction(async (tx) => {
      const rows = await tx.query(`EXPLAIN SELECT id FROM tickets WHERE org_id = $1 AND service_id = $2 AND search @@ to_tsquery('simple', $3)`, [bed.scope.orgId, bed.scope.serviceId, "'zebrawood':*"])
      return rows.map((row) => Object.values(row as object)[0]).join('\n')
    })
    expect(readsWholeService(plans.outer)).toBe(false)
    // The reason for the function: the tenant's own `@@` is no index condition, so it reads the service.
    expect(readsWholeService(plans.tenantOwn)).toBe(true)
    expect(inner).toMatch(/tickets_search/)
    expect(readsWholeService(inner)).toBe(false)
  })

  it('finds a Korean word by its bigrams through the same index', async () => {
    const query = searchQuery('언제 오나요')!
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => search(tx, query))).toEqual([mine])
    const inner = await bed.t.db.transaction(async (tx) => {
      const rows = await tx.query(`EXPLAIN SELECT id FROM tickets WHERE org_id = $1 AND service_id = $2 AND search @@ to_tsquery('simple', $3)`, [bed.scope.orgId, bed.scope.serviceId, query])
      return rows.map((row) => Object.values(row as object)[0]).join('\n')
    })
    expect(inner).toMatch(/tickets_search/)
    expect(readsWholeService(inner)).toBe(false)
  })

  const fieldMatch = (tx: Queryable, code: string, value: string) => tx.query<{ ids: string[] }>(`SELECT ticket_field_match($1, $2) AS ids`, [code, value]).then(([row]) => [...row!.ids])

  it("finds field-value candidates of the transaction's tenant only, for string and spelled values", async () => {
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => fieldMatch(tx, 'order_no', 'G7'))).toHaveLength(1)
    // 20000 tickets, quantity n % 7: 2857 of them hold 3 (a JSON number, matched as `->>` would).
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => fieldMatch(tx, 'quantity', '3'))).toHaveLength(2857)
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => fieldMatch(tx, 'order_no', 'G7'))).toEqual([])
    expect(await fieldMatch(bed.t.db, 'order_no', 'G7')).toEqual([])
  })

  it('reads field values through their index inside the function and tickets by key outside it', async () => {
    const outer = await bed.t.db.tenantTransaction(bed.scope, async (tx) =>
      (await tx.query(`EXPLAIN SELECT id FROM tickets WHERE id = ANY(ticket_field_match($1, $2)) AND fields ->> $1 = $2 ORDER BY created_at DESC, number DESC LIMIT 26`, ['order_no', 'G7'])).map((row) => Object.values(row as object)[0]).join('\n'))
    const inner = await bed.t.db.transaction(async (tx) =>
      (await tx.query(`EXPLAIN SELECT id FROM tickets WHERE org_id = $1 AND service_id = $2 AND fields @> jsonb_build_object($3::text, $4::text)`, [bed.scope.orgId, bed.scope.serviceId, 'order_no', 'G7'])).map((row) => Object.values(row as object)[0]).join('\n'))
    expect(readsWholeService(outer)).toBe(false)
    expect(inner).toMatch(/tickets_by_field_values/)
    expect(readsWholeService(inner)).toBe(false)
  })
})
