/** Tenancy and contracts through the HTTP API (C1, C2), on both drivers, and across instances. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { definePlugin } from '../api/define.ts'
import { z } from 'zod'
import { DRIVERS, freshPostgresUrl } from '../../test/support/databases.ts'
import { caller, testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { postgresDb } from '../storage/postgres.ts'

const chat = definePlugin({ id: 'chat', version: '1.0.0', core: '^1', dependsOn: ['hello'], contract: { features: { maxWaiting: z.number().int().min(0).default(10) } } })

describe.each(DRIVERS)('tenancy over HTTP on %s', (driver) => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [ticket, helloPlugin, chat] })
  })
  afterAll(() => t.close())

  it('creates, lists, renames and deletes organizations', async () => {
    const created = await t.call('/operator/v1/organizations', { body: { slug: 'acme', name: 'Acme' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ slug: 'acme', name: 'Acme', id: expect.any(String) })
    expect((await t.call('/operator/v1/organizations', { body: { slug: 'acme', name: 'Again' } })).status).toBe(409)
    expect((await t.call('/operator/v1/organizations')).body.organizations.map((o: { slug: string }) => o.slug)).toContain('acme')
    expect((await t.call('/operator/v1/organizations/acme', { method: 'PATCH', body: { name: 'Acme Inc.' } })).body.name).toBe('Acme Inc.')
    const bad = await t.call('/operator/v1/organizations', { body: { slug: 'Not A Label', name: 'x' } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('body.slug')
    expect((await t.call('/operator/v1/organizations', { body: { slug: 'gone', name: 'Gone' } })).status).toBe(201)
    expect((await t.call('/operator/v1/organizations/gone', { method: 'DELETE' })).status).toBe(204)
    expect((await t.call('/operator/v1/organizations/gone')).status).toBe(404)
  })

  it('creates services with languages and a time zone, and checks them', async () => {
    await t.call('/operator/v1/organizations', { body: { slug: 'svc-org', name: 'Org' } })
    const created = await t.call('/operator/v1/organizations/svc-org/services', { body: { code: 'support', name: 'Support', defaultLanguage: 'en', languages: ['ko', 'en', 'ja'], timezone: 'Asia/Tokyo' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ code: 'support', defaultLanguage: 'en', languages: ['ko', 'en', 'ja'], timezone: 'Asia/Tokyo', contract: { plugins: {} } })
    const defaults = await t.call('/operator/v1/organizations/svc-org/services', { body: { code: 'second', name: 'Second' } })
    expect(defaults.body).toMatchObject({ defaultLanguage: 'ko', languages: ['ko'], timezone: 'Asia/Seoul' })

    const wrong = await t.call('/operator/v1/organizations/svc-org/services', { body: { code: 'x', name: 'X', defaultLanguage: 'fr', languages: ['ko'], timezone: 'Mars/Olympus' } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.defaultLanguage', 'body.timezone'])
    expect((await t.call('/operator/v1/organizations/svc-org/services', { body: { code: 'docs', name: 'reserved' } })).status).toBe(422)
    expect((await t.call('/operator/v1/organizations/svc-org/services', { body: { code: 'support', name: 'dup' } })).status).toBe(409)
    expect((await t.call('/operator/v1/organizations/nowhere/services', { body: { code: 'x', name: 'x' } })).status).toBe(404)

    const patched = await t.call('/operator/v1/organizations/svc-org/services/support', { method: 'PATCH', body: { defaultLanguage: 'ja' } })
    expect(patched.body.defaultLanguage).toBe('ja')
    const refused = await t.call('/operator/v1/organizations/svc-org/services/support', { method: 'PATCH', body: { languages: ['ko'] } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.issues[0].path).toBe('body.defaultLanguage')
    expect((await t.call('/operator/v1/organizations/svc-org/services')).body.services).toHaveLength(2)
    expect((await t.call('/operator/v1/organizations/svc-org/services/second', { method: 'DELETE' })).status).toBe(204)
    expect((await t.call('/o/svc-org/second/api/v1/settings')).status).toBe(404)
  })

  it('validates contracts against the installed plugins, naming each field', async () => {
    await t.createService('contracts', 'svc')
    const path = '/operator/v1/organizations/contracts/services/svc/contract'
    const unknown = await t.call(path, { method: 'PUT', body: { plugins: { nosuch: {} } } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues).toEqual([expect.objectContaining({ path: 'body.plugins.nosuch', code: 'unknown_plugin' })])
    const missingDep = await t.call(path, { method: 'PUT', body: { plugins: { chat: {} } } })
    expect(missingDep.body.error.issues).toEqual([expect.objectContaining({ path: 'body.plugins.chat', message: "plugin 'chat' needs 'hello' in the same contract" })])
    const badFeature = await t.call(path, { method: 'PUT', body: { plugins: { ticket: {}, hello: {}, chat: { features: { maxWaiting: -1, colour: 'red' } } } } })
    expect(badFeature.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.plugins.chat.features.colour', 'body.plugins.chat.features.maxWaiting'])
    const ok = await t.call(path, { method: 'PUT', body: { plugins: { ticket: {}, hello: {}, chat: {} } } })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ plugins: { ticket: { features: {} }, hello: { features: { loud: false } }, chat: { features: { maxWaiting: 10 } } } })
    expect((await t.call(path)).body).toEqual(ok.body)
  })

  it('lists installed plugins with their contract features as JSON Schema', async () => {
    const res = await t.call('/operator/v1/plugins')
    const chatInfo = res.body.plugins.find((p: { id: string }) => p.id === 'chat')
    expect(chatInfo).toMatchObject({ id: 'chat', dependsOn: ['hello'], features: { maxWaiting: { type: 'integer', minimum: 0, default: 10 } } })
  })

  it('hides an uncontracted plugin from routes, settings and the service document', async () => {
    await t.createService('gate', 'on', ['ticket', 'hello'])
    await t.createService('gate', 'off')
    expect((await t.call('/o/gate/off/api/v1/hello/greetings')).status).toBe(404)
    expect((await t.call('/o/gate/off/api/v1/settings/hello')).status).toBe(404)
    expect((await t.call('/o/gate/off/api/v1/settings')).body.plugins).toEqual([])
    expect((await t.call('/o/gate/on/api/v1/settings')).body.plugins.map((p: { plugin: string }) => p.plugin)).toEqual(['ticket', 'hello'])
    const doc = await t.call('/o/gate/off/api/v1/openapi.json')
    expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/hello'))).toBe(false)
  })
})

describe('contract changes across instances', () => {
  it('reach a second instance at once through NOTIFY, without a restart', async () => {
    const url = await freshPostgresUrl()
    const first = await testPlatform({ db: postgresDb(url), plugins: [ticket, helloPlugin] })
    const second = await testPlatform({ db: postgresDb(url), plugins: [ticket, helloPlugin] })
    await first.createService('multi', 'svc')
    const onSecond = caller(second.platform.fetch, 'http://x', second.operatorToken)
    expect((await onSecond('/o/multi/svc/api/v1/hello/ping')).status).toBe(404) // now cached as uncontracted on the second instance
    await first.call('/operator/v1/organizations/multi/services/svc/contract', { method: 'PUT', body: { plugins: { ticket: {}, hello: {} } } })
    const deadline = Date.now() + 2_000
    let status = 404
    while (status !== 200 && Date.now() < deadline) {
      status = (await onSecond('/o/multi/svc/api/v1/hello/ping')).status
      if (status !== 200) await new Promise((r) => setTimeout(r, 10))
    }
    expect(status).toBe(200)
    await first.close()
    await second.close()
    await first.db.close()
    await second.db.close()
  })
})
