import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePlugin, type PluginDefinition } from '../api/define.ts'
import { registerPlugins } from './registry.ts'
import { PluginError } from '../api/errors.ts'
import { createPlatform } from '../platform.ts'
import { createLogger } from '../log.ts'
import { pgliteDb } from '../storage/pglite.ts'
import { createRoute } from '@hono/zod-openapi'
import { route } from './app.ts'

const plugin = (id: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', ...extra })

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError)
    return (error as PluginError).code
  }
  return undefined
}

describe('plugin registration', () => {
  it('orders plugins so dependencies come first', () => {
    const ordered = registerPlugins([plugin('chat', { dependsOn: ['ticket'] }), plugin('ticket'), plugin('phone', { dependsOn: ['ticket', 'chat'] })])
    expect(ordered.map((p) => p.id)).toEqual(['ticket', 'chat', 'phone'])
  })

  it.each([
    ['Ticket', 'OC_PLUGIN_INVALID_ID'],
    ['help_center', 'OC_PLUGIN_INVALID_ID'],
    ['-x', 'OC_PLUGIN_INVALID_ID'],
    ['a--b', 'OC_PLUGIN_INVALID_ID'],
  ])('refuses the id %s', (id, code) => {
    expect(codeOf(() => registerPlugins([plugin(id)]))).toBe(code)
  })

  it('refuses a version that is not semver', () => {
    expect(codeOf(() => registerPlugins([plugin('x', { version: 'one' })]))).toBe('OC_PLUGIN_INVALID_VERSION')
  })

  it('refuses two plugins with one id', () => {
    expect(codeOf(() => registerPlugins([plugin('ticket'), plugin('ticket')]))).toBe('OC_PLUGIN_DUPLICATE_ID')
  })

  it('refuses a plugin written for another core, or with a broken range', () => {
    expect(codeOf(() => registerPlugins([plugin('x', { core: '^2' })]))).toBe('OC_PLUGIN_CORE_MISMATCH')
    expect(codeOf(() => registerPlugins([plugin('x', { core: 'not a range' })]))).toBe('OC_PLUGIN_CORE_MISMATCH')
  })

  it('names the missing dependency', () => {
    let message = ''
    try {
      registerPlugins([plugin('chat', { dependsOn: ['ticket'] })])
    } catch (error) {
      expect((error as PluginError).code).toBe('OC_PLUGIN_DEPENDENCY_MISSING')
      message = (error as Error).message
    }
    expect(message).toBe("OC_PLUGIN_DEPENDENCY_MISSING: plugin 'chat' needs 'ticket', which is not installed")
  })

  it('reports a dependency cycle with its path', () => {
    let message = ''
    try {
      registerPlugins([plugin('a', { dependsOn: ['b'] }), plugin('b', { dependsOn: ['c'] }), plugin('c', { dependsOn: ['a'] })])
    } catch (error) {
      expect((error as PluginError).code).toBe('OC_PLUGIN_DEPENDENCY_CYCLE')
      message = (error as Error).message
    }
    expect(message).toContain('a -> b -> c -> a')
  })

  it('refuses events outside the plugin namespace', () => {
    expect(codeOf(() => registerPlugins([plugin('ticket', { events: { 'chat.created': z.object({}) } })]))).toBe('OC_PLUGIN_EVENT_NAMESPACE')
  })

  it("refuses a plugin id the core's service API uses as a path", async () => {
    const db = await pgliteDb()
    for (const id of ['settings', 'groups', 'webhooks', 'docs']) {
      expect(codeOf(() => createPlatform({ db, plugins: [plugin(id)], log: createLogger('silent') })), id).toBe('OC_PLUGIN_INVALID_ID')
    }
    expect(codeOf(() => createPlatform({ db, plugins: [plugin('setting')], log: createLogger('silent') }))).toBeUndefined()
    await db.close()
  })

  it('refuses a route registered without an access rule', async () => {
    const db = await pgliteDb()
    const sneaky = plugin('sneaky', {
      routes(app) {
        app.openapi(createRoute({ method: 'get', path: '/open', responses: { 200: { description: 'ok' } } }), (c) => c.body(null, 200) as never)
      },
    })
    expect(codeOf(() => createPlatform({ db, plugins: [sneaky], log: createLogger('silent') }))).toBe('OC_PLUGIN_ROUTE_ACCESS')
    await db.close()
  })
})

describe('plugin lifecycle', () => {
  it('migrates, boots once in dependency order before the first request, and shuts down in reverse', async () => {
    const db = await pgliteDb()
    const calls: string[] = []
    const track = (id: string, dependsOn: string[] = []) =>
      plugin(id, {
        dependsOn,
        migrations: [{ id: '0001', up: async () => void calls.push(`migrate ${id}`) }],
        onBoot: () => void calls.push(`boot ${id}`),
        onShutdown: () => void calls.push(`shutdown ${id}`),
        routes(app) {
          app.openapi(route({ method: 'get', path: `/${id}`, access: 'public', responses: { 200: { description: 'ok' } } }), (c) => {
            calls.push(`request ${id}`)
            return c.body(null, 200) as never
          })
        },
      })
    const platform = createPlatform({ db, plugins: [track('b', ['a']), track('a')], log: createLogger('silent') })
    await Promise.all([platform.fetch(new Request('http://x/healthz')), platform.fetch(new Request('http://x/healthz')), platform.start()])
    await platform.fetch(new Request('http://x/healthz'))
    await platform.stop()
    expect(calls).toEqual(['migrate a', 'migrate b', 'boot a', 'boot b', 'shutdown b', 'shutdown a'])
    await db.close()
  })

  it('wraps a failing onBoot in a coded error naming the plugin', async () => {
    const db = await pgliteDb()
    const broken = plugin('broken', { onBoot: () => Promise.reject(new Error('no config')) })
    const platform = createPlatform({ db, plugins: [broken], log: createLogger('silent') })
    await expect(platform.start()).rejects.toMatchObject({ code: 'OC_PLUGIN_BOOT_FAILED', plugin: 'broken' })
    await db.close()
  })
})

describe('plugin lifecycle and event delivery', () => {
  it('delivers to a plugin’s subscribers only after its onBoot has finished, and not after onShutdown', async () => {
    const db = await pgliteDb()
    const calls: string[] = []
    const notes = plugin('notes', {
      events: { 'notes.added': z.object({ text: z.string() }) },
      subscribers: [{ id: 'record', event: 'notes.added', handle: async (event) => void calls.push(`deliver ${(event.payload as { text: string }).text}`) }],
      onBoot: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300))
        calls.push('booted')
      },
      onShutdown: () => void calls.push('shut down'),
    })
    const options = { db, plugins: [notes], log: createLogger('silent') }
    await createPlatform(options).migrate()
    const [org] = await db.sql<{ id: string }>`INSERT INTO oc_organizations (slug, name) VALUES ('o', 'O') RETURNING id`
    const [service] = await db.sql<{ id: string }>`INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone, contract)
      VALUES (${org!.id}, 's', 'S', 'ko', ${['ko']}, 'UTC', ${JSON.stringify({ plugins: { notes: { features: {} } } })}::jsonb) RETURNING id`
    // Waiting in the outbox before the platform starts: the dispatcher's first sweep would find it at once.
    await db.tenantTransaction({ orgId: org!.id, serviceId: service!.id }, (tx) => tx.sql`INSERT INTO oc_outbox (type, payload) VALUES ('notes.added', ${JSON.stringify({ text: 'early' })}::jsonb)`)

    const platform = createPlatform(options)
    await platform.start()
    const deadline = Date.now() + 10_000
    while (!calls.includes('deliver early') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    await platform.stop()
    expect(calls).toEqual(['booted', 'deliver early', 'shut down'])
    await db.close()
  })
})
