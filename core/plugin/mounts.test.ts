/**
 * Route groups at other paths (`mounts`): refused when the path is malformed or shadows
 * `/api/v1`; otherwise served under the service prefix in both URL forms, contract-gated, with the
 * group's own body limit and error shape, and listed in the service document with a per-path server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from '@hono/zod-openapi'
import { definePlugin, type PluginDefinition } from '../api/define.ts'
import { registerPlugins } from './registry.ts'
import { PluginError } from '../api/errors.ts'
import { route } from './app.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

const plugin = (extra: Partial<PluginDefinition>) => definePlugin({ id: 'vendor', version: '1.0.0', core: '^1', ...extra })
const echo = route({ method: 'post', path: '/echo.json', access: 'public', tags: ['Vendor'], request: { body: { content: { 'application/json': { schema: z.object({ text: z.string() }) } } } }, responses: { 200: { description: 'Echo' } } })

describe('plugin mounts', () => {
  it.each(['openapi/v1', '/api/v1', '/api/v1/x', '/api', '/a/../b', '/', '/a b'])('refuses mount path %s', (path) => {
    expect(() => registerPlugins([plugin({ mounts: [{ path, routes: () => {} }] })])).toThrow(PluginError)
  })

  let t: TestPlatform
  beforeAll(async () => {
    const vendor = plugin({
      mounts: [
        {
          path: '/openapi/v1',
          bodyLimitBytes: 64,
          routes(app) {
            app.onError((error, c) => c.json({ vendorError: error.message }, 400))
            app.openapi(echo, async (c) => c.json({ said: c.req.valid('json').text }, 200) as never)
          },
        },
      ],
    })
    t = await testPlatform({ plugins: [vendor], baseDomain: 'example.test' })
    await t.createService('acme', 'desk', ['vendor'])
    await t.createService('acme', 'other', [])
  })
  afterAll(() => t?.close())

  it('serves the group under the service prefix in path and host form, only where contracted', async () => {
    expect((await t.call('/o/acme/desk/openapi/v1/echo.json', { body: { text: 'hi' }, token: null })).body).toEqual({ said: 'hi' })
    const viaHost = await t.platform.fetch(new Request('http://acme.example.test/desk/openapi/v1/echo.json', { method: 'POST', headers: { host: 'acme.example.test', 'content-type': 'application/json' }, body: '{"text":"yo"}' }))
    expect(await viaHost.json()).toEqual({ said: 'yo' })
    expect((await t.call('/o/acme/other/openapi/v1/echo.json', { body: { text: 'hi' }, token: null })).status).toBe(404)
  })

  it("applies the group's body limit and answers in the group's error shape", async () => {
    const big = await t.call('/o/acme/desk/openapi/v1/echo.json', { body: { text: 'x'.repeat(100) }, token: null })
    expect(big.status).toBe(400)
    expect(big.body.vendorError).toMatch(/over the limit of 64 bytes/)
  })

  it('lists the group with its full path and the service prefix as its server', async () => {
    const doc = (await t.call('/o/acme/desk/api/v1/openapi.json')).body
    expect(doc.paths['/openapi/v1/echo.json'].servers).toEqual([{ url: 'http://opencontact.test/o/acme/desk' }])
    expect(doc.servers[0].url).toBe('http://opencontact.test/o/acme/desk/api/v1')
    expect((await t.call('/o/acme/other/api/v1/openapi.json')).body.paths['/openapi/v1/echo.json']).toBeUndefined()
  })
})

describe('two plugins mounting the same path', () => {
  let t: TestPlatform
  const group = (id: string, path: string) =>
    definePlugin({
      id,
      version: '1.0.0',
      core: '^1',
      mounts: [
        {
          path: '/api/v2',
          routes(app) {
            app.onError((error, c) => c.json({ [`${id}Error`]: error.message }, 400))
            app.openapi(route({ method: 'post', path, access: 'public', tags: ['Vendor'], request: { body: { content: { 'application/json': { schema: z.object({ text: z.string() }) } } } }, responses: { 200: { description: 'Echo' } } }), async (c) => c.json({ [id]: c.req.valid('json').text }, 200) as never)
          },
        },
      ],
    })
  beforeAll(async () => {
    t = await testPlatform({ plugins: [group('tickets-vendor', '/ticket/echo.json'), group('pages-vendor', '/notice/echo.json')] })
    await t.createService('acme', 'both', ['tickets-vendor', 'pages-vendor'])
    await t.createService('acme', 'one', ['tickets-vendor'])
  })
  afterAll(() => t?.close())

  it("serves each plugin's routes with its own error shape and contract gate", async () => {
    expect((await t.call('/o/acme/both/api/v2/ticket/echo.json', { body: { text: 'a' }, token: null })).body).toEqual({ 'tickets-vendor': 'a' })
    expect((await t.call('/o/acme/both/api/v2/notice/echo.json', { body: { text: 'b' }, token: null })).body).toEqual({ 'pages-vendor': 'b' })
    expect(Object.keys((await t.call('/o/acme/both/api/v2/notice/echo.json', { body: { text: 1 }, token: null })).body)).toEqual(['pages-vendorError'])
    expect(Object.keys((await t.call('/o/acme/both/api/v2/ticket/echo.json', { body: { text: 1 }, token: null })).body)).toEqual(['tickets-vendorError'])
    expect((await t.call('/o/acme/one/api/v2/ticket/echo.json', { body: { text: 'c' }, token: null })).status).toBe(200)
    expect((await t.call('/o/acme/one/api/v2/notice/echo.json', { body: { text: 'c' }, token: null })).status).toBe(404)
    const doc = (await t.call('/o/acme/both/api/v1/openapi.json')).body
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api/v2/')).sort()).toEqual(['/api/v2/notice/echo.json', '/api/v2/ticket/echo.json'])
  })
})
