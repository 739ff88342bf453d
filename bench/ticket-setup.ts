/**
 * What the ticket benchmarks share: a platform with the ticket plugin on a throwaway PostgreSQL
 * server (`startCluster`), or on a server the caller names (the scale-data CLI), served over
 * loopback HTTP, and helpers to create services with a
 * billing intake category whose form has three custom fields (order_no text, quantity number,
 * resident_no personal info = encrypted with a blind index) and a service key.
 */
import ticket from '../plugins/ticket/mod.ts'
import { createKeyring, generateMasterKey } from '../core/mod.ts'
import { nodeCipher, nodeRuntime } from '../core/runtime/node.ts'
import { createPlatform, type Platform, type PlatformOptions } from '../core/platform.ts'
import { postgresDb } from '../core/storage/postgres.ts'
import type { Db } from '../core/storage/db.ts'
import { createLogger } from '../core/log.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import { serveNode, type RunningServer } from '../core/runtime/node.ts'
import { startCluster, type Cluster } from '../test/support/pg-cluster.ts'

export interface TicketBench {
  /** Superuser URL of the database the platform runs on. */
  readonly url: string
  /** The owner (superuser) connection pool the platform runs on. */
  readonly db: Db
  readonly platform: Platform
  readonly server: RunningServer
  /** Calls the platform over loopback HTTP as the operator. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<any>
  close(): Promise<void>
}

export interface BenchService {
  readonly orgId: string
  readonly serviceId: string
  readonly api: string
  readonly intakeCategoryId: string
  readonly serviceKey: string
}

/** With `url` the platform runs on that server (migrated on start, left running on close); without it, on a throwaway cluster. */
export async function startTicketBench(poolSize: number, url?: string): Promise<TicketBench> {
  const cluster: Cluster | undefined = url === undefined ? await startCluster() : undefined
  const db = postgresDb(url ?? cluster!.url, { max: poolSize })
  // The dispatcher's loop is off: these benchmarks measure writes and reads, not delivery. No
  // ticket benchmark signs in, so the members they create take the cheapest password hash.
  const platform = createPlatform({ db, plugins: [ticket], log: createLogger('error'), keyring: createKeyring([{ version: 1, key: generateMasterKey() }], { cipher: nodeCipher }), runtime: nodeRuntime, identity: { passwordIterations: 1_000 }, ...({ events: { background: false } } as Partial<PlatformOptions>) })
  await platform.start()
  const server = await serveNode(platform, { hostname: '127.0.0.1', port: 0 })
  const { token: operator } = await createOperatorToken(db, 'bench operator')
  const call = async (method: string, path: string, body?: unknown, token = operator) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }
  return {
    url: url ?? cluster!.url,
    db,
    platform,
    server,
    call,
    async close() {
      await server.close()
      await platform.stop()
      await db.close()
      await cluster?.stop()
    },
  }
}

/** Organization `org` (created if new) with service `code`, its three-field form and a service key. */
export async function benchService(bench: TicketBench, org: string, code: string): Promise<BenchService> {
  await bench.call('POST', '/operator/v1/organizations', { slug: org, name: org }).catch((error: Error) => {
    if (!error.message.includes(' 409:')) throw error
  })
  const service = await bench.call('POST', `/operator/v1/organizations/${org}/services`, { code, name: code, contract: { plugins: { ticket: {} } } })
  const api = `/o/${org}/${code}/api/v1`
  const intake = await bench.call('POST', `${api}/ticket/intake-categories`, { names: { ko: '결제' } })
  const field = async (body: Record<string, unknown>) => (await bench.call('POST', `${api}/ticket/fields`, { audience: 'customer', names: { ko: String(body.code) }, ...body })).id as string
  const fieldIds = [await field({ code: 'order_no', type: 'text', required: true }), await field({ code: 'quantity', type: 'number' }), await field({ code: 'resident_no', type: 'text', personalInfo: true })]
  await bench.call('PUT', `${api}/ticket/intake-categories/${intake.id}/fields`, { fieldIds })
  await bench.call('PUT', `${api}/open-api`, { enabled: true })
  const key = await bench.call('POST', `${api}/open-api/keys`, { name: 'bench' })
  return { orgId: service.orgId, serviceId: service.id, api, intakeCategoryId: intake.id, serviceKey: key.token }
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
