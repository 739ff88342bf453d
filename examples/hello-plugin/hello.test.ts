/**
 * The example plugin's own tests: written exactly as a third party would, with the testing entry
 * (`opencontact/testing`), the first-party ticket plugin it depends on (`opencontact/plugins/ticket`)
 * and the plugin's own files only, on both database drivers (PostgreSQL: a fresh database on the
 * server the test run provides). The flows through its API (flows.ts) run here and, unchanged,
 * against a server on Node, Deno and workerd (the conformance suite); the tests below them look
 * at rows and run jobs, which only a platform in process allows.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import hello from './mod.ts'
import { helloFlows } from './flows.ts'

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

  helloFlows(() => tp, { deliver: () => tp.drainEvents() })

  it('creates a greeting and its event in one transaction', async () => {
    const res = await svc.call('/hello/greetings', { body: { name: 'Ada' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'Ada', text: 'Hello, Ada!' })
    const events = await tp.db.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM oc_outbox WHERE type = 'hello.greeted' AND payload ->> 'greetingId' = $1", [res.body.id])
    expect(events).toEqual([{ type: 'hello.greeted', payload: { greetingId: res.body.id, name: 'Ada', text: 'Hello, Ada!' } }])
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
    await tp.db.query("INSERT INTO hello_greetings (org_id, service_id, name, text, created_at) VALUES ($1, $2, 'Old', 'Hello, Old!', now() - interval '400 days')", [svc.orgId, svc.serviceId])
    const [run] = await tp.platform.runJobsNow((key) => key === 'hello:prune-greetings')
    expect(run).toEqual({ key: 'hello:prune-greetings', outcome: 'done', summary: 'pruned 1 greetings' })
    expect(await tp.db.query("SELECT id FROM hello_greetings WHERE name = 'Old'")).toEqual([])
    expect((await svc.call('/hello/greetings?limit=100')).body.greetings.length).toBeGreaterThan(0)
  })
})
