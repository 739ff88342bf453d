/**
 * `ticket.trigger-effect` is internal (it carries the saved result: callback and Dooray! URLs
 * with their tokens, plugin-action parameters): web hooks subscribed to `*` or `ticket.*` get
 * `ticket.created` but never an effect, naming it in a subscription is 422, and the list of
 * subscribable types leaves it out; the effect itself still runs (the callback is called).
 * On both drivers, with a real receiver on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { startReceiver, type Receiver } from '../../../test/support/events.ts'
import { ok } from '../test-support.ts'
import { triggerBed, type TriggerBed } from './test-bed.ts'

describe.each(DRIVERS)('internal trigger effects and web hooks on %s', (driver) => {
  let bed: TriggerBed
  let receiver: Receiver
  beforeAll(async () => {
    bed = await triggerBed(driver, 'trig-internal')
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await receiver.close()
    await bed.close()
  })

  it('delivers ticket.created to `*` and `ticket.*` subscriptions, never a trigger effect', async () => {
    const star = await ok(bed.call(`${bed.api}/webhooks`, { body: { url: `${receiver.url}/star`, eventTypes: ['*'] } }), 201)
    const prefix = await ok(bed.call(`${bed.api}/webhooks`, { body: { url: `${receiver.url}/ticket`, eventTypes: ['ticket.*'] } }), 201)
    await ok(bed.call(`${bed.api}/ticket/triggers`, { body: { title: 'call out', conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }] }, results: [{ type: 'callback', url: `${receiver.url}/callback?token=s3cret` }] } }), 201)
    const ticket = await bed.createTicket({ title: 'hello', requester: { email: 'kim@customer.example' } })
    await bed.settle()

    // The effect ran (its event exists and the callback was called)…
    const effects = await bed.t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM oc_outbox WHERE type = 'ticket.trigger-effect'")
    expect(effects[0]!.n).toBeGreaterThan(0)
    const callbacks = receiver.calls.filter((c) => JSON.parse(c.body).effectId)
    expect(callbacks.length).toBe(1)
    // …but no web hook received it, while both received the ticket's creation.
    const hooks = receiver.calls.filter((c) => c.headers['webhook-id']).map((c) => JSON.parse(c.body) as { type: string; payload: { id?: string } })
    expect(hooks.some((h) => h.type === 'ticket.trigger-effect')).toBe(false)
    expect(receiver.calls.some((c) => c.headers['webhook-id'] && c.body.includes('s3cret'))).toBe(false)
    expect(hooks.filter((h) => h.type === 'ticket.created' && h.payload.id === ticket.id).length).toBe(2)
    for (const hook of [star, prefix]) {
      const { deliveries } = await ok(bed.call(`${bed.api}/webhooks/${hook.id}/deliveries`))
      expect(deliveries.map((d: { eventType: string }) => d.eventType)).not.toContain('ticket.trigger-effect')
    }
  })

  it('refuses a subscription naming the internal type (422 naming the field) and leaves it out of the subscribable types', async () => {
    const res = await bed.call(`${bed.api}/webhooks`, { body: { url: `${receiver.url}/x`, eventTypes: ['ticket.created', 'ticket.trigger-effect'] } })
    expect(res.status).toBe(422)
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'body.eventTypes.1', code: 'internal_event_type' })])
    const listed = await ok(bed.call(`${bed.api}/webhooks/event-types`))
    expect(listed.eventTypes).toContain('ticket.created')
    expect(listed.eventTypes).not.toContain('ticket.trigger-effect')
    // A pattern matching only internal types matches nothing subscribable.
    const effectOnly = await bed.call(`${bed.api}/webhooks`, { body: { url: `${receiver.url}/x`, eventTypes: ['ticket.trigger-effect.*'] } })
    expect(effectOnly.status).toBe(422)
  })
})
