/**
 * The example plugin's own tests: written exactly as a third party would, with the testing entry
 * (`opencontact/testing`) and the plugin's own files only, against a platform started with only
 * this plugin, on both database drivers (PostgreSQL: a fresh database on the server the test
 * run provides).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import hello from './mod.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

describe.each(drivers)('hello plugin on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [hello], driver: driver() })
    svc = await tp.service('hello-org', 'desk', { plugins: ['hello'] })
  })
  afterAll(() => tp.close())

  it('creates a greeting and its event in one transaction', async () => {
    const res = await svc.call('/hello/greetings', { body: { name: 'Ada' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'Ada', text: 'Hello, Ada!' })
    const events = await tp.db.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM oc_outbox WHERE type = 'hello.greeted'")
    expect(events).toEqual([{ type: 'hello.greeted', payload: { greetingId: res.body.id, name: 'Ada', text: 'Hello, Ada!' } }])
  })

  it('uses its settings', async () => {
    await svc.call('/settings/hello', { method: 'PUT', body: { greeting: '안녕하세요', punctuation: '~' } })
    expect((await svc.call('/hello/greetings', { body: { name: '민수' } })).body.text).toBe('안녕하세요, 민수~')
  })

  it('lists greetings newest first, with a validated limit', async () => {
    const list = await svc.call('/hello/greetings?limit=1')
    expect(list.body.greetings).toHaveLength(1)
    expect(list.body.greetings[0].name).toBe('민수')
    const bad = await svc.call('/hello/greetings?limit=500')
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('query.limit')
  })

  it('lets a signed-in agent with the permission greet, and refuses one without it', async () => {
    const greeter = await svc.agent({ permissions: ['ticket'] })
    const made = await greeter.call('/hello/greetings', { body: { name: 'Grace' } })
    expect(made.status).toBe(201)
    expect((await greeter.call('/hello/greetings')).body.greetings.map((g: { name: string }) => g.name)).toContain('Grace')
    const bystander = await svc.agent()
    expect((await bystander.call('/hello/greetings', { body: { name: 'Linus' } })).status).toBe(403)
    // Listing asks only for a signed-in principal.
    expect((await bystander.call('/hello/greetings')).status).toBe(200)
  })

  it('keeps its routes behind their access rules', async () => {
    expect((await svc.call('/hello/greetings', { token: null })).status).toBe(401)
    expect((await svc.call('/hello/greetings', { token: 'not-a-token' })).status).toBe(401)
    expect((await svc.call('/hello/ping', { token: null })).status).toBe(200)
  })

  it('documents its routes with their access rules in the service document', async () => {
    const doc = await svc.call('/openapi.json')
    const post = doc.body.paths['/hello/greetings'].post
    expect(post['x-oc-access']).toBe('permission ticket')
    expect(post.operationId).toBe('hello.createGreetings')
    expect(doc.body.paths['/hello/ping'].get.operationId).toBe('hello.listPing')
    expect(post.security).toEqual([{ bearer: [] }])
    expect(doc.body.paths['/hello/ping'].get.security).toEqual([])
    expect(doc.body.components.schemas.HelloGreeting).toBeDefined()
  })
})
