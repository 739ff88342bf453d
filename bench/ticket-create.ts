/**
 * ticket-create: tickets created over HTTP per second, against the least PostgreSQL can do for
 * the same rows. Both targets run at 32 concurrent requests, for the same time, in alternating
 * slices (background load falls on both alike):
 *
 * - `ticket-create`: POST /ticket/tickets with a service key, three custom fields (one
 *   personal-info, so encrypted and blind-indexed): authentication, validation against the
 *   form, encryption, the per-service number, the insert with its generated tsvector and GIN
 *   indexes, history, outbox event and audit row, all in one transaction.
 * - `raw-insert`: a postgres.js INSERT of the same row (pre-sealed value, same table shape with
 *   the same indexes and generated column, `LIKE tickets INCLUDING ALL`) over a 32-connection pool.
 *
 * Fairness: each target is driven by the client it really has, on the same machine. The
 * platform's client is an HTTP client: autocannon in a child process (32 connections, one
 * request in flight each), as every HTTP benchmark here, so the server's event loop serves
 * requests instead of also making them. The baseline's client is postgres.js itself: 32 loops
 * in this process, each keeping one INSERT in flight, which is the whole work of a raw insert.
 * Every answer must be a 201 (a ratio over failed requests means nothing), and the tickets
 * stored are counted afterwards. Quick mode shortens the slices only.
 */
import postgres from 'postgres'
import { benchLine, type BenchOptions, closedLoop, detail, loadRun, type LoadTarget } from './lib.ts'
import { benchService, startTicketBench } from './ticket-setup.ts'

const CLIENTS = 32
const LOAD = { connections: CLIENTS, pipelining: 1 }


export async function run(options: BenchOptions): Promise<string[]> {
  const bench = await startTicketBench(CLIENTS + 8)
  const raw = postgres(bench.cluster.url, { max: CLIENTS, onnotice: () => {} })
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
    // The same row, sealed once through the API so the baseline stores the same bytes.
    const first = await fetch(url, { method: 'POST', headers, body })
    if (first.status !== 201) throw new Error(`ticket-create: expected 201, got ${first.status}: ${await first.text()}`)
    const [sample] = await bench.db.query<Record<string, unknown>>(`SELECT * FROM tickets LIMIT 1`)
    await bench.db.exec(`CREATE TABLE bench_raw_tickets (LIKE tickets INCLUDING ALL); CREATE SEQUENCE bench_raw_numbers;`)
    const row = sample!
    const viaInsert = async () => {
      await raw`INSERT INTO bench_raw_tickets (org_id, service_id, number, public_id, title, content, status, channel, requester_email, requester_name, requester_usercode,
          intake_category_id, fields, secret_fields, secret_index, created_by_type, created_by_id)
        VALUES (${row.org_id as string}, ${row.service_id as string}, nextval('bench_raw_numbers'), ${`T${Date.now()}${Math.random().toString(36).slice(2, 7)}`}, ${row.title as string}, ${row.content as string}, 'new', 'web',
          ${row.requester_email as string}, ${row.requester_name as string}, ${row.requester_usercode as string}, ${row.intake_category_id as string},
          ${JSON.stringify(row.fields)}::jsonb, ${JSON.stringify(row.secret_fields)}::jsonb, ${row.secret_index as string[]}, 'service-key', ${row.created_by_id as string})`
    }
    // Warm-up (JIT, pools, prepared statements, caches), unmeasured.
    await loadRun(target, options.warmupSeconds, LOAD)
    await closedLoop(CLIENTS, options.warmupSeconds, viaInsert)
    const rounds = Math.max(2, Math.round(options.seconds))
    const slice = options.seconds / rounds
    let httpCount = 0
    let httpSeconds = 0
    let httpCpuMicros = 0
    let rawCount = 0
    for (let round = 0; round < rounds; round++) {
      const run = await loadRun(target, slice, LOAD)
      httpCount += run.requests
      httpSeconds += run.seconds
      httpCpuMicros += run.cpuMicrosPerRequest * run.requests
      rawCount += await closedLoop(CLIENTS, slice, viaInsert)
    }
    const seconds = slice * rounds
    const httpRate = httpCount / httpSeconds
    const rawRate = rawCount / seconds
    const [stored] = await bench.db.query<{ n: string }>(`SELECT count(*) AS n FROM tickets WHERE service_id = $1`, [svc.serviceId])
    detail(
      `ticket-create: ${httpCount} tickets over HTTP in ${httpSeconds.toFixed(1)} s (${Math.round(httpCpuMicros / httpCount)} µs server CPU each), raw-insert: ${rawCount} rows in ${seconds.toFixed(1)} s, ${CLIENTS} clients${options.quick ? ' (quick mode: short slices)' : ''}; ${stored!.n} tickets stored`,
    )
    return [benchLine('ticket-create', httpRate, 'req/s', [[httpRate / rawRate, 'raw-insert']])]
  } finally {
    await raw.end()
    await bench.close()
  }
}
