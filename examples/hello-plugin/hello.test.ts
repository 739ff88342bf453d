/**
 * The example plugin's own tests: written exactly as a third party would, against a platform
 * started with this plugin and the ticket plugin it depends on, on both database drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from './mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { eventsAreaOf } from '../../core/events/area.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

describe.each(DRIVERS)('hello plugin on %s', (driver) => {
  let t: TestPlatform
  const api = '/o/hello-org/desk/api/v1'
  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [hello, ticket], events: { background: false } })
    await t.createService('hello-org', 'desk', ['ticket', 'hello'])
  })
  afterAll(() => t.close())

  it('creates a greeting and its event in one transaction', async () => {
    const res = await t.call(`${api}/hello/greetings`, { body: { name: 'Ada' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'Ada', text: 'Hello, Ada!' })
    const events = await t.db.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM oc_outbox WHERE type = 'hello.greeted'")
    expect(events).toEqual([{ type: 'hello.greeted', payload: { greetingId: res.body.id, name: 'Ada', text: 'Hello, Ada!' } }])
  })

  it('uses its settings', async () => {
    await t.call(`${api}/settings/hello`, { method: 'PUT', body: { greeting: '안녕하세요', punctuation: '~' } })
    expect((await t.call(`${api}/hello/greetings`, { body: { name: '민수' } })).body.text).toBe('안녕하세요, 민수~')
  })

  it('lists greetings newest first, with a validated limit', async () => {
    const list = await t.call(`${api}/hello/greetings?limit=1`)
    expect(list.body.greetings).toHaveLength(1)
    expect(list.body.greetings[0].name).toBe('민수')
    const bad = await t.call(`${api}/hello/greetings?limit=500`)
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('query.limit')
  })

  it('keeps its routes behind their access rules', async () => {
    expect((await t.call(`${api}/hello/greetings`, { token: null })).status).toBe(401)
    expect((await t.call(`${api}/hello/greetings`, { token: 'not-a-token' })).status).toBe(401)
    expect((await t.call(`${api}/hello/ping`, { token: null })).status).toBe(200)
  })

  it('adds a result type to ticket triggers, which greets the requester when a trigger fires', async () => {
    const types = await t.call(`${api}/ticket/trigger-actions`)
    expect(types.body.actions).toContainEqual(expect.objectContaining({ type: 'hello.greet', plugin: 'hello', title: 'Greet the requester' }))
    const refused = await t.call(`${api}/ticket/triggers`, { body: { title: 'Bad', conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }] }, results: [{ type: 'hello.greet', params: { name: '' } }] } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.issues[0].path).toBe('body.results.0.params.name')
    const trigger = await t.call(`${api}/ticket/triggers`, { body: { title: 'Greet', conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }] }, results: [{ type: 'hello.greet', params: {} }] } })
    expect(trigger.status).toBe(201)

    const created = await t.call(`${api}/ticket/tickets`, { body: { title: 'Where is my order?', content: 'Please help', channel: 'web', requester: { email: 'grace@customer.example', name: 'Grace' } } })
    expect(created.status).toBe(201)
    const dispatcher = eventsAreaOf(t.platform).dispatcher
    // The ticket event runs the trigger, whose effect event runs the greeting; then nothing is left.
    while (await dispatcher.drain()) {}
    const greetings = await t.db.query<{ name: string; text: string; effect_id: string | null }>("SELECT name, text, effect_id FROM hello_greetings WHERE name = 'Grace'")
    expect(greetings).toEqual([{ name: 'Grace', text: '안녕하세요, Grace~', effect_id: expect.any(String) }])
    const log = await t.call(`${api}/ticket/triggers/${trigger.body.id}/log`)
    expect(log.body.runs[0].results).toEqual([expect.objectContaining({ type: 'hello.greet', status: 'done' })])
  })

  it('documents its routes with their access rules in the service document', async () => {
    const doc = await t.call(`${api}/openapi.json`)
    const post = doc.body.paths['/hello/greetings'].post
    expect(post['x-oc-access']).toBe('permission hello')
    expect(post.operationId).toBe('hello.createGreetings')
    expect(doc.body.paths['/hello/ping'].get.operationId).toBe('hello.listPing')
    expect(post.security).toEqual([{ bearer: [] }])
    expect(doc.body.paths['/hello/ping'].get.security).toEqual([])
    expect(doc.body.components.schemas.HelloGreeting).toBeDefined()
  })
})
