/**
 * platform-path: requests per second through the platform's whole request path for a service
 * route (tenant resolution, contract gate, bearer authentication, access check, zod validation),
 * against the frameworks it stands on.
 *
 * Fair because the three servers run in this process, are started one after another, answer the
 * same JSON bytes (checked before measuring) and get the same load in interleaved slices (see
 * lib.ts). Bare node:http is the floor; bare Hono is served through the platform's own adapter
 * (`serveNode`, i.e. @hono/node-server), so platform/Hono is the price of the platform's layers.
 * Caches are warm after the warm-up, as in a steady production state: no measured request
 * touches the database.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { createPlatform } from '../core/platform.ts'
import { serveNode } from '../core/runtime/node.ts'
import { pgliteDb } from '../core/storage/pglite.ts'
import { createLogger } from '../core/log.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import { BENCH_ITEM, benchPlugin } from './bench-plugin.ts'
import { benchLine, type BenchOptions, compare, detail, type LoadTarget } from './lib.ts'

const LOAD = { connections: 50, pipelining: 1 }
const BODY = JSON.stringify(BENCH_ITEM)

interface Running {
  readonly target: LoadTarget
  close(): Promise<void>
}

async function nodeHttpServer(): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(BODY)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    target: { label: 'node-http', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench/item` },
    close: () => new Promise<void>((resolve, reject) => (server.closeAllConnections(), server.close((e) => (e ? reject(e) : resolve())))),
  }
}

async function honoServer(): Promise<Running> {
  const app = new Hono()
  app.get('/bench/item', (c) => c.json(BENCH_ITEM))
  // Hono's own fetch, which answers a one-handler route synchronously: the adapter's fast path,
  // as the platform takes it when every step of a request answers synchronously.
  const server = await serveNode({ fetch: app.fetch }, { port: 0, hostname: '127.0.0.1' })
  return { target: { label: 'hono', url: `${server.url}/bench/item` }, close: server.close }
}

/** The platform on in-memory PGlite with organization `bench`, service `svc`, the bench plugin contracted. */
async function platformServer(): Promise<Running> {
  const db = await pgliteDb()
  const platform = createPlatform({ db, plugins: [benchPlugin], log: createLogger('silent') })
  await platform.migrate()
  await platform.start()
  const { token } = await createOperatorToken(db, 'bench operator')
  const server = await serveNode(platform, { port: 0, hostname: '127.0.0.1' })
  const close = async () => {
    await server.close()
    await platform.stop()
    await db.close()
  }
  try {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`)
    }
    await post('/operator/v1/organizations', { slug: 'bench', name: 'Bench' })
    await post('/operator/v1/organizations/bench/services', { code: 'svc', name: 'Bench service', contract: { plugins: { bench: {} } } })
  } catch (error) {
    await close()
    throw error
  }
  return { target: { label: 'platform', url: `${server.url}/o/bench/svc/api/v1/bench/item?id=42`, headers: { authorization: `Bearer ${token}` } }, close }
}

/** Fails unless the target answers 200 with exactly the baselines' bytes. */
async function checkBody({ label, url, headers }: LoadTarget): Promise<void> {
  const res = await fetch(url, { headers })
  const text = await res.text()
  if (res.status !== 200 || text !== BODY) throw new Error(`${label}: expected 200 ${BODY}, got ${res.status} ${text}`)
}

export async function run(options: BenchOptions): Promise<string[]> {
  const servers: Running[] = []
  try {
    for (const start of [nodeHttpServer, honoServer, platformServer]) servers.push(await start())
    const targets = servers.map((s) => s.target)
    for (const target of targets) await checkBody(target)
    const [nodeHttp, hono, platform] = await compare(targets, options, LOAD)
    for (const [i, r] of [nodeHttp!, hono!, platform!].entries()) {
      detail(`${targets[i]!.label}: ${Math.round(r.requestsPerSecond)} req/s, ${r.cpuMicrosPerRequest.toFixed(1)} µs CPU/request, ${r.requests} requests in ${r.seconds.toFixed(1)} s, p99 ${r.latencyP99Ms} ms`)
    }
    // CPU per request is what other load on the machine disturbs least: shown beside the req/s ratio.
    detail(`cpu per request: ${(hono!.cpuMicrosPerRequest / platform!.cpuMicrosPerRequest).toFixed(2)} vs hono, ${(nodeHttp!.cpuMicrosPerRequest / platform!.cpuMicrosPerRequest).toFixed(2)} vs node-http (inverse ratio of µs, higher is better)`)
    const rate = platform!.requestsPerSecond
    return [
      benchLine('platform-path', rate, 'req/s', [
        [rate / hono!.requestsPerSecond, 'hono'],
        [rate / nodeHttp!.requestsPerSecond, 'node-http'],
      ]),
    ]
  } finally {
    for (const server of servers.reverse()) await server.close()
  }
}
