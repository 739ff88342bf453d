/**
 * ticket-create: tickets created over HTTP per second, against the least PostgreSQL can do to
 * store the same rows. Both targets run at 32 concurrent requests, for the same time, in
 * alternating slices (background load falls on both alike):
 *
 * - `ticket-create`: POST /ticket/tickets with a service key, three custom fields (one
 *   personal-info, so encrypted and blind-indexed): authentication, validation against the
 *   form, encryption, the per-service number, and in one transaction under the tenant's
 *   row-level security the rows a create stores: the ticket (with its generated tsvector and
 *   GIN indexes), its history entry, its `ticket.created` outbox event and its audit entry.
 * - `raw-insert`: one postgres.js INSERT statement storing those same four rows (the bytes the
 *   API stored, ids made fresh), into copies of the four tables with the same columns, defaults,
 *   generated column and indexes (`LIKE … INCLUDING ALL`): one message, one round trip, no
 *   transaction block, no tenant scope, no foreign keys or triggers.
 *
 * The line gives the API's rate against two baselines, `tenant-transaction` first (the goal is
 * measured against it) and `raw-insert`; a detail line adds a third:
 * - `tenant-transaction`: the same statement written by postgres.js the way the platform must
 *   write it, into the real tables in one transaction under the tenant's row-level security
 *   (BEGIN and the tenant settings in one message, the statement, COMMIT, pipelined): the most
 *   any transactional, tenant-isolated create could reach here, with no HTTP and no platform
 *   code at all;
 * - `ticket-row` (detail line only): a bare INSERT of the ticket row alone, the narrowest baseline.
 *
 * Fairness: each target is driven by the client it really has, on the same machine. The
 * platform's client is an HTTP client: autocannon in a child process (32 connections, one
 * request in flight each), as every HTTP benchmark here, so the server's event loop serves
 * requests instead of also making them. The baselines' client is postgres.js itself: 32 loops
 * in this process, each keeping one INSERT in flight, which is the whole work of a raw insert.
 * Every answer must be a 201 (a ratio over failed requests means nothing), and the tickets
 * stored are counted afterwards. Quick mode shortens the slices only.
 */
import postgres from 'postgres'
import { TENANT_PROLOGUE } from '../core/storage/db.ts'
import { benchLine, type BenchOptions, closedLoop, detail, loadRun, type LoadTarget } from './lib.ts'
import { benchService, startTicketBench, type TicketBench } from './ticket-setup.ts'

const CLIENTS = 32
const LOAD = { connections: CLIENTS, pipelining: 1 }

const RAW_TABLES = `
  CREATE TABLE bench_raw_tickets (LIKE tickets INCLUDING ALL);
  CREATE TABLE bench_raw_history (LIKE ticket_history INCLUDING ALL);
  CREATE TABLE bench_raw_outbox (LIKE oc_outbox INCLUDING ALL);
  CREATE TABLE bench_raw_audit (LIKE oc_audit INCLUDING ALL);
  CREATE SEQUENCE bench_raw_numbers;`

const TICKET_INSERT = `INSERT INTO bench_raw_tickets (org_id, service_id, id, number, public_id, title, content, status, channel, requester_email, requester_name,
    requester_usercode, intake_category_id, fields, secret_fields, secret_index, created_by_type, created_by_id)
  VALUES ($1, $2, $3, nextval('bench_raw_numbers'), $4, $5, $6, 'new', 'web', $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14, $15)`
/** How many of the placeholders the ticket row alone uses (the narrowest baseline). */
const TICKET_PARAMS = 15

/** The four rows of a create in one statement (a data-modifying WITH is one INSERT to the server). */
const RAW_INSERT = `WITH ticket AS (${TICKET_INSERT}),
  history AS (INSERT INTO bench_raw_history (org_id, service_id, ticket_id, field, from_value, to_value, actor_type, actor_id, actor_label)
    VALUES ($1, $2, $3, $16, $17::jsonb, $18::jsonb, $14, $15, $19)),
  event AS (INSERT INTO bench_raw_outbox (org_id, service_id, type, payload) VALUES ($1, $2, $20, $21::jsonb))
  INSERT INTO bench_raw_audit (org_id, service_id, actor_type, actor_id, actor_label, ip, request_id, action, target_type, target_id, after)
    VALUES ($1, $2, $14, $15, $19, $22, $23, $24, 'ticket', $3, $25::jsonb)`

/** The same four rows into the real tables: {@link RAW_INSERT} with the copies' names replaced. */
const TENANT_INSERT = RAW_INSERT.replace('bench_raw_tickets', 'tickets').replace("nextval('bench_raw_numbers')", '$26')
  .replace('bench_raw_history', 'ticket_history').replace('bench_raw_outbox', 'oc_outbox').replace('bench_raw_audit', 'oc_audit')
/** Numbers of the tenant-transaction baseline's tickets: far above the API's, so both never meet. */
const TENANT_NUMBERS_FROM = 1_000_000_000

type Stored = Record<'ticket' | 'history' | 'event' | 'audit', Record<string, unknown>>

/** The rows the API stored for ticket `id`: exactly one of each, or the baseline would not be "the same rows". */
async function storedRows(bench: TicketBench, id: string): Promise<Stored> {
  const one = async (what: string, text: string) => {
    const rows = await bench.db.query<Record<string, unknown>>(text, [id])
    if (rows.length !== 1) throw new Error(`ticket-create: a create stored ${rows.length} ${what} rows, the baseline writes one; update the baseline`)
    return rows[0]!
  }
  return {
    ticket: await one('ticket', `SELECT * FROM tickets WHERE id = $1`),
    history: await one('history', `SELECT * FROM ticket_history WHERE ticket_id = $1`),
    event: await one('outbox', `SELECT * FROM oc_outbox WHERE payload ->> 'id' = $1::text`),
    audit: await one('audit', `SELECT * FROM oc_audit WHERE target_id = $1::text`),
  }
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value))

/** The stored values with fresh unique ids (`id`, `public_id`), in the order of {@link RAW_INSERT}'s placeholders. */
function rawParams({ ticket, history, event, audit }: Stored): postgres.ParameterOrJSON<never>[] {
  return [
    ticket.org_id, ticket.service_id, crypto.randomUUID(), `T${Date.now()}${Math.random().toString(36).slice(2, 7)}`, ticket.title, ticket.content,
    ticket.requester_email, ticket.requester_name, ticket.requester_usercode, ticket.intake_category_id, json(ticket.fields), json(ticket.secret_fields), ticket.secret_index,
    ticket.created_by_type, ticket.created_by_id,
    history.field, json(history.from_value), json(history.to_value), history.actor_label,
    event.type, json(event.payload),
    audit.ip, audit.request_id, audit.action, json(audit.after),
  ] as postgres.ParameterOrJSON<never>[]
}

export async function run(options: BenchOptions): Promise<string[]> {
  const bench = await startTicketBench(CLIENTS + 8)
  const raw = postgres(bench.url, { max: CLIENTS, onnotice: () => {} })
  try {
    const svc = await benchService(bench, 'bench', 'create')
    const body = JSON.stringify({
      title: '주문 취소 요청 order cancel',
      content: '어제 주문한 상품을 취소하고 싶습니다. Please cancel my order from yesterday.',
      channel: 'web',
      requester: { email: 'kim@example.com', name: '김민수', usercode: 'U-1' },
      intakeCategoryId: svc.intakeCategoryId,
      fields: { order_no: 'AB123456', quantity: 2, resident_no: '900101-1234567', privacy_consent: true },
    })
    const url = `${bench.server.url}${svc.api}/ticket/tickets`
    const headers = { authorization: `Bearer ${svc.serviceKey}`, 'content-type': 'application/json' }
    const target: LoadTarget = { label: 'ticket-create', url, method: 'POST', headers, body, status: 201 }
    // The same rows, written once through the API so the baselines store the same bytes.
    const first = await fetch(url, { method: 'POST', headers, body })
    if (first.status !== 201) throw new Error(`ticket-create: expected 201, got ${first.status}: ${await first.text()}`)
    const stored = await storedRows(bench, ((await first.json()) as { id: string }).id)
    await bench.db.exec(RAW_TABLES)
    const viaInsert = async () => void (await raw.unsafe(RAW_INSERT, rawParams(stored), { prepare: true }))
    let tenantNumber = TENANT_NUMBERS_FROM
    const opening = TENANT_PROLOGUE.begin({ orgId: svc.orgId, serviceId: svc.serviceId })
    const viaTenantTransaction = async () => {
      const conn = await raw.reserve()
      try {
        await Promise.all([conn.unsafe(opening).simple(), conn.unsafe(TENANT_INSERT, [...rawParams(stored), ++tenantNumber], { prepare: true }), conn.unsafe('COMMIT').simple()])
      } finally {
        conn.release()
      }
    }
    const viaTicketRow = async () => void (await raw.unsafe(TICKET_INSERT, rawParams(stored).slice(0, TICKET_PARAMS), { prepare: true }))
    // Warm-up (JIT, pools, prepared statements, caches), unmeasured.
    await loadRun(target, options.warmupSeconds, LOAD)
    await closedLoop(CLIENTS, options.warmupSeconds, viaInsert)
    await closedLoop(CLIENTS, options.warmupSeconds, viaTenantTransaction)
    await closedLoop(CLIENTS, options.warmupSeconds, viaTicketRow)
    const rounds = Math.max(2, Math.round(options.seconds))
    const slice = options.seconds / rounds
    let httpCount = 0
    let httpSeconds = 0
    let httpCpuMicros = 0
    let rawCount = 0
    let tenantTransactionCount = 0
    let ticketRowCount = 0
    for (let round = 0; round < rounds; round++) {
      const run = await loadRun(target, slice, LOAD)
      httpCount += run.requests
      httpSeconds += run.seconds
      httpCpuMicros += run.cpuMicrosPerRequest * run.requests
      rawCount += await closedLoop(CLIENTS, slice, viaInsert)
      tenantTransactionCount += await closedLoop(CLIENTS, slice, viaTenantTransaction)
      ticketRowCount += await closedLoop(CLIENTS, slice, viaTicketRow)
    }
    const seconds = slice * rounds
    const httpRate = httpCount / httpSeconds
    const rawRate = rawCount / seconds
    const tenantTransactionRate = tenantTransactionCount / seconds
    const ticketRowRate = ticketRowCount / seconds
    const [count] = await bench.db.query<{ n: string }>(`SELECT count(*) AS n FROM tickets WHERE service_id = $1 AND number < $2`, [svc.serviceId, TENANT_NUMBERS_FROM])
    detail(
      `ticket-create: ${httpCount} tickets over HTTP in ${httpSeconds.toFixed(1)} s (${Math.round(httpCpuMicros / httpCount)} µs server CPU each), ` +
        `raw-insert: ${rawCount} creates' rows in ${seconds.toFixed(1)} s, ${CLIENTS} clients${options.quick ? ' (quick mode: short slices)' : ''}; ${count!.n} tickets stored`,
    )
    detail(
      `ticket-create: the same rows by postgres.js in one tenant transaction: ${Math.round(tenantTransactionRate)} creates/s ` +
        `(ratio ${(tenantTransactionRate / rawRate).toFixed(2)} of raw-insert; the API reaches ${(httpRate / tenantTransactionRate).toFixed(2)} of it)`,
    )
    detail(`ticket-create: the ticket row alone: ${Math.round(ticketRowRate)} inserts/s (ratio ${(httpRate / ticketRowRate).toFixed(2)} vs that)`)
    return [benchLine('ticket-create', httpRate, 'req/s', [[httpRate / tenantTransactionRate, 'tenant-transaction'], [httpRate / rawRate, 'raw-insert']])]
  } finally {
    await raw.end()
    await bench.close()
  }
}
