/**
 * The example plugin's own tests: written exactly as a third party would, with the testing entry
 * (`opencontact/testing`), the first-party ticket plugin it depends on (`opencontact/plugins/ticket`)
 * and the plugin's own files only, on both database drivers (PostgreSQL: a fresh database on the
 * server the test run provides).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import hello from './mod.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

describe.each(drivers)('hello plugin on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  beforeAll(async () => {
    // Events are delivered when the test says so (tp.drainEvents()), not in the background.
    tp = await createTestPlatform({ plugins: [ticket, hello], driver: driver(), events: { background: false } })
    svc = await tp.service('hello-org', 'desk', { plugins: ['ticket', 'hello'] })
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

  it('lets a signed-in agent with its own permission greet, and refuses one without it', async () => {
    const greeter = await svc.agent({ permissions: ['hello'] })
    const made = await greeter.call('/hello/greetings', { body: { name: 'Grace' } })
    expect(made.status).toBe(201)
    expect((await greeter.call('/hello/greetings')).body.greetings.map((g: { name: string }) => g.name)).toContain('Grace')
    const bystander = await svc.agent({ permissions: ['ticket'] })
    const refused = await bystander.call('/hello/greetings', { body: { name: 'Linus' } })
    expect(refused.status).toBe(403)
    expect(refused.body.error.message).toMatch(/'hello' permission/)
    // Listing asks only for a signed-in principal.
    expect((await bystander.call('/hello/greetings')).status).toBe(200)
  })

  it('files a ticket through the tickets service in the transaction of its greeting', async () => {
    const greeter = await svc.agent({ permissions: ['hello'] })
    const made = await greeter.call('/hello/follow-ups', { body: { name: 'Hana', email: 'hana@customer.example', message: '배송 일정을 알려 주세요' } })
    expect(made.status).toBe(201)
    expect(made.body.ticket).toMatchObject({ number: expect.any(Number), status: 'new' })
    const ticket = await svc.call(`/ticket/tickets/${made.body.ticket.id}`)
    expect(ticket.body).toMatchObject({ title: 'Follow up with Hana', content: '배송 일정을 알려 주세요', channel: 'api', requester: { email: 'hana@customer.example', name: 'Hana' } })
    // The ticket's own trail: its history and an audit entry naming the agent.
    const audit = await svc.call(`/audit?limit=50`)
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'ticket.ticket.created', actor: expect.objectContaining({ type: 'member', label: greeter.email }), target: { type: 'ticket', id: made.body.ticket.id } }))
    // A refused ticket (an invalid address) leaves no greeting behind either.
    const before = (await svc.call('/hello/greetings?limit=100')).body.greetings.length
    const refused = await greeter.call('/hello/follow-ups', { body: { name: 'Nobody', email: 'not-an-address', message: 'x' } })
    expect(refused.status).toBe(422)
    expect((await svc.call('/hello/greetings?limit=100')).body.greetings.length).toBe(before)
  })

  it('keeps its routes behind their access rules', async () => {
    expect((await svc.call('/hello/greetings', { token: null })).status).toBe(401)
    expect((await svc.call('/hello/greetings', { token: 'not-a-token' })).status).toBe(401)
    expect((await svc.call('/hello/ping', { token: null })).status).toBe(200)
  })

  it('adds a result type to ticket triggers, which greets the requester when a trigger fires', async () => {
    const types = await svc.call('/ticket/trigger-actions')
    expect(types.body.actions).toContainEqual(expect.objectContaining({ type: 'hello.greet', plugin: 'hello', title: 'Greet the requester' }))
    const whenCreated = { all: [{ attribute: 'event', operator: 'is', value: 'created' }] }
    const refused = await svc.call('/ticket/triggers', { body: { title: 'Bad', conditions: whenCreated, results: [{ type: 'hello.greet', params: { name: '' } }] } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.issues[0].path).toBe('body.results.0.params.name')
    const trigger = await svc.call('/ticket/triggers', { body: { title: 'Greet', conditions: whenCreated, results: [{ type: 'hello.greet', params: {} }] } })
    expect(trigger.status).toBe(201)

    const created = await svc.call('/ticket/tickets', { body: { title: 'Where is my order?', content: 'Please help', channel: 'web', requester: { email: 'grace@customer.example', name: 'Grace' } } })
    expect(created.status).toBe(201)
    // The ticket event runs the trigger, whose effect event runs the greeting.
    await tp.drainEvents()
    const greetings = await tp.db.query<{ name: string; text: string; effect_id: string | null }>("SELECT name, text, effect_id FROM hello_greetings WHERE name = 'Grace' AND effect_id IS NOT NULL")
    expect(greetings).toEqual([{ name: 'Grace', text: '안녕하세요, Grace~', effect_id: expect.any(String) }])
    const log = await svc.call(`/ticket/triggers/${trigger.body.id}/log`)
    expect(log.body.runs[0].results).toEqual([expect.objectContaining({ type: 'hello.greet', status: 'done' })])
  })

  it("tallies greetings in its subscriber, once per event", async () => {
    await svc.call('/hello/greetings', { body: { name: 'Tally' } })
    await svc.call('/hello/greetings', { body: { name: 'Tally' } })
    await tp.drainEvents()
    const tallies = await tp.db.query<{ name: string; greetings: number }>("SELECT name, greetings FROM hello_tallies WHERE name = 'Tally'")
    expect(tallies).toEqual([{ name: 'Tally', greetings: 2 }])
    // Nothing is left to deliver, and delivering again counts nothing twice.
    expect(await tp.drainEvents()).toBe(0)
    expect((await tp.db.query<{ greetings: number }>("SELECT greetings FROM hello_tallies WHERE name = 'Tally'"))[0]!.greetings).toBe(2)
  })

  it('prunes greetings past the retention in its job, service by service', async () => {
    const [service] = await tp.db.query<{ org_id: string; id: string }>("SELECT org_id, id FROM oc_services WHERE code = 'desk'")
    await tp.db.query("INSERT INTO hello_greetings (org_id, service_id, name, text, created_at) VALUES ($1, $2, 'Old', 'Hello, Old!', now() - interval '400 days')", [service!.org_id, service!.id])
    const [run] = await tp.platform.runJobsNow((key) => key === 'hello:prune-greetings')
    expect(run).toEqual({ key: 'hello:prune-greetings', outcome: 'done', summary: 'pruned 1 greetings' })
    expect(await tp.db.query("SELECT id FROM hello_greetings WHERE name = 'Old'")).toEqual([])
    expect((await svc.call('/hello/greetings?limit=100')).body.greetings.length).toBeGreaterThan(0)
  })

  it('answers at its mount in the legacy envelope', async () => {
    const legacy = await tp.call('/o/hello-org/desk/hello-legacy/v0/greeting.json', { token: null })
    expect(legacy.status).toBe(200)
    expect(legacy.body).toEqual({ ok: true, data: { greeting: '안녕하세요' } })
  })

  it('documents its routes with their access rules in the service document', async () => {
    const doc = await svc.call('/openapi.json')
    const post = doc.body.paths['/hello/greetings'].post
    expect(post['x-oc-access']).toBe('permission hello')
    expect(post.operationId).toBe('hello.createGreetings')
    expect(doc.body.paths['/hello/ping'].get.operationId).toBe('hello.listPing')
    expect(post.security).toEqual([{ bearer: [] }])
    expect(doc.body.paths['/hello/ping'].get.security).toEqual([])
    expect(doc.body.components.schemas.HelloGreeting).toBeDefined()
  })
})
