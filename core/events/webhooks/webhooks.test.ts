/**
 * Outgoing web hooks (I5) against a real receiver on loopback: subscriptions over the API with
 * a secret shown once, Standard Webhooks signatures verified by the `standardwebhooks` library
 * and by the README's snippet, retries, the delivery log, dead letters and replays, and the
 * SSRF rules both when a URL is saved and when it is called.
 */
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../../test/support/platform.ts'
import { eventOptions, type Receiver, startReceiver, until } from '../../../test/support/events.ts'
import { relayPlugin } from '../../../test/support/relay-plugin.ts'
import { verifyWebhook } from '../../../test/support/verify-webhook.ts'
import { webhookSigner } from './signing.ts'

const signWebhook = webhookSigner().sign

const api = '/o/hooks/desk/api/v1'

describe.each(DRIVERS)('web hooks on %s', (driver) => {
  let t: TestPlatform
  let receiver: Receiver
  beforeAll(async () => {
    receiver = await startReceiver()
    t = await testPlatform({
      driver,
      plugins: [relayPlugin()],
      ...eventOptions({ outboundAllowlist: ['127.0.0.1'], events: { backoffBaseMs: 30, backoffMaxMs: 200, maxAttempts: 4, webhookTimeoutMs: 400 } }),
    })
    await t.createService('hooks', 'desk', ['relay'])
  })
  afterAll(async () => {
    await t.close()
    await receiver.close()
  })
  // Each test starts with no subscriptions and a receiver that answers 200, whatever the last one left.
  afterEach(async () => {
    for (const s of (await t.call(`${api}/webhooks`)).body.subscriptions) await t.call(`${api}/webhooks/${s.id}`, { method: 'DELETE' })
    receiver.script([])
  })

  const subscribe = async (body: Record<string, unknown>) => {
    const res = await t.call(`${api}/webhooks`, { body: { url: `${receiver.url}/hook`, eventTypes: ['relay.pinged'], ...body } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { id: string; secret: string }
  }
  const emit = async (n: number) => (await t.call<{ ids: string[] }>(`${api}/relay/pings`, { body: { from: n } })).body.ids[0]!
  const callsFor = (eventId: string) => receiver.calls.filter((c) => c.headers['webhook-id'] === eventId)
  const remove = (id: string) => t.call(`${api}/webhooks/${id}`, { method: 'DELETE' })

  it('creates, lists, changes and deletes subscriptions; the secret is shown once and readable by no tenant query', async () => {
    const created = await t.call(`${api}/webhooks`, { body: { url: `${receiver.url}/crud`, eventTypes: ['relay.*'], description: 'CRM sync' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ url: `${receiver.url}/crud`, eventTypes: ['relay.*'], description: 'CRM sync', active: true })
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const { id, secret } = created.body

    const list = await t.call(`${api}/webhooks`)
    expect(list.body.subscriptions.map((s: { id: string }) => s.id)).toContain(id)
    const one = await t.call(`${api}/webhooks/${id}`)
    expect(one.body).not.toHaveProperty('secret')
    const changed = await t.call(`${api}/webhooks/${id}`, { method: 'PATCH', body: { active: false, description: 'paused' } })
    expect(changed.body).toMatchObject({ id, active: false, description: 'paused', eventTypes: ['relay.*'] })
    for (const body of [list.body, one.body, changed.body, (await t.call(`${api}/audit`)).body]) expect(JSON.stringify(body)).not.toContain(secret.slice(6))

    const [service] = await t.db.query<{ id: string; org_id: string }>("SELECT id, org_id FROM oc_services WHERE code = 'desk'")
    await expect(t.db.tenantTransaction({ orgId: service!.org_id, serviceId: service!.id }, (tx) => tx.query('SELECT secret FROM oc_webhook_subscriptions'))).rejects.toThrow(/permission denied/)

    expect((await remove(id)).status).toBe(204)
    expect((await t.call(`${api}/webhooks/${id}`)).status).toBe(404)
    const actions = (await t.call(`${api}/audit?targetType=webhook-subscription`)).body.entries.map((e: { action: string }) => e.action)
    expect(actions).toEqual(['webhook.deleted', 'webhook.updated', 'webhook.created'])
  })

  it('refuses URLs the platform would not call, and unknown event types, naming the field', async () => {
    for (const url of ['http://127.0.0.2/x', 'http://[::1]/x', 'http://[::ffff:10.0.0.1]/x', 'http://169.254.169.254/latest/meta-data', 'http://localhost/x', 'ftp://127.0.0.1/x', 'not a url']) {
      const res = await t.call(`${api}/webhooks`, { body: { url, eventTypes: ['relay.pinged'] } })
      expect(res.status, url).toBe(422)
      expect(res.body.error.issues[0]).toMatchObject({ path: 'body.url', code: 'url_refused' })
    }
    const types = await t.call(`${api}/webhooks`, { body: { url: `${receiver.url}/x`, eventTypes: ['relay.pinged', 'nope.created', 'nope.*'] } })
    expect(types.status).toBe(422)
    expect(types.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.eventTypes.1', 'body.eventTypes.2'])
    const { id } = await subscribe({})
    const patch = await t.call(`${api}/webhooks/${id}`, { method: 'PATCH', body: { url: 'http://10.0.0.1/x' } })
    expect(patch.status).toBe(422)
    expect(patch.body.error.issues[0].path).toBe('body.url')
    await remove(id)
    expect((await t.call(`${api}/webhooks`, { token: null })).status).toBe(401)
  })

  it('signs each delivery so that standardwebhooks and the README snippet verify it, and refuse any change', async () => {
    const { id, secret } = await subscribe({})
    const eventId = await emit(1)
    const [call] = await until('the delivery', () => (callsFor(eventId).length ? callsFor(eventId) : null))
    const headers = new Headers(call!.headers)
    expect(headers.get('webhook-id')).toBe(eventId)
    expect(Math.abs(Number(headers.get('webhook-timestamp')) - Date.now() / 1000)).toBeLessThan(10)
    expect(headers.get('webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
    expect(headers.get('content-type')).toBe('application/json')

    const library = new Webhook(secret)
    const event = library.verify(call!.body, call!.headers) as Record<string, unknown>
    expect(event).toMatchObject({ id: eventId, type: 'relay.pinged', payload: { n: 1 } })
    expect(Object.keys(event)).toEqual(['id', 'type', 'orgId', 'serviceId', 'occurredAt', 'payload'])
    expect(await verifyWebhook(secret, headers, call!.body)).toEqual(event)

    const tampered = {
      body: [call!.body.replace('"n":1', '"n":2'), call!.headers],
      timestamp: [call!.body, { ...call!.headers, 'webhook-timestamp': String(Number(call!.headers['webhook-timestamp']) - 1) }],
      signature: [call!.body, { ...call!.headers, 'webhook-signature': call!.headers['webhook-signature']!.replace(/^v1,./, (m: string) => `v1,${m.at(-1) === 'A' ? 'B' : 'A'}`) }],
      secret: [call!.body, call!.headers, 'whsec_' + btoa('another secret of 24+ bytes!!')],
    } as const
    for (const [what, [body, h, otherSecret]] of Object.entries(tampered)) {
      expect(() => new Webhook(otherSecret ?? secret).verify(body, h), what).toThrow()
      await expect(verifyWebhook(otherSecret ?? secret, new Headers(h), body), what).rejects.toThrow()
    }

    // Stale: a correct signature over a timestamp six minutes old is refused by both.
    const old = Math.floor(Date.now() / 1000) - 360
    const stale = { ...call!.headers, 'webhook-timestamp': String(old), 'webhook-signature': await signWebhook(secret, eventId, old, call!.body) }
    expect(() => library.verify(call!.body, stale)).toThrow(/too old/)
    await expect(verifyWebhook(secret, new Headers(stale), call!.body)).rejects.toThrow(/too old/)
    // The same construction with a fresh timestamp verifies, so the refusal above is the timestamp's.
    const now = Math.floor(Date.now() / 1000)
    expect(library.verify(call!.body, { ...stale, 'webhook-timestamp': String(now), 'webhook-signature': await signWebhook(secret, eventId, now, call!.body) })).toEqual(event)
    await remove(id)
  })

  it('gives every matching subscription its own delivery', async () => {
    const exact = await subscribe({ url: `${receiver.url}/exact` })
    const all = await subscribe({ url: `${receiver.url}/all`, eventTypes: ['*'] })
    const off = await subscribe({ url: `${receiver.url}/off`, active: false })
    const eventId = await emit(2)
    await until('two deliveries', () => callsFor(eventId).length >= 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(callsFor(eventId).map((c) => c.headers['user-agent'])).toHaveLength(2)
    const [row] = await t.db.query<{ subscribers: string[] }>(
      "SELECT array_agg(d.subscriber ORDER BY d.subscriber) AS subscribers FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id WHERE o.event_id = $1 AND d.subscriber LIKE 'webhook:%'",
      [eventId],
    )
    expect(row!.subscribers).toEqual([`webhook:${all.id}`, `webhook:${exact.id}`].sort())
    for (const s of [exact, all, off]) await remove(s.id)
  })

  it('retries a failing receiver with back-off and logs every attempt', async () => {
    const { id } = await subscribe({})
    receiver.script([500, 503, 429])
    const eventId = await emit(3)
    await until('the fourth call', () => callsFor(eventId).length === 4)
    const log = await until('the delivered log', async () => {
      const res = await t.call(`${api}/webhooks/${id}/deliveries`)
      return res.body.deliveries[0]?.state === 'delivered' ? res.body.deliveries[0] : null
    })
    expect(log).toMatchObject({ eventId, eventType: 'relay.pinged', subscriber: `webhook:${id}`, attempts: 4, lastStatusCode: 200, lastError: null })
    expect(log.log.map((a: { statusCode: number; ok: boolean }) => [a.statusCode, a.ok])).toEqual([
      [500, false],
      [503, false],
      [429, false],
      [200, true],
    ])
    expect(log.log[0].error).toBe('HTTP 500: receiver says no (500)')
    expect(log.log.every((a: { durationMs: number }) => a.durationMs >= 0)).toBe(true)
    const times = callsFor(eventId).map((c) => c.at)
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual((30 + 60 + 120) / 2 - 5)
    await remove(id)
  })

  it('parks a delivery that keeps failing, lists it as a dead letter and replays it', async () => {
    const { id } = await subscribe({})
    receiver.script([500, 500, 500, 500])
    const eventId = await emit(4)
    const dead = await until('the dead letter', async () => {
      const res = await t.call(`${api}/events/dead-letters?subscriber=webhook:${id}`)
      return res.body.deadLetters[0] ?? null
    })
    expect(dead).toMatchObject({ eventId, state: 'dead', attempts: 4, lastStatusCode: 500 })
    expect(callsFor(eventId)).toHaveLength(4)

    const replay = await t.call(`${api}/webhooks/${id}/deliveries/${dead.id}/replay`, { method: 'POST' })
    expect(replay.status).toBe(202)
    await until('the replayed delivery', () => callsFor(eventId).length === 5)
    const delivered = await until('delivered', async () => {
      const res = await t.call(`${api}/webhooks/${id}/deliveries`)
      return res.body.deliveries[0]?.state === 'delivered' ? res.body.deliveries[0] : null
    })
    expect(delivered.attempts).toBe(5)
    // Replaying a delivered one sends it again, with the same webhook-id for the receiver to deduplicate.
    expect((await t.call(`${api}/webhooks/${id}/deliveries/${dead.id}/replay`, { method: 'POST' })).status).toBe(202)
    await until('the second replay', () => callsFor(eventId).length === 6)
    expect(new Set(callsFor(eventId).map((c) => c.headers['webhook-id']))).toEqual(new Set([eventId]))
    const other = await subscribe({})
    expect((await t.call(`${api}/webhooks/${other.id}/deliveries/${dead.id}/replay`, { method: 'POST' })).status).toBe(404)
    for (const s of [id, other.id]) await remove(s)
  })

  it('gives up on a slow receiver at the timeout and never follows a redirect', async () => {
    const { id } = await subscribe({})
    const lastDelivery = async () => (await t.call(`${api}/webhooks/${id}/deliveries`)).body.deliveries[0]
    receiver.script([200], 600)
    const slow = await emit(5)
    await until('the slow call', () => callsFor(slow).length === 1)
    receiver.script([])
    const timedOut = await until('delivered after the timeout', async () => ((await lastDelivery())?.state === 'delivered' ? lastDelivery() : null))
    expect(timedOut.log.map((a: { ok: boolean; statusCode: number | null; error: string | null }) => [a.ok, a.statusCode, a.error])).toEqual([
      [false, null, 'no answer within 400 ms'],
      [true, 200, null],
    ])

    receiver.script([302])
    const moved = await emit(6)
    await until('delivered after the redirect', async () => (await lastDelivery())?.eventId === moved && (await lastDelivery())?.state === 'delivered')
    const log = (await lastDelivery()).log
    expect(log[0]).toMatchObject({ ok: false, statusCode: 302 })
    expect(log[0].error).toBe('HTTP 302 redirects are not followed; point the subscription at the final URL (Location: http://169.254.169.254/): receiver says no (302)')
    expect(log[1]).toMatchObject({ ok: true, statusCode: 200 })
    await remove(id)
  })

  it('parks a delivery to a private address at once, whatever was stored', async () => {
    const { id } = await subscribe({})
    // As if saved before the rules (or the allowlist) changed: the check at call time still holds.
    await t.db.query("UPDATE oc_webhook_subscriptions SET url = 'http://10.0.0.1/x' WHERE id = $1", [id])
    const eventId = await emit(7)
    const dead = await until('the refused delivery', async () => {
      const res = await t.call(`${api}/events/dead-letters?subscriber=webhook:${id}`)
      return res.body.deadLetters[0] ?? null
    })
    expect(dead).toMatchObject({ eventId, attempts: 1 })
    expect(dead.lastError).toMatch(/address 10.0.0.1 is private \(10.0.0.0\/8\).*outboundAllowlist/)
    await remove(id)
  })
})
