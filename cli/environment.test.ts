/**
 * The platform `serve` builds from the environment (platformFromEnvironment): the outgoing-call
 * allowlist `OC_OUTBOUND_ALLOWLIST` is read there as on Workers, on both drivers.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import hello from '../examples/hello-plugin/mod.ts'
import ticket from '../plugins/ticket/mod.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import { DRIVERS, freshPostgresUrl } from '../test/support/databases.ts'
import { caller } from '../test/support/platform.ts'
import { startReceiver, until } from '../test/support/events.ts'
import { platformFromEnvironment } from './environment.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe.each(DRIVERS)('platformFromEnvironment on %s', (driver) => {
  it('lets outgoing calls through to a loopback receiver in OC_OUTBOUND_ALLOWLIST and refuses one outside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oc-env-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const receiver = await startReceiver()
    cleanups.push(() => receiver.close())
    const env = {
      OC_LOG_LEVEL: 'silent',
      OC_DATA_DIR: dir,
      OC_OUTBOUND_ALLOWLIST: ' 127.0.0.1 , hooks.invalid',
      ...(driver === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : {}),
    }
    const { platform, close } = await platformFromEnvironment(env, [ticket, hello], 'test')
    cleanups.push(close)
    await platform.start()
    const call = caller(platform.fetch, 'http://opencontact.test', (await createOperatorToken(platform.db, 'test')).token)
    expect((await call('/operator/v1/organizations', { body: { slug: 'acme', name: 'Acme' } })).status).toBe(201)
    expect((await call('/operator/v1/organizations/acme/services', { body: { code: 'help', name: 'Help', contract: { plugins: { ticket: {}, hello: {} } } } })).status).toBe(201)
    const api = '/o/acme/help/api/v1'

    // 127.0.0.2 is loopback too, but not in the list.
    const outside = await call(`${api}/webhooks`, { body: { url: receiver.url.replace('127.0.0.1', '127.0.0.2'), eventTypes: ['hello.*'] } })
    expect(outside.status).toBe(422)
    expect(JSON.stringify(outside.body)).toContain('127.0.0.2')
    expect((await call(`${api}/webhooks`, { body: { url: receiver.url, eventTypes: ['hello.*'] } })).status).toBe(201)
    expect((await call(`${api}/hello/greetings`, { body: { name: 'Ada' } })).status).toBe(201)
    await until('the delivery to the allowed receiver', () => receiver.calls.some((c) => c.body.includes('Ada')), 15_000)
  }, 60_000)
})
