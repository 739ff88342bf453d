/**
 * ticket-list: latency of a filtered first page (status open, channel email, newest first,
 * 25 rows) for one tenant among 100 tenants that hold 200,000 tickets in all (2,000 each),
 * over HTTP with a service key, one request at a time (latency, not throughput).
 *
 * The tickets are bulk-loaded as the owner with INSERT … SELECT generate_series, not through
 * HTTP: statuses, channels and creation times spread evenly (5 statuses x 8 channels, a year
 * of creation times), so the filter matches about 1 ticket in 40. Quick mode loads 20,000
 * tickets (200 per tenant) and says so on stderr. Each request also varies the tenant, so the
 * measurement is not one cached page.
 */
import { type BenchOptions, detail } from './lib.ts'
import { benchService, percentile, startTicketBench, type BenchService } from './ticket-setup.ts'

const TENANTS = 100

export async function run(options: BenchOptions): Promise<string[]> {
  const perTenant = options.quick ? 200 : 2_000
  const bench = await startTicketBench(10)
  try {
    const services: BenchService[] = []
    for (let i = 0; i < TENANTS; i++) services.push(await benchService(bench, `list${i % 10}`, `s${i}`))
    const loadStarted = performance.now()
    for (const svc of services) {
      await bench.db.query(
        `INSERT INTO tickets (org_id, service_id, number, public_id, title, content, status, channel, requester_email, intake_category_id, fields, created_by_type, created_at, updated_at)
         SELECT $1, $2, g, 'T' || (1700000000000 + g)::text || lpad(g::text, 5, '0'), '주문 문의 order question ' || g, '배송 언제 되나요? When will order ' || g || ' ship?',
           (ARRAY['new','open','pending','on-hold','completed'])[1 + g % 5], (ARRAY['web','email','api','phone','chat','twitter','kakao','sms'])[1 + (g / 5) % 8],
           'user' || g || '@example.com', $3, jsonb_build_object('order_no', 'AB' || g), 'service-key',
           now() - make_interval(secs => (g * 31536000.0 / $4::int)), now() - make_interval(secs => (g * 31536000.0 / $4::int))
         FROM generate_series(1, $4::int) g`,
        [svc.orgId, svc.serviceId, svc.intakeCategoryId, perTenant],
      )
      await bench.db.query(`INSERT INTO ticket_counters (org_id, service_id, last_number) VALUES ($1, $2, $3)`, [svc.orgId, svc.serviceId, perTenant])
    }
    await bench.db.exec('ANALYZE tickets')
    const [count] = await bench.db.query<{ n: string }>('SELECT count(*) AS n FROM tickets')
    detail(`ticket-list: ${count!.n} tickets in ${TENANTS} tenants loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s${options.quick ? ' (quick mode: 200 per tenant instead of 2,000)' : ''}`)

    const page = async (svc: BenchService) => {
      const res = await fetch(`${bench.server.url}${svc.api}/ticket/tickets?status=open&channel=email&limit=25`, { headers: { authorization: `Bearer ${svc.serviceKey}` } })
      const body = (await res.json()) as { tickets: unknown[] }
      if (res.status !== 200 || !body.tickets.length) throw new Error(`ticket-list: expected a non-empty page, got ${res.status}: ${JSON.stringify(body).slice(0, 300)}`)
    }
    for (let i = 0; i < 50; i++) await page(services[i % TENANTS]!)
    const samples: number[] = []
    const stopAt = performance.now() + options.seconds * 1000
    for (let i = 0; performance.now() < stopAt || samples.length < 100; i++) {
      const started = performance.now()
      await page(services[(i * 37) % TENANTS]!)
      samples.push(performance.now() - started)
    }
    samples.sort((a, b) => a - b)
    detail(`ticket-list: ${samples.length} first pages (status=open&channel=email, 25 rows) one at a time over HTTP; max ${samples.at(-1)!.toFixed(1)} ms`)
    return [`bench ticket-list: p50 ${percentile(samples, 50).toFixed(1)} ms p99 ${percentile(samples, 99).toFixed(1)} ms`]
  } finally {
    await bench.close()
  }
}
