/**
 * A plugin's routes and middleware stay inside it: each plugin is mounted under its own prefix
 * (`/api/v1/<id>/...`), so an `app.use('*')` of one plugin never runs on another plugin's
 * routes, nor on the core's, whichever plugin registers first; and a route a plugin declares
 * is served, and documented, under its prefix only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, json, route, z } from '../mod.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

/** A plugin whose middleware records every request it sees and whose one route answers its id. */
function recordingPlugin(id: string, seen: string[]) {
  return definePlugin({
    id,
    version: '1.0.0',
    core: '^1',
    routes(app) {
      app.use('*', async (c, next) => {
        seen.push(`${c.req.method} ${new URL(c.req.url).pathname}`)
        await next()
        c.header('x-seen-by', [c.res.headers.get('x-seen-by'), id].filter(Boolean).join(','))
      })
      app.openapi(route({ method: 'get', path: '/whoami', access: 'public', responses: { 200: json(z.object({ plugin: z.string() }), 'The plugin') } }), (c) => c.json({ plugin: id }, 200))
    },
  })
}

describe('plugin encapsulation', () => {
  let t: TestPlatform
  const seen = { alpha: [] as string[], beta: [] as string[] }
  const api = '/o/enc-org/desk/api/v1'
  beforeAll(async () => {
    t = await testPlatform({ plugins: [recordingPlugin('alpha', seen.alpha), recordingPlugin('beta', seen.beta)] })
    await t.createService('enc-org', 'desk', ['alpha', 'beta'])
  })
  afterAll(() => t.close())

  it("runs each plugin's middleware on its own routes only, whichever registered first", async () => {
    seen.alpha.length = 0
    seen.beta.length = 0
    const alpha = await t.call(`${api}/alpha/whoami`, { token: null })
    expect(alpha.body).toEqual({ plugin: 'alpha' })
    expect(alpha.headers.get('x-seen-by')).toBe('alpha')
    const beta = await t.call(`${api}/beta/whoami`, { token: null })
    expect(beta.body).toEqual({ plugin: 'beta' })
    expect(beta.headers.get('x-seen-by')).toBe('beta')
    expect(seen).toEqual({ alpha: [`GET ${api}/alpha/whoami`], beta: [`GET ${api}/beta/whoami`] })
  })

  it("keeps both plugins' middleware off the core's routes and off paths neither declares", async () => {
    seen.alpha.length = 0
    seen.beta.length = 0
    expect((await t.call(`${api}/groups`)).status).toBe(200)
    expect((await t.call(`${api}/whoami`, { token: null })).status).toBe(404)
    expect((await t.call(`${api}/gamma/whoami`, { token: null })).status).toBe(404)
    expect(seen).toEqual({ alpha: [], beta: [] })
  })

  it('documents each route under its plugin prefix, with operation ids named by the plugin', async () => {
    const doc = (await t.call(`${api}/openapi.json`)).body
    expect(doc.paths['/alpha/whoami'].get.operationId).toBe('alpha.listWhoami')
    expect(doc.paths['/beta/whoami'].get.operationId).toBe('beta.listWhoami')
    expect(doc.paths['/whoami']).toBeUndefined()
  })
})
