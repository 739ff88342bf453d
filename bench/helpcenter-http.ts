/**
 * helpcenter-http: FAQ detail pages per second over HTTP through the whole platform (tenant
 * resolution, the visitor and CSRF middleware, the kept page state, the page cache, the read
 * count gathered in memory), against bare Hono answering the same bytes from memory, in
 * interleaved slices (lib.ts). The page cache is warm after the warm-up, as in a steady state: a
 * request runs no statement (a change reaches the kept page state by NOTIFY).
 * The visitor sends a CSRF cookie, as a browser does after its first page.
 *
 * Goal (issue #15): a ratio of at least 0.5 with the page cache warm.
 */
import { Hono } from 'hono'
import { createPlatform } from '../core/platform.ts'
import { serveNode } from '../core/runtime/node.ts'
import { pgliteDb } from '../core/storage/pglite.ts'
import { createLogger } from '../core/log.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import ticket from '../plugins/ticket/mod.ts'
import helpcenter from '../plugins/helpcenter/mod.ts'
import { benchLine, type BenchOptions, compare, detail } from './lib.ts'

const LOAD = { connections: 20, pipelining: 1 }
const VISITOR = { cookie: 'oc_hc_csrf=bench-visitor', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench', 'accept-language': 'ko' }

export async function run(options: BenchOptions): Promise<string[]> {
  const db = await pgliteDb()
  const platform = createPlatform({ db, plugins: [ticket, helpcenter], log: createLogger('silent') })
  await platform.migrate()
  await platform.start()
  const { token } = await createOperatorToken(db, 'bench operator')
  const server = await serveNode(platform, { port: 0, hostname: '127.0.0.1' })
  let bare: Awaited<ReturnType<typeof serveNode>> | undefined
  try {
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`)
      return res.json() as Promise<{ number: number }>
    }
    await call('/operator/v1/organizations', { slug: 'bench', name: 'Bench' })
    await call('/operator/v1/organizations/bench/services', { code: 'svc', name: 'Bench service', contract: { plugins: { ticket: {}, helpcenter: {} } } })
    const faq = await call('/o/bench/svc/api/v1/helpcenter/faqs', { published: true, translations: { ko: { title: '비밀번호를 바꾸려면?', html: '<p>설정에서 <strong>보안</strong>을 엽니다.</p>'.repeat(20) } } })
    const url = `${server.url}/o/bench/svc/hc/faq/${faq.number}?lang=ko`
    const first = await fetch(url, { headers: VISITOR })
    const page = await first.text()
    if (first.status !== 200 || !page.includes('비밀번호를 바꾸려면?')) throw new Error(`the FAQ page answered ${first.status}: ${page.slice(0, 300)}`)
    const app = new Hono()
    app.get('/page', (c) => c.html(page))
    bare = await serveNode({ fetch: app.fetch }, { port: 0, hostname: '127.0.0.1' })
    if ((await (await fetch(`${bare.url}/page`)).text()) !== page) throw new Error('the static server answers other bytes')
    const [platformRun, honoRun] = await compare([{ label: 'helpcenter', url, headers: VISITOR }, { label: 'static-hono', url: `${bare.url}/page` }], options, LOAD)
    for (const [label, r] of [['helpcenter', platformRun!], ['static-hono', honoRun!]] as const) {
      detail(`${label}: ${Math.round(r.requestsPerSecond)} req/s, ${r.cpuMicrosPerRequest.toFixed(1)} µs CPU/request, p99 ${r.latencyP99Ms} ms (${page.length} characters a page)`)
    }
    const rate = platformRun!.requestsPerSecond
    return [`${benchLine('helpcenter-http', rate, 'req/s', [[rate / honoRun!.requestsPerSecond, 'static-hono']]).replace(' req/s (', ` req/s p99 ${platformRun!.latencyP99Ms} ms (`)}`]
  } finally {
    await bare?.close()
    await server.close()
    await platform.stop()
    await db.close()
  }
}
