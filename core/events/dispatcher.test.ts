/**
 * The event dispatcher (C7) on both drivers: every matching subscriber gets each event, failures
 * are retried with back-off, what keeps failing becomes a dead letter that admins list and
 * replay, and one bad event holds up nothing else. On PostgreSQL, several instances share the work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS, freshPostgresUrl } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { eventOptions, until } from '../../test/support/events.ts'
import { createProbe, relayPlugin, type RelayProbe } from '../../test/support/relay-plugin.ts'
import { postgresDb } from '../storage/postgres.ts'
import { retryDelayMs } from './backoff.ts'

const api = '/o/ev/desk/api/v1'

interface DeliveryRow {
  subscriber: string
  state: string
  attempts: number
}

describe('retryDelayMs', () => {
  it('doubles from the base, stays within half to all of it, and stops at the cap', () => {
    const backoff = { baseMs: 1_000, maxMs: 10_000 }
    expect(retryDelayMs(1, backoff, () => 0)).toBe(500)
    expect(retryDelayMs(1, backoff, () => 1)).toBe(1_000)
    expect(retryDelayMs(3, backoff, () => 0)).toBe(2_000)
    expect(retryDelayMs(3, backoff, () => 1)).toBe(4_000)
    expect(retryDelayMs(10, backoff, () => 1)).toBe(10_000)
    expect(retryDelayMs(500, backoff, () => 0.5)).toBe(7_500)
  })
})

describe.each(DRIVERS)('event dispatcher on %s', (driver) => {
  describe('drained step by step', () => {
    let t: TestPlatform
    let probe: RelayProbe
    beforeAll(async () => {
      probe = createProbe()
      // No background work: each test drains explicitly, so what happened when is certain.
      t = await testPlatform({ driver, plugins: [relayPlugin(probe)], ...eventOptions({ events: { background: false, maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 1, leaseMs: 300 } }) })
      await t.createService('ev', 'desk', ['relay'])
      await t.createService('ev', 'other', [])
    })
    afterAll(() => t.close())
    const drain = () => t.platform.drainEvents()
    const emit = async (body: Record<string, unknown>) => (await t.call<{ ids: string[] }>(`${api}/relay/pings`, { body })).body.ids
    const deliveries = (eventId: string) =>
      t.db.query<DeliveryRow>('SELECT d.subscriber, d.state, d.attempts FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id WHERE o.event_id = $1 ORDER BY d.subscriber', [eventId])

    it('delivers each event to every matching subscriber and records one delivery per (event, subscriber)', async () => {
      const ids = await emit({ count: 5, from: 100 })
      expect(await drain()).toBe(10)
      expect(probe.recorded.filter((e) => ids.includes(e.id)).map((e) => e.payload.n)).toEqual([100, 101, 102, 103, 104])
      const envelope = probe.recorded.find((e) => e.id === ids[0])!
      const [service] = await t.db.query<{ id: string; org_id: string }>("SELECT id, org_id FROM oc_services WHERE code = 'desk'")
      expect(envelope).toMatchObject({ id: ids[0], type: 'relay.pinged', orgId: service!.org_id, serviceId: service!.id, payload: { n: 100, failTimes: 0 } })
      expect(new Date(envelope.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
      expect(await deliveries(ids[0]!)).toEqual([
        { subscriber: 'relay:flaky', state: 'delivered', attempts: 1 },
        { subscriber: 'relay:record', state: 'delivered', attempts: 1 },
      ])
      expect(await drain()).toBe(0)
    })

    it("skips plugin subscribers where the plugin is not contracted for the event's service", async () => {
      const [other] = await t.db.query<{ id: string; org_id: string }>("SELECT id, org_id FROM oc_services WHERE code = 'other'")
      const [row] = await t.db.query<{ event_id: string }>(`INSERT INTO oc_outbox (org_id, service_id, type, payload) VALUES ($1, $2, 'relay.pinged', '{"n": 1}') RETURNING event_id`, [other!.org_id, other!.id])
      expect(await drain()).toBe(0)
      expect(await deliveries(row!.event_id)).toEqual([])
      expect((await t.db.query<{ fanned: boolean }>('SELECT fanned_out_at IS NOT NULL AS fanned FROM oc_outbox WHERE event_id = $1', [row!.event_id]))[0]!.fanned).toBe(true)
    })

    it('retries a failing subscriber and records every attempt', async () => {
      const [id] = await emit({ ping: { failTimes: 2 } })
      await drain() // attempt 1 fails; the retry is due after the (1 ms) back-off
      await new Promise((resolve) => setTimeout(resolve, 5))
      await drain()
      await new Promise((resolve) => setTimeout(resolve, 5))
      await drain()
      expect(await deliveries(id!)).toEqual([
        { subscriber: 'relay:flaky', state: 'delivered', attempts: 3 },
        { subscriber: 'relay:record', state: 'delivered', attempts: 1 },
      ])
      const log = await t.db.query<{ attempt: number; ok: boolean; error: string | null }>(
        "SELECT a.attempt, a.ok, a.error FROM oc_delivery_attempts a JOIN oc_event_deliveries d ON d.id = a.delivery_id JOIN oc_outbox o ON o.id = d.outbox_id WHERE o.event_id = $1 AND d.subscriber = 'relay:flaky' ORDER BY a.attempt",
        [id],
      )
      expect(log).toEqual([
        { attempt: 1, ok: false, error: 'failing attempt 1 of 2' },
        { attempt: 2, ok: false, error: 'failing attempt 2 of 2' },
        { attempt: 3, ok: true, error: null },
      ])
    })

    it('parks a poison event as a dead letter while the events after it are delivered', async () => {
      const [poison] = await emit({ from: 1, ping: { poison: true } })
      const healthy = await emit({ count: 3, from: 2 })
      for (let i = 0; i < 4; i++) {
        await drain()
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      expect(await deliveries(poison!)).toEqual([
        { subscriber: 'relay:flaky', state: 'dead', attempts: 3 },
        { subscriber: 'relay:record', state: 'delivered', attempts: 1 },
      ])
      for (const id of healthy) expect((await deliveries(id)).map((d) => d.state)).toEqual(['delivered', 'delivered'])
      expect(probe.flakyAttempts.get(poison!)).toBe(3)
    })

    it('lists dead letters for admins and replays one through the API, audited', async () => {
      const list = await t.call(`${api}/events/dead-letters`)
      expect(list.status).toBe(200)
      const dead = list.body.deadLetters.find((d: { subscriber: string; eventType: string }) => d.subscriber === 'relay:flaky')
      expect(dead).toMatchObject({ eventType: 'relay.pinged', state: 'dead', attempts: 3, lastError: 'event 1 is poison', nextAttemptAt: null })
      expect(dead.log.map((a: { attempt: number; ok: boolean }) => [a.attempt, a.ok])).toEqual([
        [1, false],
        [2, false],
        [3, false],
      ])
      expect((await t.call(`${api}/events/dead-letters?subscriber=relay:record`)).body.deadLetters).toEqual([])

      probe.cured.add(dead.eventId)
      const replay = await t.call(`${api}/events/dead-letters/${dead.id}/replay`, { method: 'POST' })
      expect(replay.status).toBe(202)
      expect(replay.body).toMatchObject({ id: dead.id, state: 'pending', lastError: null })
      expect(await drain()).toBe(1)
      expect((await t.call(`${api}/events/dead-letters`)).body.deadLetters).toEqual([])
      expect(await deliveries(dead.eventId)).toContainEqual({ subscriber: 'relay:flaky', state: 'delivered', attempts: 4 })

      const audit = await t.call(`${api}/audit?action=event-delivery.replayed`)
      expect(audit.body.entries[0]).toMatchObject({
        actor: { type: 'operator' },
        target: { type: 'event-delivery', id: dead.id },
        before: { state: 'dead', subscriber: 'relay:flaky', attempts: 3, lastError: 'event 1 is poison' },
        after: { state: 'pending' },
      })

      const again = await t.call(`${api}/events/dead-letters/${dead.id}/replay`, { method: 'POST' })
      expect(again.status).toBe(409)
      expect(again.body.error.message).toMatch(/is delivered; only dead deliveries can be replayed/)
      expect((await t.call(`${api}/events/dead-letters/999999/replay`, { method: 'POST' })).status).toBe(404)
      expect((await t.call(`${api}/events/dead-letters/x1/replay`, { method: 'POST' })).body.error.issues[0].path).toBe('path.deliveryId')
      expect((await t.call(`${api}/events/dead-letters`, { token: null })).status).toBe(401)
    })

    it('gives up on a subscriber that does not finish within the lease, freeing its slot', async () => {
      const [stuck] = await emit({ ping: { hang: true } })
      const [fine] = await emit({ from: 7 })
      const started = Date.now()
      for (let i = 0; i < 3; i++) await drain()
      expect(Date.now() - started).toBeLessThan(5_000)
      const record = (await deliveries(stuck!)).find((d) => d.subscriber === 'relay:record')!
      expect(record.state).toBe('dead')
      const [last] = await t.db.query<{ last_error: string }>("SELECT last_error FROM oc_event_deliveries WHERE subscriber = 'relay:record' AND state = 'dead'")
      expect(last!.last_error).toMatch(/did not finish within its lease of 300 ms \(leaseMs\)/)
      expect((await deliveries(fine!)).map((d) => d.state)).toEqual(['delivered', 'delivered'])
    })
  })

  describe('in the background', () => {
    let t: TestPlatform
    let probe: RelayProbe
    beforeAll(async () => {
      probe = createProbe()
      // The sweep is an hour away: only notifications (and this instance's retry timers) can wake it.
      t = await testPlatform({ driver, plugins: [relayPlugin(probe)], ...eventOptions({ events: { sweepIntervalMs: 3_600_000, backoffBaseMs: 40, maxAttempts: 5 } }) })
      await t.createService('ev', 'desk', ['relay'])
    })
    afterAll(() => t.close())

    it('is woken by NOTIFY and retries with growing back-off until the subscriber succeeds', async () => {
      const { ids } = (await t.call<{ ids: string[] }>(`${api}/relay/pings`, { body: { ping: { failTimes: 3 } } })).body
      // The sweep is an hour away: a delivery at all means NOTIFY woke the dispatcher, and the
      // retries that follow came from its back-off timers.
      await until('the first delivery', () => probe.recorded.some((e) => e.id === ids[0]), 10_000, 5)
      await until('the flaky subscriber to succeed', () => probe.flakyAttempts.get(ids[0]!) === 4, 10_000)
      const attempts = await until('four recorded attempts', async () => {
        const rows = await t.db.query<{ started_at: Date; ok: boolean }>(
          "SELECT a.started_at, a.ok FROM oc_delivery_attempts a JOIN oc_event_deliveries d ON d.id = a.delivery_id WHERE d.subscriber = 'relay:flaky' ORDER BY a.attempt",
        )
        return rows.length === 4 ? rows : null
      })
      expect(attempts.map((a) => a.ok)).toEqual([false, false, false, true])
      const gaps = attempts.slice(1).map((a, i) => new Date(a.started_at).getTime() - new Date(attempts[i]!.started_at).getTime())
      // Waits are half to all of 40, 80, 160 ms (plus the time to record and claim).
      expect(gaps[0]).toBeGreaterThanOrEqual(20 - 2)
      expect(gaps[1]).toBeGreaterThanOrEqual(40 - 2)
      expect(gaps[2]).toBeGreaterThanOrEqual(80 - 2)
    })

    // Last: it stops the platform.
    it('waits for deliveries in flight when the platform stops', async () => {
      const { ids } = (await t.call<{ ids: string[] }>(`${api}/relay/pings`, { body: { ping: { delayMs: 300 } } })).body
      await until('the slow delivery to start', () => probe.started.has(ids[0]!))
      await t.platform.stop()
      expect(probe.recorded.map((e) => e.id)).toContain(ids[0])
      const rows = await t.db.query<DeliveryRow>(
        "SELECT d.subscriber, d.state, d.attempts FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id WHERE o.event_id = $1 AND d.subscriber = 'relay:record'",
        [ids[0]],
      )
      expect(rows).toEqual([{ subscriber: 'relay:record', state: 'delivered', attempts: 1 }])
    })
  })
})

describe('event dispatcher on postgres, several instances', () => {
  it('shares the work over one database and delivers each event once', async () => {
    const url = await freshPostgresUrl()
    const probes = [createProbe(), createProbe(), createProbe()]
    const instances: TestPlatform[] = []
    try {
      for (const probe of probes) instances.push(await testPlatform({ db: postgresDb(url), plugins: [relayPlugin(probe)], ...eventOptions({ events: { batchSize: 10, concurrency: 8 } }) }))
      await instances[0]!.createService('ev', 'desk', ['relay'])
      const writes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => instances[i % 3]!.call<{ ids: string[] }>(`${api}/relay/pings`, { body: { count: 30, from: i * 30, ping: { delayMs: 2 } } })),
      )
      const ids = writes.flatMap((w) => w.body.ids)
      expect(ids).toHaveLength(300)
      await until('every event recorded', () => probes.reduce((n, p) => n + p.recorded.length, 0) >= 300, 20_000)
      await until('every delivery recorded', async () => {
        const [row] = await instances[0]!.db.query<{ n: string | number }>("SELECT count(*) AS n FROM oc_event_deliveries WHERE state = 'delivered'")
        return Number(row!.n) === 600
      })
      const seen = probes.flatMap((p) => p.recorded.map((e) => e.id))
      expect(new Set(seen).size).toBe(300)
      expect(seen).toHaveLength(300) // no event ran twice: leases kept instances apart
      expect(probes.filter((p) => p.recorded.length > 0).length).toBeGreaterThanOrEqual(2)
    } finally {
      for (const t of instances) await t.platform.stop()
      for (const t of instances) await t.db.close()
    }
  })
})
