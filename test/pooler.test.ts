/**
 * Two app instances on one database through PgBouncer 1.18 in transaction mode (two server
 * connections for everyone), as deployments run them: each instance's statements go through the
 * pooler, unnamed and never pipelined outside a transaction; its LISTEN and its migrations go
 * straight to the server (`directUrl`). Many statements at once all get their answers; a
 * ticket written on one instance is read and changed on the other; each event reaches a web
 * hook exactly once with both dispatchers running, woken only by NOTIFY; a sign-out on one
 * instance reaches the other's cache by NOTIFY; and the tenant of a transaction is never seen by
 * the next one to use its server session, though session state does travel between instances.
 * The conformance suite's ticket flow (a trigger run through the outbox included) runs on the
 * second instance, and the `opencontact` command reads the two URLs from its environment.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import ticket from '../plugins/ticket/mod.ts'
import { caller, createTestPlatform, eventually, ok, type TestAgent, type TestPlatform, type TestService, testClient } from '../core/testing.ts'
import type { Db } from '../core/storage/db.ts'
import { postgresDb } from '../core/storage/postgres.ts'
import { freshPostgresUrl } from './support/databases.ts'
import { type Receiver, startReceiver, until } from './support/events.ts'
import { type PgBouncer, startPgBouncer } from './support/pgbouncer.ts'
import { freePort } from './support/pg-cluster.ts'
import { ticketFlowTests } from './conformance/ticket-flow.ts'

const BASE = 'http://opencontact.test'

let bouncer: PgBouncer
let receiver: Receiver
let a: TestPlatform
let b: TestPlatform
const opened: Db[] = []

beforeAll(async () => {
  const directUrl = await freshPostgresUrl()
  bouncer = await startPgBouncer(inject('pgUrl'), { poolSize: 2 })
  receiver = await startReceiver()
  const instance = () => {
    // More client connections per instance than the pooler has server connections in all.
    const db = postgresDb(bouncer.pooled(directUrl), { directUrl, max: 4 })
    opened.push(db)
    // The sweep is an hour away: an instance learns of new events by NOTIFY only.
    return createTestPlatform({ db, plugins: [ticket], outboundAllowlist: ['127.0.0.1'], events: { sweepIntervalMs: 3_600_000 } })
  }
  a = await instance()
  b = await instance()
}, 60_000)

afterAll(async () => {
  for (const t of [a, b]) await t?.platform.stop()
  for (const db of opened) await db.close()
  await receiver?.close()
  await bouncer?.stop()
})

/** The same agent, signed in once, calling the service's API through instance `t`. */
const through = (t: TestPlatform, svc: TestService, agent: TestAgent) => caller(t.fetch, `${BASE}${svc.api}`, agent.token)

describe('the postgres driver through PgBouncer in transaction mode', () => {
  it('answers every statement when each instance sends many at once, in and outside transactions, and none is lost on a session linked to nobody', async () => {
    const statements = (db: Db, from: number) =>
      Array.from({ length: 120 }, (_, i) => {
        const n = from + i
        switch (n % 4) {
          case 0:
            return db.query<{ n: number }>(`SELECT ${n} AS n`)
          case 1:
            return db.query<{ n: number }>('SELECT $1::int AS n', [n])
          case 2:
            return db.transaction((tx) => tx.query<{ n: number }>('SELECT $1::int AS n', [n]))
          default:
            return db.query<{ n: number }>('SELECT $1::int AS n, pg_sleep(0.002)', [n])
        }
      })
    // More at once than each instance has client connections: postgres.js would pipeline them.
    const answers = await Promise.all([...statements(a.db, 0), ...statements(b.db, 1_000)])
    expect(answers.map((rows) => Number(rows[0]!.n))).toEqual([...Array.from({ length: 120 }, (_, i) => i), ...Array.from({ length: 120 }, (_, i) => 1_000 + i)])
    expect(bouncer.log()).not.toMatch(/when not linked|server got dirty/)
  }, 30_000)
})

describe('two instances behind PgBouncer in transaction mode', () => {
  let svc: TestService
  let agent: TestAgent
  beforeAll(async () => {
    svc = await a.service('pool', 'desk', { plugins: ['ticket'], languages: ['ko', 'en'] })
    agent = await svc.agent({ permissions: ['ticket'] })
  })

  it('runs the ticket flow across the instances: created on one, listed, moved and answered on the other, read back on the first', async () => {
    const onA = through(a, svc, agent)
    const onB = through(b, svc, agent)
    const created = await ok(onA('/ticket/tickets', { body: { title: 'Parcel late', content: 'It has not arrived', channel: 'email', requester: { email: 'kim@customer.example', name: 'Kim' } } }), 201)
    expect((await ok(onB('/ticket/tickets'))).tickets.map((t: { id: string }) => t.id)).toContain(created.id)
    expect(await ok(onB(`/ticket/tickets/${created.id}`, { method: 'PATCH', body: { status: 'open' } }))).toMatchObject({ status: 'open' })
    const reply = await ok(onB(`/ticket/tickets/${created.id}/agent-replies`, { body: { content: 'We are on it', status: 'pending' } }), 201)

    expect(await ok(onA(`/ticket/tickets/${created.id}`))).toMatchObject({ id: created.id, status: 'pending', title: 'Parcel late' })
    const { entries } = await ok(onA(`/ticket/tickets/${created.id}/entries`))
    expect(entries.map((e: { id: string; kind: string; content: string }) => [e.id, e.kind, e.content])).toEqual([[reply.id, 'agent-reply', 'We are on it']])
    const { history } = await ok(onA(`/ticket/tickets/${created.id}/history`))
    expect(history.filter((h: { field: string }) => h.field === 'status').map((h: { from: string; to: string }) => [h.from, h.to])).toEqual([['new', 'open'], ['open', 'pending']])
  })

  it('delivers each event to a web hook exactly once with both dispatchers running, woken by NOTIFY over the direct connections', async () => {
    await ok(svc.call('/webhooks', { body: { url: `${receiver.url}/tickets`, eventTypes: ['ticket.created'] } }), 201)
    const onA = through(a, svc, agent)
    const onB = through(b, svc, agent)
    // Written at once on both instances, more requests than the pooler has server connections.
    const made = await Promise.all(
      Array.from({ length: 16 }, (_, i) => ok((i % 2 ? onB : onA)('/ticket/tickets', { body: { title: `Order ${i}`, content: 'Where is it?', channel: 'api' } }), 201)),
    )
    const ids = new Set(made.map((t: { id: string }) => t.id))
    const hooked = () => receiver.calls.filter((c) => ids.has(JSON.parse(c.body).payload.id))
    // The sweep is an hour away: any delivery at all came from a NOTIFY heard on a direct connection.
    await until('every ticket.created delivered', () => hooked().length >= ids.size, 20_000)
    // Give a second delivery of any event the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const eventIds = hooked().map((c) => c.headers['webhook-id'])
    expect(eventIds).toHaveLength(ids.size)
    expect(new Set(eventIds).size).toBe(ids.size)
    const recorded = await a.db.query<{ state: string; attempts: number }>(
      "SELECT d.state, d.attempts FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id WHERE o.payload->>'id' = ANY($1::text[]) AND d.subscriber LIKE 'webhook:%'",
      [[...ids]],
    )
    expect(recorded).toEqual([...ids].map(() => ({ state: 'delivered', attempts: 1 })))
  })

  it("empties the other instance's session cache by NOTIFY: a sign-out on one stops the token on both", async () => {
    const leaving = await svc.agent({ permissions: ['ticket'] })
    const onB = through(b, svc, leaving)
    expect((await onB('/ticket/tickets')).status).toBe(200) // now cached on instance B
    expect((await a.call(`/o/${svc.org}/org/v1/auth/logout`, { body: { refreshToken: leaving.refreshToken }, token: null })).status).toBe(204)
    const refused = await eventually(() => onB('/ticket/tickets'), (answer) => answer.status === 401, 10_000)
    expect(refused.status).toBe(401)
  })

  it('leaves no tenant on a server session after a tenant transaction, though session state travels between the instances', async () => {
    const scope = { orgId: svc.orgId, serviceId: svc.serviceId }
    interface Session {
      pid: number
      org: string | null
      service: string | null
      role: string
    }
    const SESSION = "SELECT pg_backend_pid() AS pid, current_setting('app.org_id', true) AS org, current_setting('app.service_id', true) AS service, current_user::text AS role"
    const seen = new Map<number, Session>()
    for (let round = 0; round < 10; round++) {
      for (const t of [a, b]) {
        const [inside] = await t.db.tenantTransaction(scope, (tx) => tx.query<Session>(SESSION))
        expect(inside).toMatchObject({ org: svc.orgId, service: svc.serviceId, role: 'opencontact_app' })
        for (const after of [...(await a.db.query<Session>(SESSION)), ...(await b.db.query<Session>(SESSION))]) seen.set(after.pid, after)
      }
    }
    // Every statement of both instances ran on the pooler's two server sessions, and no tenant stayed on either.
    expect(seen.size).toBeLessThanOrEqual(2)
    for (const session of seen.values()) expect({ org: session.org || null, service: session.service || null, role: session.role }).toEqual({ org: null, service: null, role: 'postgres' })

    // What would leak does: a session-level setting made on A is read on B from the same server session.
    const [made] = await a.db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, set_config('oc_probe.left_by', 'instance a', false)")
    const there = await until('instance B on the server session instance A used', async () => {
      const [row] = await b.db.query<{ pid: number; value: string | null }>("SELECT pg_backend_pid() AS pid, current_setting('oc_probe.left_by', true) AS value")
      return row!.pid === made!.pid && row
    })
    expect(there.value).toBe('instance a')
  })
})

describe('the ticket flow through PgBouncer, on the second instance', () => {
  let desk: TestService
  beforeAll(async () => {
    desk = await testClient({ fetch: b.fetch, operatorToken: b.operatorToken }).service('pool-flow', 'desk', { name: 'Help desk', languages: ['ko', 'en'], plugins: ['ticket'] })
  })
  ticketFlowTests(() => desk)
})

describe('the opencontact command behind PgBouncer', () => {
  it('reads DATABASE_DIRECT_URL: migrations go to the server itself, the other commands through the pooler', async () => {
    const directUrl = await freshPostgresUrl()
    const cli = (databaseUrl: string, ...args: string[]) =>
      promisify(execFile)(process.execPath, ['cli/bin.js', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_DIRECT_URL: directUrl, OC_LOG_LEVEL: 'silent' } })
    // Nothing listens at this DATABASE_URL: migrations that succeed went to the direct URL.
    const nowhere = new URL(bouncer.pooled(directUrl))
    nowhere.port = String(await freePort())
    expect((await cli(nowhere.toString(), 'migrate')).stdout).toMatch(/applied \d+ migrations/)
    expect((await cli(bouncer.pooled(directUrl), 'org', 'create', 'acme', '--name', 'Acme')).stdout).toContain('created organization acme')
  })
})
