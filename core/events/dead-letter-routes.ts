/**
 * Dead letters over the API (C7): deliveries the dispatcher gave up on, listed for a service's
 * administrators and replayed one at a time once the cause is fixed. Replays are audited.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../plugin/app.ts'
import { route } from '../plugin/app.ts'
import { commonErrors, ErrorBody, json } from '../http/schemas.ts'
import { recordAudit, requestActor } from '../audit/record.ts'
import { DeliveryIdParam, DeliveryListQuery, EventDelivery, listDeliveries, replayDelivery } from './delivery-api.ts'

const tags = ['Events']
const access = { role: 'admin' } as const

const DeadLetterQuery = DeliveryListQuery.extend({
  subscriber: z.string().max(200).optional().openapi({ description: 'Only this subscriber, e.g. `ticket:run-triggers` or `webhook:<id>`' }),
})

const routes = {
  list: route({
    method: 'get',
    path: '/events/dead-letters',
    tags,
    access,
    summary: 'Deliveries that failed every attempt',
    description: 'Newest first. Each carries its latest attempts with their errors.',
    request: { query: DeadLetterQuery },
    responses: { 200: json(z.object({ deadLetters: z.array(EventDelivery), nextCursor: z.string().nullable() }).openapi('DeadLetterPage'), 'Dead letters'), ...commonErrors },
  }),
  replay: route({
    method: 'post',
    path: '/events/dead-letters/{deliveryId}/replay',
    tags,
    access,
    summary: 'Deliver a dead letter again',
    description: 'The delivery becomes pending with a fresh retry budget and is attempted at once.',
    request: { params: DeliveryIdParam },
    responses: { 202: json(EventDelivery, 'Queued again'), 409: json(ErrorBody, 'The delivery is not dead'), ...commonErrors },
  }),
}

export function registerDeadLetterRoutes(app: PluginApp, wake: () => void): void {
  app.openapi(routes.list, async (c) => {
    const { subscriber, ...page } = c.req.valid('query')
    const { deliveries, nextCursor } = await c.var.db.tx((tx) => listDeliveries(tx, { state: 'dead', subscriber }, page))
    return c.json({ deadLetters: deliveries, nextCursor }, 200)
  })

  app.openapi(routes.replay, async (c) => {
    const { deliveryId } = c.req.valid('param')
    const replayed = await c.var.db.tx(async (tx) => {
      const { before, after } = await replayDelivery(tx, deliveryId, { from: ['dead'], what: 'dead letter' })
      await recordAudit(tx, requestActor(c), {
        action: 'event-delivery.replayed',
        target: { type: 'event-delivery', id: deliveryId },
        before: { state: before.state, subscriber: before.subscriber, eventId: before.eventId, attempts: before.attempts, lastError: before.lastError },
        after: { state: after.state },
      })
      return after
    })
    wake()
    return c.json(replayed, 202)
  })
}
