/**
 * outbox-delivery and outbox-latency: how fast the event outbox delivers signed web hooks to
 * a receiver on loopback, against the least a queue on PostgreSQL can do, and how long an
 * event takes from its commit to the receiver.
 *
 * - Throughput: the same number of events waits in each queue on one throwaway PostgreSQL
 *   server (`startCluster`), then each drains it to the same receiver in this process with the
 *   same number of requests in flight. The baseline, `skip-locked-loop`, is the bare pattern:
 *   claim a batch with `FOR UPDATE SKIP LOCKED`, POST each row, mark them done, commit. The
 *   outbox does what the platform needs on top: fan-out into per-subscriber deliveries, leases
 *   instead of open transactions, a Standard Webhooks signature per call, the SSRF check, an
 *   attempt log row per call. Rounds alternate between the two, so background load on the
 *   machine falls on both alike.
 * - Latency: events committed one per transaction at a steady pace; each is timed from the
 *   commit's acknowledgement to the receiver's arrival (NOTIFY wakes the dispatcher).
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPlatform, type Platform, type PlatformOptions } from '../core/platform.ts'
import { definePlugin, z } from '../core/mod.ts'
import { postgresDb } from '../core/storage/postgres.ts'
import { tenantDb } from '../core/storage/tenant-db.ts'
import type { Db } from '../core/storage/db.ts'
import { createLogger } from '../core/log.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import type { EventPlatformOptions } from '../core/events/options.ts'
import { startCluster } from '../test/support/pg-cluster.ts'
import { benchLine, type BenchOptions, detail } from './lib.ts'

/** Requests in flight, the same for both queues. */
const IN_FLIGHT = 32
const Tick = z.object({ n: z.number().int() })
const benchEvents = definePlugin({ id: 'outbench', version: '1.0.0', core: '^1', events: { 'outbench.tick': Tick } })

interface Receiver {
  readonly url: string
  /** Requests answered so far. */
  count(): number
  /** Arrival time (performance.now()) per `webhook-id`, while `track` is on. */
  readonly arrivals: Map<string, number>
  track: boolean
  close(): Promise<void>
}

async function startReceiver(): Promise<Receiver> {
  let answered = 0
  const arrivals = new Map<string, number>()
  const receiver = {
    track: false,
    arrivals,
    count: () => answered,
  }
  const drainBody = (req: IncomingMessage) => new Promise<void>((resolve) => (req.on('data', () => {}), req.on('end', resolve)))
  const server = createServer(async (req, res) => {
    await drainBody(req)
    if (receiver.track) arrivals.set(String(req.headers['webhook-id']), performance.now())
    answered++
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('ok')
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  })
}

const eventOptions = (o: EventPlatformOptions): Partial<PlatformOptions> => o

/** A platform with organization `bench`, service `svc` and a web hook subscription to the receiver. */
async function outboxPlatform(db: Db, receiver: Receiver): Promise<{ platform: Platform; scope: { orgId: string; serviceId: string } }> {
  const platform = createPlatform({
    db,
    plugins: [benchEvents],
    log: createLogger('error'),
    ...eventOptions({ outboundAllowlist: ['127.0.0.1'], events: { concurrency: IN_FLIGHT, batchSize: 100 } }),
  })
  await platform.start()
  const { token } = await createOperatorToken(db, 'bench operator')
  const post = async (path: string, body: unknown) => {
    const res = await platform.fetch(new Request(`http://bench${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }))
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`)
    return res.json() as Promise<Record<string, string>>
  }
  await post('/operator/v1/organizations', { slug: 'bench', name: 'Bench' })
  const service = await post('/operator/v1/organizations/bench/services', { code: 'svc', name: 'Bench service' })
  await post('/o/bench/svc/api/v1/webhooks', { url: receiver.url, eventTypes: ['outbench.tick'] })
  return { platform, scope: { orgId: service.orgId!, serviceId: service.id! } }
}

/**
 * The outbox as it runs in production: `n` events committed in one statement, and the
 * listening dispatcher, woken by the NOTIFY, delivers and records them. Returns seconds from
 * the commit to the last delivery recorded.
 */
async function outboxRound(db: Db, scope: { orgId: string; serviceId: string }, receiver: Receiver, n: number): Promise<number> {
  const before = receiver.count()
  const started = performance.now()
  await db.query(`INSERT INTO oc_outbox (org_id, service_id, type, payload) SELECT $1, $2, 'outbench.tick', jsonb_build_object('n', g) FROM generate_series(1, $3::int) g`, [scope.orgId, scope.serviceId, n])
  const deadline = Date.now() + 120_000
  for (;;) {
    if (receiver.count() - before >= n) {
      const [open] = await db.query<{ n: string }>("SELECT count(*) AS n FROM oc_event_deliveries WHERE state <> 'delivered'")
      if (Number(open!.n) === 0) break
    }
    if (Date.now() > deadline) throw new Error(`outbox: ${receiver.count() - before} of ${n} delivered within 120 s`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  const seconds = (performance.now() - started) / 1000
  if (receiver.count() - before !== n) throw new Error(`outbox: ${receiver.count() - before} deliveries for ${n} events`)
  return seconds
}

/** The baseline: claim IN_FLIGHT rows with SKIP LOCKED, POST them all, mark them done, commit; returns seconds. */
async function skipLockedRound(db: Db, receiver: Receiver, n: number): Promise<number> {
  await db.query(`INSERT INTO bench_queue (payload) SELECT jsonb_build_object('n', g) FROM generate_series(1, $1::int) g`, [n])
  const before = receiver.count()
  const started = performance.now()
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; event_id: string; payload: unknown; created_at: Date }>(
        'SELECT id, event_id, payload, created_at FROM bench_queue WHERE NOT done ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [IN_FLIGHT],
      )
      await Promise.all(
        rows.map(async (row) => {
          const body = JSON.stringify({ id: row.event_id, type: 'outbench.tick', occurredAt: new Date(row.created_at).toISOString(), payload: row.payload })
          const res = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': row.event_id }, body })
          await res.body?.cancel()
          if (res.status !== 200) throw new Error(`baseline: receiver answered ${res.status}`)
        }),
      )
      if (rows.length) await tx.query('UPDATE bench_queue SET done = true WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)', [JSON.stringify(rows.map((r) => String(r.id)))])
      return rows.length
    })
    if (claimed === 0) break
  }
  const seconds = (performance.now() - started) / 1000
  if (receiver.count() - before !== n) throw new Error(`baseline: ${receiver.count() - before} of ${n} delivered`)
  return seconds
}

/** Commits `n` events one per transaction, `gapMs` apart, and times each to its arrival. */
async function latencyRun(db: Db, scope: { orgId: string; serviceId: string }, receiver: Receiver, n: number, gapMs: number): Promise<number[]> {
  const tenant = tenantDb(db, scope, new Map([['outbench.tick', Tick]]))
  const committed = new Map<string, number>()
  receiver.arrivals.clear()
  receiver.track = true
  for (let i = 0; i < n; i++) {
    const id = await tenant.tx((tx) => tx.emit('outbench.tick', { n: i }))
    committed.set(id, performance.now())
    await new Promise((resolve) => setTimeout(resolve, gapMs))
  }
  const deadline = Date.now() + 30_000
  while ([...committed.keys()].some((id) => !receiver.arrivals.has(id))) {
    if (Date.now() > deadline) throw new Error(`latency: ${receiver.arrivals.size} of ${n} events arrived within 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  receiver.track = false
  return [...committed].map(([id, at]) => Math.max(0, receiver.arrivals.get(id)! - at)).sort((a, b) => a - b)
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export async function run(options: BenchOptions): Promise<string[]> {
  const cluster = await startCluster()
  const db = postgresDb(cluster.url, { max: 10 })
  const receiver = await startReceiver()
  const platforms: Platform[] = []
  try {
    const { platform, scope } = await outboxPlatform(db, receiver)
    platforms.push(platform)
    await db.exec(`CREATE TABLE bench_queue (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL DEFAULT gen_random_uuid(),
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      done boolean NOT NULL DEFAULT false);
      CREATE INDEX bench_queue_todo ON bench_queue (id) WHERE NOT done;`)

    // Warm-up (JIT, connections, caches), unmeasured; then alternating measured rounds.
    await outboxRound(db, scope, receiver, 300)
    await skipLockedRound(db, receiver, 300)
    const perRound = Math.round(Math.max(1_000, 500 * options.seconds))
    const rounds = options.quick ? 2 : 3
    let outboxSeconds = 0
    let baselineSeconds = 0
    for (let round = 0; round < rounds; round++) {
      outboxSeconds += await outboxRound(db, scope, receiver, perRound)
      baselineSeconds += await skipLockedRound(db, receiver, perRound)
    }
    const total = perRound * rounds
    const outboxRate = total / outboxSeconds
    const baselineRate = total / baselineSeconds
    detail(`outbox: ${total} events in ${outboxSeconds.toFixed(2)} s; skip-locked-loop: ${total} in ${baselineSeconds.toFixed(2)} s; ${IN_FLIGHT} requests in flight each`)

    const latencies = await latencyRun(db, scope, receiver, options.quick ? 200 : 1_000, 5)
    detail(`latency: ${latencies.length} events committed one per transaction, 5 ms apart; max ${latencies.at(-1)!.toFixed(1)} ms`)
    return [
      benchLine('outbox-delivery', outboxRate, 'events/s', [[outboxRate / baselineRate, 'skip-locked-loop']]),
      `bench outbox-latency: p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    ]
  } finally {
    for (const platform of platforms) await platform.stop()
    await receiver.close()
    await db.close()
    await cluster.stop()
  }
}
