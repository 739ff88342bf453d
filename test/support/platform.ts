/**
 * A platform under test, called in process through its `fetch`: the same request path as a
 * server, minus the socket. Runtime-level behaviour is covered by the conformance suite.
 */
import type { Plugin } from '../../core/mod.ts'
import { createPlatform, type Platform, type PlatformOptions } from '../../core/platform.ts'
import { createLogger } from '../../core/log.ts'
import type { Db } from '../../core/storage/db.ts'
import { createOperatorToken } from '../../core/identity/operator-tokens.ts'
import { type Driver, freshDb } from './databases.ts'

export interface ApiAnswer<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  method?: string
  body?: unknown
  token?: string | null
  headers?: Record<string, string>
}

export type Call = <T = any>(path: string, options?: CallOptions) => Promise<ApiAnswer<T>>

/** JSON calls against any fetch function; `token` defaults to the operator token. */
export function caller(fetch: (request: Request) => Response | Promise<Response>, base: string, defaultToken: string | null): Call {
  return async (path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token === undefined ? defaultToken : options.token
    if (token) headers.authorization = `Bearer ${token}`
    let body: BodyInit | undefined
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetch(new Request(`${base}${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body }))
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers }
  }
}

export interface TestPlatform {
  platform: Platform
  db: Db
  operatorToken: string
  call: Call
  /** Creates an organization (if new) and a service with the given plugins contracted. */
  createService(org: string, service: string, plugins?: string[]): Promise<{ orgId: string; serviceId: string }>
  close(): Promise<void>
}

export async function testPlatform(options: { driver?: Driver; db?: Db; plugins?: readonly Plugin[] } & Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const db = options.db ?? (await freshDb(options.driver ?? 'pglite'))
  const platform = createPlatform({ log: createLogger('silent'), ...options, db, plugins: options.plugins ?? [] })
  await platform.start()
  const { token } = await createOperatorToken(db, 'test operator')
  const call = caller(platform.fetch, 'http://opencontact.test', token)
  return {
    platform,
    db,
    operatorToken: token,
    call,
    async createService(org, service, plugins = []) {
      const o = await call('/operator/v1/organizations', { body: { slug: org, name: org } })
      if (o.status !== 201 && o.status !== 409) throw new Error(`creating org failed: ${JSON.stringify(o.body)}`)
      const s = await call(`/operator/v1/organizations/${org}/services`, {
        body: { code: service, name: service, contract: { plugins: Object.fromEntries(plugins.map((p) => [p, {}])) } },
      })
      if (s.status !== 201) throw new Error(`creating service failed: ${JSON.stringify(s.body)}`)
      return { orgId: s.body.orgId, serviceId: s.body.id }
    },
    async close() {
      await platform.stop()
      if (!options.db) await db.close()
    },
  }
}
