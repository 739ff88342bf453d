/**
 * The conformance suite on workerd: `test/runtimes/worker-entry.ts` bundled with esbuild the way
 * a deployment would be, run by Miniflare 3 against a fresh PostgreSQL database on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleForWorkers } from '../support/workers-bundle.ts'
import { Miniflare } from 'miniflare'
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { createPlatform } from '../../core/platform.ts'
import { createLogger } from '../../core/log.ts'
import { postgresDb } from '../../core/storage/postgres.ts'
import { createOperatorToken } from '../../core/identity/operator-tokens.ts'
import { freshPostgresUrl } from '../support/databases.ts'
import { CONFORMANCE_BASE_DOMAIN, CONFORMANCE_BODY_LIMIT, conformanceSuite } from './suite.ts'
import { describe, expect, it } from 'vitest'
import { caller } from '../support/platform.ts'
import { startReceiver } from '../support/events.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Bundles the worker as for a deployment (ARCHITECTURE.md lab notes: workerd conditions, node:*
 * left to nodejs_compat), with the ticket plugin's two Workers substitutions: its MJML compiler
 * as mjml-browser (which expects `window`), and imapflow, which needs TCP sockets, as the module
 * that says so (mail/inbound/imapflow-on-workers.ts).
 */
function bundleWorker(outdir: string): Promise<string> {
  // The example plugin imports the package by name; Node resolves it by self-reference. The
  // ticket plugin it depends on compiles layouts with mjml-browser there (plugins/ticket/mail/layout/mjml.ts)
  // and has no IMAP client: Workers take mail in through the raw-message endpoint.
  return bundleForWorkers(join(root, 'test/runtimes/worker-entry.ts'), join(outdir, 'worker.js'), {
    alias: { opencontact: join(root, 'core/mod.ts'), mjml: 'mjml-browser', imapflow: join(root, 'plugins/ticket/mail/inbound/imapflow-on-workers.ts') },
    banner: { js: 'var window = globalThis;' },
  })
}

conformanceSuite('workerd (miniflare)', async () => {
  const url = await freshPostgresUrl()

  // Migrations run at deploy time, not in the worker: do it from Node as the CLI would.
  const db = postgresDb(url)
  let operatorToken: string
  try {
    await createPlatform({ db, plugins: [ticket, helloPlugin], log: createLogger('silent') }).migrate()
    operatorToken = (await createOperatorToken(db, 'conformance')).token
  } finally {
    await db.close()
  }

  const outdir = await mkdtemp(join(tmpdir(), 'oc-worker-'))
  let mf: Miniflare | undefined
  const close = async () => {
    await mf?.dispose()
    await rm(outdir, { recursive: true, force: true })
  }
  try {
    mf = new Miniflare({
      modules: true,
      scriptPath: await bundleWorker(outdir),
      // Module names are paths relative to this root; the default (cwd) would name the bundle `../../tmp/...`, which workerd refuses.
      modulesRoot: outdir,
      compatibilityDate: '2024-09-23',
      compatibilityFlags: ['nodejs_compat'],
      host: '127.0.0.1',
      port: 0,
      bindings: { DATABASE_URL: url, OC_BASE_DOMAIN: CONFORMANCE_BASE_DOMAIN, OC_BODY_LIMIT: String(CONFORMANCE_BODY_LIMIT), OC_LOG_LEVEL: 'error', OC_OUTBOUND_ALLOWLIST: '127.0.0.1' },
    })
    return { fetch: freshConnectionFetch(await mf.ready), operatorToken, close }
  } catch (error) {
    await close()
    throw error
  }
})

/**
 * Requests to Miniflare's HTTP socket, one connection each. Not `mf.dispatchFetch`: it always
 * sends the loopback address as `Host`, hiding the host name tenant resolution reads. Not
 * `httpFetch`'s shared keep-alive agent: when a worker answers without reading the request body
 * (a 413), workerd drops that connection after the response while still advertising
 * keep-alive, and the next request sent on it fails with ECONNRESET.
 */
function freshConnectionFetch(server: URL): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const headers: Record<string, string> = Object.fromEntries(request.headers)
    if (body) headers['content-length'] = String(body.byteLength)
    return new Promise((resolve, reject) => {
      const req = httpRequest({ agent: false, host: server.hostname, port: server.port, method: request.method, path: url.pathname + url.search, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const status = res.statusCode ?? 500
          const responseHeaders = new Headers()
          for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : value)
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }))
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }
}

describe('workerd cron trigger', () => {
  it('delivers events committed outside any request when the scheduled handler runs', async () => {
    const url = await freshPostgresUrl()
    const db = postgresDb(url)
    const outdir = await mkdtemp(join(tmpdir(), 'oc-worker-cron-'))
    const receiver = await startReceiver()
    let mf: Miniflare | undefined
    try {
      const setup = createPlatform({ db, plugins: [ticket, helloPlugin], log: createLogger('silent'), events: { background: false }, outboundAllowlist: ['127.0.0.1'] })
      await setup.start()
      const call = caller(setup.fetch, 'http://setup', (await createOperatorToken(db, 'cron')).token)
      expect((await call('/operator/v1/organizations', { body: { slug: 'cron', name: 'Cron' } })).status).toBe(201)
      const service = await call('/operator/v1/organizations/cron/services', { body: { code: 'svc', name: 'Cron', contract: { plugins: { ticket: {}, hello: {} } } } })
      const { orgId, id: serviceId } = service.body as { orgId: string; id: string }
      expect((await call('/o/cron/svc/api/v1/webhooks', { body: { url: receiver.url, eventTypes: ['hello.*'] } })).status).toBe(201)
      await setup.stop()
      // An event committed without any request to drain it afterwards (as a batch job or another service would).
      await db.tenantTransaction({ orgId, serviceId }, (tx) => tx.sql`INSERT INTO oc_outbox (type, payload) VALUES ('hello.greeted', ${JSON.stringify({ greetingId: 'g-1', name: 'Cron', text: 'Hello, Cron!' })}::jsonb)`)

      mf = new Miniflare({
        modules: true,
        scriptPath: await bundleWorker(outdir),
        modulesRoot: outdir,
        compatibilityDate: '2024-09-23',
        compatibilityFlags: ['nodejs_compat'],
        bindings: { DATABASE_URL: url, OC_LOG_LEVEL: 'error', OC_OUTBOUND_ALLOWLIST: '127.0.0.1' },
      })
      // Miniflare's typings lack the Fetcher's `scheduled`, which workerd provides at run time.
      const worker = (await mf.getWorker()) as unknown as { scheduled(options: { scheduledTime?: Date; cron?: string }): Promise<unknown> }
      await worker.scheduled({ scheduledTime: new Date(), cron: '* * * * *' })
      const deadline = Date.now() + 15_000
      while (!receiver.calls.some((c) => c.body.includes('Hello, Cron!')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(receiver.calls.some((c) => c.body.includes('Hello, Cron!'))).toBe(true)
    } finally {
      await mf?.dispose()
      await receiver.close()
      await db.close()
      await rm(outdir, { recursive: true, force: true })
    }
  }, 60_000)
})
