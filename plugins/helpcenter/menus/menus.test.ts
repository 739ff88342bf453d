/**
 * External menus (W7) and the extension points other plugins contribute to (api.ts), on both
 * drivers: menus added, edited, reordered and deleted with their refusals; a tiny test plugin's
 * page slots and menu items, shown for a service and language, the chat-gated one only while
 * the `chat` switch is on; contributions that break the rules fail the start.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import { contribute, definePlugin, route, z } from '../../../core/mod.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { menuItems, pageSlots, type PageSlot } from '../api.ts'
import { helpCenterMount } from '../visitors/mount.ts'
import { visibleContributions } from './contributions.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const widget = definePlugin({
  id: 'widget',
  version: '1.0.0',
  core: '^1',
  dependsOn: ['helpcenter'],
  contributes: [
    contribute(pageSlots, { name: 'launcher', position: 'launcher', scriptPath: '/widget/launcher.js', label: { ko: '채팅 상담', en: 'Chat with us' }, requires: 'chat' }),
    contribute(pageSlots, { name: 'survey', position: 'footer', scriptPath: '/widget/survey.js', label: { ko: '설문' } }),
    contribute(menuItems, { name: 'status', title: { ko: '서비스 상태', en: 'Status' }, path: '/widget/status' }),
  ],
})

const pages = definePlugin({
  ...helpcenter,
  mounts: [
    helpCenterMount((app, ctx) => {
      const probe = route({ method: 'get', path: '/test-contributions', access: 'public', request: { query: z.object({ lang: z.string() }) }, responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.any() } } } } })
      app.openapi(probe, async (c) => c.json(await c.var.db.tx((tx) => visibleContributions(ctx, tx, { servicePrefix: '/o/menus/desk', language: c.req.valid('query').lang })), 200))
    }),
  ],
})

describe.each(drivers)('external menus and contributions on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, pages, widget], driver: driver() })
    svc = await tp.service('menus', 'desk', { plugins: ['ticket', 'helpcenter', 'widget'], languages: ['ko', 'en'] })
  })
  afterAll(() => tp.close())

  it('adds, edits, reorders and deletes external menus', async () => {
    const a = await ok(svc.call('/helpcenter/menus', { body: { titles: { ko: '블로그', en: 'Blog' }, url: 'https://blog.example.com' } }), 201)
    const b = await ok(svc.call('/helpcenter/menus', { body: { titles: { ko: '스토어' }, url: 'http://store.example.com/', newWindow: true } }), 201)
    const c = await ok(svc.call('/helpcenter/menus', { body: { titles: { en: 'Jobs' }, url: 'https://jobs.example.com' } }), 201)
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2])
    expect(b).toMatchObject({ newWindow: true, titles: { ko: '스토어' } })
    const edited = await ok(svc.call(`/helpcenter/menus/${a.id}`, { method: 'PATCH', body: { titles: { ko: '공식 블로그' }, newWindow: true } }))
    expect(edited).toMatchObject({ titles: { ko: '공식 블로그' }, url: 'https://blog.example.com', newWindow: true })
    const reordered = await ok(svc.call('/helpcenter/menus/order', { method: 'PUT', body: { ids: [c.id, a.id, b.id] } }))
    expect(reordered.menus.map((m: { id: string; position: number }) => [m.id, m.position])).toEqual([[c.id, 0], [a.id, 1], [b.id, 2]])
    expect((await svc.call(`/helpcenter/menus/${a.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await ok(svc.call('/helpcenter/menus'))).menus.map((m: { id: string; position: number }) => [m.id, m.position])).toEqual([[c.id, 0], [b.id, 1]])
    expect((await svc.call(`/helpcenter/menus/${a.id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('refuses other URL schemes, unknown languages and incomplete orders, naming the field', async () => {
    const issue = async (call: Promise<{ status: number; body: any }>) => {
      const res = await call
      expect(res.status).toBe(422)
      return res.body.error.issues[0].path as string
    }
    expect(await issue(svc.call('/helpcenter/menus', { body: { titles: { ko: 'x' }, url: 'javascript:alert(1)' } }))).toBe('body.url')
    expect(await issue(svc.call('/helpcenter/menus', { body: { titles: { ja: 'x' }, url: 'https://a.example' } }))).toBe('body.titles.ja')
    expect(await issue(svc.call('/helpcenter/menus', { body: { titles: {}, url: 'https://a.example' } }))).toBe('body.titles')
    const menus = (await ok(svc.call('/helpcenter/menus'))).menus
    expect(await issue(svc.call('/helpcenter/menus/order', { method: 'PUT', body: { ids: [menus[0].id] } }))).toBe('body.ids')
    expect(await issue(svc.call('/helpcenter/menus/order', { method: 'PUT', body: { ids: [menus[0].id, menus[0].id] } }))).toBe('body.ids')
  })

  it("shows the contributions for the service's language, the chat-gated slot only while chat is on", async () => {
    const seen = async (lang: string) => (await tp.fetch(new Request(`http://opencontact.test/o/menus/desk/hc/test-contributions?lang=${lang}`))).json()
    const off = await seen('en')
    expect(off.slots).toEqual([{ pluginId: 'widget', name: 'survey', position: 'footer', scriptUrl: '/o/menus/desk/widget/survey.js', label: '설문' }])
    expect(off.menuItems).toEqual([{ pluginId: 'widget', name: 'status', title: 'Status', url: '/o/menus/desk/widget/status' }])
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { chat: true } }))
    const on = await seen('ko')
    expect(on.slots.map((s: { name: string; label: string }) => [s.name, s.label])).toEqual([['launcher', '채팅 상담'], ['survey', '설문']])
  })
})

describe('contributions that break the rules', () => {
  const problem = (slot: PageSlot) => pageSlots.check!(slot, 'bad')
  it("refuses a script outside the contributor's own mount, an unknown switch or position, naming the rule", () => {
    expect(problem({ name: 'x', position: 'footer', scriptPath: '/bad/x.js', label: { en: 'x' }, requires: 'chat' })).toBeUndefined()
    expect(problem({ name: 'x', position: 'footer', scriptPath: 'https://evil.example/x.js', label: { en: 'x' } })).toMatch(/under the plugin's own mount, '\/bad\/\.\.\.'/)
    expect(problem({ name: 'x', position: 'footer', scriptPath: '/widget/x.js', label: { en: 'x' } })).toMatch(/'\/bad\/\.\.\.'/)
    expect(problem({ name: 'x', position: 'footer', scriptPath: '/bad/../x.js', label: { en: 'x' } })).toMatch(/plain path/)
    expect(problem({ name: 'x', position: 'footer', scriptPath: '/bad/x.js', label: {} })).toMatch(/at least one language/)
    expect(problem({ name: 'x', position: 'footer', scriptPath: '/bad/x.js', label: { en: 'x' }, requires: 'memberLoginUrl' as 'chat' })).toMatch(/not a help-center switch/)
    expect(problem({ name: 'x', position: 'sidebar' as 'footer', scriptPath: '/bad/x.js', label: { en: 'x' } })).toMatch(/position 'sidebar'/)
    expect(menuItems.check!({ name: 'x', title: { en: 'x' }, path: '/elsewhere' }, 'bad')).toMatch(/'\/bad\/\.\.\.'/)
  })

  it('fails the start naming both plugins', async () => {
    const bad = definePlugin({ id: 'bad', version: '1.0.0', core: '^1', dependsOn: ['helpcenter'], contributes: [contribute(pageSlots, { name: 'x', position: 'footer', scriptPath: '/widget/x.js', label: { en: 'x' } })] })
    await expect(createTestPlatform({ plugins: [ticket, helpcenter, bad] })).rejects.toThrow(/bad.*helpcenter|helpcenter.*bad/)
  })
})
