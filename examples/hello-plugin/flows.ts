/**
 * The example plugin's flows through its API: every test here speaks HTTP only, through the
 * testing entry, so the same tests run against a platform in process (hello.test.ts, on both
 * database drivers) and against a server on Node, Deno and workerd (the conformance suite,
 * test/conformance/suite.ts). Each run makes a service of its own, with its own settings.
 *
 * What the outbox delivers after an answer (a trigger run, its effect) is awaited with
 * `eventually`; a platform whose events are not delivered in the background passes `deliver`,
 * which the wait calls before each reading.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, ok, type TestClient, type TestService } from 'opencontact/testing'

export interface HelloFlowOptions {
  /** Delivers due events (`tp.drainEvents`) where they are not delivered in the background. */
  deliver?: () => Promise<unknown>
}

/** A cold runtime's first deliveries (the trigger run, then its effect) can take seconds. */
const DELIVERY_DEADLINE_MS = 20_000

export function helloFlows(client: () => TestClient, options: HelloFlowOptions = {}): void {
  describe('hello plugin flows', () => {
    let svc: TestService
    beforeAll(async () => {
      svc = await client().service(`hello-${crypto.randomUUID().slice(0, 8)}`, 'desk', { plugins: ['ticket', 'hello'], languages: ['ko', 'en'] })
      await ok(svc.call('/settings/hello', { method: 'PUT', body: { greeting: '안녕하세요', punctuation: '~' } }))
    }, 60_000)

    const greetings = async () => (await ok(svc.call('/hello/greetings?limit=100'))).greetings as { name: string; text: string }[]

    it('greets with its settings and lists greetings newest first, with a validated limit', async () => {
      expect(await ok(svc.call('/hello/greetings', { body: { name: '민수' } }), 201)).toMatchObject({ name: '민수', text: '안녕하세요, 민수~' })
      expect((await ok(svc.call('/hello/greetings?limit=1'))).greetings).toEqual([expect.objectContaining({ name: '민수' })])
      const bad = await svc.call('/hello/greetings?limit=500')
      expect(bad.status).toBe(422)
      expect(bad.body.error.issues[0].path).toBe('query.limit')
    })

    it('lets an agent with its own permission greet, and refuses one without it', async () => {
      const greeter = await svc.agent({ permissions: ['hello'] })
      await ok(greeter.call('/hello/greetings', { body: { name: 'Grace' } }), 201)
      const bystander = await svc.agent({ permissions: ['ticket'] })
      const refused = await bystander.call('/hello/greetings', { body: { name: 'Linus' } })
      expect(refused.status).toBe(403)
      expect(refused.body.error.message).toMatch(/'hello' permission/)
      // Listing asks only for a signed-in principal; the ping is public.
      expect((await ok(bystander.call('/hello/greetings'))).greetings.map((g: { name: string }) => g.name)).toContain('Grace')
      expect((await svc.call('/hello/greetings', { token: null })).status).toBe(401)
      expect((await svc.call('/hello/greetings', { token: 'not-a-token' })).status).toBe(401)
      expect(await ok(svc.call('/hello/ping', { token: null }))).toEqual({ pong: true, service: 'desk' })
    })

    it('files a ticket through the tickets service in the transaction of its greeting', async () => {
      const greeter = await svc.agent({ permissions: ['hello'] })
      const made = await ok(greeter.call('/hello/follow-ups', { body: { name: 'Hana', email: 'hana@customer.example', message: '배송 일정을 알려 주세요' } }), 201)
      expect(made.ticket).toMatchObject({ number: expect.any(Number), status: 'new' })
      expect(await ok(svc.call(`/ticket/tickets/${made.ticket.id}`))).toMatchObject({
        title: 'Follow up with Hana',
        content: '배송 일정을 알려 주세요',
        channel: 'api',
        requester: { email: 'hana@customer.example', name: 'Hana' },
        createdBy: { type: 'agent', id: greeter.id },
      })
      // The ticket's own trail: an audit entry naming the agent.
      const audit = await ok(svc.call('/audit?limit=50'))
      expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'ticket.ticket.created', actor: expect.objectContaining({ type: 'member', label: greeter.email }), target: { type: 'ticket', id: made.ticket.id } }))
      // A refused ticket (an invalid address) leaves no greeting behind either.
      const before = (await greetings()).length
      const refused = await greeter.call('/hello/follow-ups', { body: { name: 'Nobody', email: 'not-an-address', message: 'x' } })
      expect(refused.status).toBe(422)
      expect((await greetings()).length).toBe(before)
    })

    it('adds a result type to ticket triggers, which greets the requester when a trigger fires', async () => {
      const admin = await svc.agent({ role: 'admin', permissions: ['ticket', 'hello'] })
      const types = await ok(admin.call('/ticket/trigger-actions'))
      expect(types.actions).toContainEqual(expect.objectContaining({ type: 'hello.greet', plugin: 'hello', title: 'Greet the requester' }))
      const whenCreated = { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'title', operator: 'contains', value: 'greet me' }] }
      const refused = await admin.call('/ticket/triggers', { body: { title: 'Bad', conditions: whenCreated, results: [{ type: 'hello.greet', params: { name: '' } }] } })
      expect(refused.status).toBe(422)
      expect(refused.body.error.issues[0].path).toBe('body.results.0.params.name')
      const trigger = await ok(admin.call('/ticket/triggers', { body: { title: 'Greet requesters', conditions: whenCreated, results: [{ type: 'hello.greet', params: {} }] } }), 201)

      const name = `Grace ${crypto.randomUUID().slice(0, 6)}`
      await ok(admin.call('/ticket/tickets', { body: { title: 'Please greet me', content: 'Hello there', channel: 'web', requester: { email: 'grace@customer.example', name } } }), 201)
      // The ticket event runs the trigger, whose effect event runs the greeting.
      const greeted = await eventually(async () => {
        await options.deliver?.()
        return (await greetings()).filter((g) => g.name === name)
      }, (found) => found.length > 0, DELIVERY_DEADLINE_MS)
      expect(greeted.map((g) => g.text), "the trigger's hello.greet result greeted the requester once").toEqual([`안녕하세요, ${name}~`])
      const log = await ok(admin.call(`/ticket/triggers/${trigger.id}/log`))
      expect(log.runs[0].results).toEqual([expect.objectContaining({ type: 'hello.greet', status: 'done' })])
    }, 90_000)

    it('answers at its mount in the legacy envelope', async () => {
      const legacy = await client().call(`/o/${svc.org}/${svc.code}/hello-legacy/v0/greeting.json`, { token: null })
      expect(legacy.status).toBe(200)
      expect(legacy.body).toEqual({ ok: true, data: { greeting: '안녕하세요' } })
    })

    it('documents its routes with their access rules in the service document', async () => {
      const doc = await ok(svc.call('/openapi.json'))
      const post = doc.paths['/hello/greetings'].post
      expect(post['x-oc-access']).toBe('permission hello')
      expect(post.operationId).toBe('hello.createGreetings')
      expect(post.security).toEqual([{ bearer: [] }])
      expect(doc.paths['/hello/ping'].get).toMatchObject({ operationId: 'hello.listPing', security: [] })
      expect(doc.components.schemas.HelloGreeting).toBeDefined()
    })
  })
}
