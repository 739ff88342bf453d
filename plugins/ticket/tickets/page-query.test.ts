/**
 * Every filter, search and sort of the ticket list reads an index, on both drivers: the page
 * statement that `ticket_page` runs as the owner is explained with the values of each case over
 * a service of 20,000 tickets (with another tenant's beside it), and must neither scan the table
 * sequentially nor read more than a small share of the service's tickets. The list's own query,
 * as the app role under the policies, reads only the page's rows by key. And `ticket_page`
 * returns only the transaction's tenant's ids, none outside a tenant transaction, whatever the
 * spec says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { pageSpec, type ListFilter } from './list.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

const TICKETS = 20_000
/** The most tickets a page may read: 5% of the service (a page that reads by the wrong index reads far more). */
const BUDGET = TICKETS / 20
const AGENTS = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
const GROUPS = Array.from({ length: 5 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`)

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Actual Rows': number
  'Actual Loops': number
  'Rows Removed by Filter'?: number
  'Rows Removed by Index Recheck'?: number
  Plans?: PlanNode[]
}

/** The nodes of a plan that read tickets (heap or index), each with the rows it went through. */
function ticketReads(node: PlanNode): { node: string; rows: number }[] {
  const touches = node['Relation Name'] === 'tickets' || node['Index Name']?.startsWith('tickets')
  const own = touches
    ? [{ node: `${node['Node Type']} ${node['Index Name'] ?? ''}`.trim(), rows: (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'] }]
    : []
  return [...own, ...(node.Plans ?? []).flatMap(ticketReads)]
}

/** The page statement of `spec` as `ticket_page` runs it, explained with the same three values. */
async function explainPage(tx: Queryable, spec: Record<string, unknown>, scope: { orgId: string; serviceId: string }): Promise<PlanNode> {
  const [row] = await tx.query<{ sql: string }>(`SELECT ticket_page_sql($1::jsonb) AS sql`, [JSON.stringify(spec)])
  // The function passes typed values; a client's parameters are typed by their casts.
  const typed = row!.sql.replace(/\$([123])(?!\d)/g, (_, n: string) => `$${n}::${n === '1' ? 'jsonb' : 'uuid'}`)
  return explain(tx, typed, [JSON.stringify(spec), scope.orgId, scope.serviceId])
}

async function explain(tx: Queryable, sql: string, params: unknown[]): Promise<PlanNode> {
  const [row] = await tx.query<Record<string, unknown>>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)
  const value = Object.values(row!)[0]
  return (typeof value === 'string' ? JSON.parse(value) : value)[0].Plan
}

describe.each(DRIVERS)('ticket page plans on %s', (driver) => {
  let bed: TicketBed
  let otherScope: { orgId: string; serviceId: string }
  let zebra: string
  beforeAll(async () => {
    bed = await ticketBed(driver, 'pq-org')
    zebra = (await ok(bed.call(`${bed.api}/ticket/tickets`, {
      token: bed.agent.token,
      body: { title: 'Parcel zebrawood', content: '택배 언제 오나요?', channel: 'email', requester: { email: 'pq@example.com' } },
    }), 201)).id
    const theirs = (await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'zebrawood too', content: 'theirs', channel: 'api', requester: { email: 'pq@example.com' } } }), 201)).id
    const [other] = await bed.t.db.query<{ org_id: string; service_id: string }>(`SELECT org_id, service_id FROM tickets WHERE id = $1`, [theirs])
    otherScope = { orgId: other!.org_id, serviceId: other!.service_id }
    // Skewed as a help desk is: most tickets completed, a common word in 3 of 10, a Korean one in
    // 2 of 10; creation over two years, each updated within a month of it.
    const load = (scope: { orgId: string; serviceId: string }, count: number, intake: string | null, processing: string | null) =>
      bed.t.db.query(
        `INSERT INTO tickets (org_id, service_id, number, public_id, title, content, status, channel, requester_email, requester_usercode,
                              assignee_agent_id, assignee_group_id, intake_category_id, processing_category_id, fields, secret_index, created_by_type, created_at, updated_at)
           SELECT $1, $2, 100000 + n, 'PQ-' || n,
             CASE WHEN n % 10 < 3 THEN 'Order question ' || n WHEN n % 10 < 5 THEN '배송이 늦어요 ' || n ELSE 'Account help ' || n END,
             'words ' || (n % 97) || ' and more words',
             (ARRAY['completed','completed','completed','completed','completed','completed','open','open','pending','new','on-hold'])[1 + n % 11],
             (ARRAY['web','email','api','phone','chat','twitter','kakao','sms'])[1 + (n / 11) % 8],
             'customer' || (n % 3000) || '@example.com', 'u' || (n % 5000),
             ($3::jsonb ->> (n % 21))::uuid, ($4::jsonb ->> (n % 5))::uuid,
             CASE WHEN n % 10 = 0 THEN $5::uuid END, CASE WHEN n % 20 = 0 THEN $6::uuid END,
             jsonb_build_object('order_no', 'G' || n, 'quantity', n % 7), ARRAY['resident_no:t' || (n % 2000)], 'system',
             now() - make_interval(secs => n * 63072000.0 / $7::int), now() - make_interval(secs => n * 63072000.0 / $7::int) + make_interval(secs => (n * 7919) % 2592000)
           FROM generate_series(1, $7::int) AS n`,
        [scope.orgId, scope.serviceId, JSON.stringify(AGENTS), JSON.stringify(GROUPS), intake, processing, count],
      )
    await load(bed.scope, TICKETS, bed.intake.billing, bed.processing)
    await load(otherScope, TICKETS / 4, null, null)
    // VACUUM too: a GIN index's pending entries, until merged, price it above reading the table.
    await bed.t.db.query(`VACUUM ANALYZE tickets`)
  }, 180_000)
  afterAll(() => bed.t.close())

  const month = (monthsAgo: number) => new Date(Date.now() - monthsAgo * 2_592_000_000).toISOString()
  const filter = (extra: Partial<ListFilter>): ListFilter => ({ sort: 'updated:desc', limit: 25, ...extra })
  const CASES: [string, Partial<ListFilter>][] = [
    ['no filter, newest first', { sort: 'created:desc' }],
    ['no filter, oldest first', { sort: 'created:asc' }],
    ['no filter, recently updated first', { sort: 'updated:desc' }],
    ['no filter, least recently updated first', { sort: 'updated:asc' }],
    ['a status, newest first', { status: ['open'], sort: 'created:desc' }],
    ['a status, oldest first', { status: ['new'], sort: 'created:asc' }],
    ['a status, recently updated first', { status: ['pending'] }],
    ['a status, least recently updated first', { status: ['on-hold'], sort: 'updated:asc' }],
    ['two statuses', { status: ['open', 'pending'] }],
    ['the common status', { status: ['completed'], sort: 'created:desc' }],
    ['a channel', { channel: ['email'] }],
    ['a channel, newest first', { channel: ['kakao', 'sms'], sort: 'created:desc' }],
    ['an assignee', { assigneeAgentId: AGENTS[3] }],
    ['an assignee, newest first', { assigneeAgentId: AGENTS[4], sort: 'created:desc' }],
    ['a group', { assigneeGroupId: GROUPS[1] }],
    ['an intake category', { intakeCategoryId: 'billing' }],
    ['a processing category, newest first', { processingCategoryId: 'processing', sort: 'created:desc' }],
    ['a requester usercode', { usercode: 'u42' }],
    ['a creation month, newest first', { createdFrom: month(7), createdTo: month(6), sort: 'created:desc' }],
    ['a creation month, recently updated first', { createdFrom: month(7), createdTo: month(6) }],
    ['an update month, recently updated first', { updatedFrom: month(3), updatedTo: month(2) }],
    ['an update month, oldest first', { updatedFrom: month(3), updatedTo: month(2), sort: 'created:asc' }],
    ['ticket numbers', { number: [100010, 100011, 1] }],
    ['a rare word', { q: 'zebrawood' }],
    ['a common word', { q: 'order' }],
    ['a common word, oldest first', { q: 'question', sort: 'created:asc' }],
    ['a Korean word with a particle', { q: '배송이' }],
    ['two words', { q: 'order question' }],
    ['a word and a status', { q: 'order', status: ['open'] }],
    ['a plain field value', { plainField: { code: 'order_no', value: 'G1234' } }],
    ['a spelled field value', { plainField: { code: 'quantity', value: '3' } }],
    ['a requester address', { requesterEmail: { address: 'Customer42@example.com', tokens: [] } }],
    ['a personal-info value', { secretTokens: ['resident_no:t42'] }],
    ['a status and an assignee', { status: ['open'], assigneeAgentId: AGENTS[5] }],
    ['a status, a channel and a creation month', { status: ['completed'], channel: ['web'], createdFrom: month(13), createdTo: month(12), sort: 'created:desc' }],
  ]

  const resolve = (extra: Partial<ListFilter>): Partial<ListFilter> => ({
    ...extra,
    ...(extra.intakeCategoryId ? { intakeCategoryId: bed.intake.billing } : {}),
    ...(extra.processingCategoryId ? { processingCategoryId: bed.processing } : {}),
  })

  it.each(CASES)('%s: no sequential scan, at most 5%% of the service read', async (_, extra) => {
    const spec = pageSpec(filter(resolve(extra)))!
    const plan = await explainPage(bed.t.db, spec, bed.scope)
    // PLAN_DEBUG=1 prints each plan, estimates beside actual rows.
    if (process.env.PLAN_DEBUG) console.log(JSON.stringify(plan, (k, v) => (['Output', 'Shared Hit Blocks'].includes(k) ? undefined : v), 1))
    const reads = ticketReads(plan)
    expect(reads.map((read) => read.node)).not.toContain('Seq Scan')
    expect(reads.length).toBeGreaterThan(0)
    for (const read of reads) expect(read, JSON.stringify(reads)).toSatisfy((r: { rows: number }) => r.rows <= BUDGET)
  })

  it('the next page starts at the cursor in the index, not at the start of the list', async () => {
    const first = await ok(bed.call(`${bed.api}/ticket/tickets?status=open&sort=updated:desc&limit=25`, { token: bed.agent.token }))
    const rowsRead = async (cursor?: string) => {
      const reads = ticketReads(await explainPage(bed.t.db, pageSpec(filter({ status: ['open'], ...(cursor ? { cursor } : {}) }))!, bed.scope))
      return Math.max(...reads.map((read) => read.rows))
    }
    // Filtered after the cursor, the second page would read the first page's rows again.
    expect(await rowsRead(first.nextCursor)).toBeLessThan((await rowsRead()) * 1.5)
    const second = await ok(bed.call(`${bed.api}/ticket/tickets?status=open&sort=updated:desc&limit=25&cursor=${first.nextCursor}`, { token: bed.agent.token }))
    expect(second.tickets).toHaveLength(25)
    expect(second.tickets[0].updatedAt <= first.tickets[24].updatedAt).toBe(true)
    expect(new Set([...first.tickets, ...second.tickets].map((t: { id: string }) => t.id)).size).toBe(50)
  })

  it("the list's own query reads only the page's tickets, by key, under the policies", async () => {
    const spec = pageSpec(filter({ q: 'order' }))!
    const plan = await bed.t.db.tenantTransaction(bed.scope, (tx) => explain(tx, `SELECT id FROM tickets WHERE id = ANY(ticket_page($1::jsonb)) ORDER BY updated_at DESC, number DESC`, [JSON.stringify(spec)]))
    const reads = ticketReads(plan)
    expect(reads).toEqual([{ node: 'Index Scan tickets_pkey', rows: 26 }])
  })

  it("a tenant's own text search is checked row by row over the service: the reason for ticket_page", async () => {
    const plan = await bed.t.db.tenantTransaction(bed.scope, (tx) => explain(tx, `SELECT id FROM tickets WHERE search @@ to_tsquery('simple', 'zebrawood:*')`, []))
    expect(ticketReads(plan).some((read) => read.rows >= TICKETS)).toBe(true)
  })

  const page = (tx: Queryable, spec: Record<string, unknown>) =>
    tx.query<{ ids: string[] }>(`SELECT ticket_page($1::jsonb) AS ids`, [JSON.stringify({ sort: 'created:desc', limit: 100, ...spec })]).then(([row]) => [...row!.ids])

  it("returns ids of the transaction's tenant only, and none outside a tenant transaction", async () => {
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { search: 'zebrawood:*' }))).toEqual([zebra])
    const theirs = await bed.t.db.tenantTransaction(otherScope, (tx) => page(tx, { search: 'zebrawood:*' }))
    expect(theirs).toHaveLength(1)
    expect(theirs).not.toContain(zebra)
    expect(await bed.t.db.tenantTransaction(otherScope, (tx) => page(tx, { field: { code: 'order_no', value: 'G1234' } }))).toHaveLength(1)
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { field: { code: 'order_no', value: 'G1234' } }))).toHaveLength(1)
    // No tenant settings: the scope is NULL, so nothing matches (the owner reads it here).
    expect(await page(bed.t.db, { search: 'zebrawood:*' })).toEqual([])
    expect(await page(bed.t.db, {})).toEqual([])
  })

  it('values never change the statement: a quote in a field code or a search matches nothing, an unknown sort is refused', async () => {
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { field: { code: "order_no' OR 'a'='a", value: 'x' } }))).toEqual([])
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { usercode: "u1' OR true --" }))).toEqual([])
    await expect(bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { sort: 'title; DROP TABLE tickets' }))).rejects.toThrow(/unknown sort/)
    const [count] = await bed.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets`)
    expect(count!.n).toBeGreaterThan(TICKETS)
  })

  it('a spelled field value matches the value stored as JSON, as `->>` reads it', async () => {
    // Tickets 100000 + n hold quantity n % 7, a JSON number: of 3, 10 and 11, the first two hold 3.
    const found = await bed.t.db.tenantTransaction(bed.scope, (tx) => page(tx, { field: { code: 'quantity', value: '3' }, numbers: [100003, 100010, 100011] }))
    const numbers = await bed.t.db.query<{ number: string }>(`SELECT number::text FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY number`, [found])
    expect(numbers.map((row) => row.number)).toEqual(['100003', '100010'])
  })
})
