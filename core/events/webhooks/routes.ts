/**
 * Web hook subscriptions over the API (I5), for a service's administrators: create (the
 * signing secret is in that answer and never again), list, read, change, delete; each
 * subscription's delivery log, and replay of one delivery. URLs are checked against the
 * outbound rules when saved, so an address the platform would refuse is refused here, naming
 * `body.url`. Changes are audited without the secret. Internal event types (declared
 * `internal: true`) are not subscribable: naming one is 422, and the list of subscribable types
 * (`GET /webhooks/event-types`) leaves them out.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import type { PlatformContext } from '../../api/context.ts'
import type { Queryable } from '../../storage/db.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors, type FieldIssue, OcError } from '../../http/errors.ts'
import type { OutboundGuard } from '../../http/outbound.ts'
import { recordAudit, requestActor } from '../../audit/record.ts'
import type { EventCatalogue } from '../outbox.ts'
import { DeliveryIdParam, DeliveryListQuery, EventDelivery, listDeliveries, replayDelivery } from '../delivery-api.ts'
import { WEBHOOK_KEY_PREFIX } from './channel.ts'
import { newWebhookSecret } from './signing.ts'

const tags = ['Web hooks']
const access = { role: 'admin' } as const

const EventTypePattern = z.string().min(1).max(200).openapi({ description: 'An event type, `*` for every type, or `<prefix>.*` (e.g. `ticket.*`)', example: 'ticket.created' })

const WebhookSubscription = z
  .object({
    id: z.string().uuid(),
    url: z.string().openapi({ example: 'https://example.com/hooks/opencontact' }),
    eventTypes: z.array(z.string()),
    description: z.string(),
    active: z.boolean().openapi({ description: 'Whether events are delivered to it (an inactive subscription is kept, with its log)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookSubscription')

const WebhookSubscriptionCreated = WebhookSubscription.extend({
  secret: z.string().openapi({
    description: 'The signing secret (Standard Webhooks). Shown in this answer only: store it now; it cannot be read again.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookSubscriptionCreated')

const WebhookCreate = z
  .strictObject({
    url: z.string().max(2000).openapi({ description: 'http(s) URL the events are POSTed to; private and loopback addresses are refused unless the operator allows them' }),
    eventTypes: z.array(EventTypePattern).min(1).max(100),
    description: z.string().max(500).default(''),
    active: z.boolean().default(true),
  })
  .openapi('WebhookCreate')

const WebhookUpdate = z
  .strictObject({
    url: WebhookCreate.shape.url.optional(),
    eventTypes: WebhookCreate.shape.eventTypes.optional(),
    description: z.string().max(500).optional(),
    active: z.boolean().optional(),
  })
  .openapi('WebhookUpdate')

const IdParam = z.object({ id: z.string().uuid('a web hook subscription id is a UUID').openapi({ param: { name: 'id', in: 'path' } }) })

const routes = {
  create: route({
    method: 'post',
    path: '/webhooks',
    tags,
    access,
    summary: 'Subscribe a URL to events',
    description: 'The answer holds the signing secret, shown only once.',
    request: jsonBody(WebhookCreate),
    responses: { 201: json(WebhookSubscriptionCreated, 'Subscribed'), ...commonErrors },
  }),
  eventTypes: route({
    method: 'get',
    path: '/webhooks/event-types',
    tags,
    access,
    summary: 'Event types a web hook may subscribe to',
    description: "Every type an installed plugin or core area declares, except internal ones (the platform's own work items, never sent to web hooks). Patterns `*` and `<prefix>.*` match among these only.",
    responses: { 200: json(z.object({ eventTypes: z.array(z.string()) }).openapi('WebhookEventTypes'), 'Subscribable types, sorted'), ...commonErrors },
  }),
  list: route({ method: 'get', path: '/webhooks', tags, access, summary: 'Web hook subscriptions of this service', responses: { 200: json(z.object({ subscriptions: z.array(WebhookSubscription) }), 'Subscriptions'), ...commonErrors } }),
  get: route({ method: 'get', path: '/webhooks/{id}', tags, access, summary: 'One subscription', request: { params: IdParam }, responses: { 200: json(WebhookSubscription, 'The subscription'), ...commonErrors } }),
  update: route({
    method: 'patch',
    path: '/webhooks/{id}',
    tags,
    access,
    summary: 'Change a subscription',
    description: 'Fields left out keep their value; the secret stays the same.',
    request: { params: IdParam, ...jsonBody(WebhookUpdate) },
    responses: { 200: json(WebhookSubscription, 'Changed'), ...commonErrors },
  }),
  delete: route({
    method: 'delete',
    path: '/webhooks/{id}',
    tags,
    access,
    summary: 'Delete a subscription and its delivery log',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  deliveries: route({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    tags,
    access,
    summary: "A subscription's deliveries, newest first, with their attempts",
    request: { params: IdParam, query: DeliveryListQuery },
    responses: { 200: json(z.object({ deliveries: z.array(EventDelivery), nextCursor: z.string().nullable() }).openapi('WebhookDeliveryPage'), 'Deliveries'), ...commonErrors },
  }),
  replay: route({
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/replay',
    tags,
    access,
    summary: 'Send a delivery again',
    description: 'For a delivered or dead delivery: it is sent again at once, with the same `webhook-id`, and retried as usual.',
    request: { params: IdParam.extend(DeliveryIdParam.shape) },
    responses: { 202: json(EventDelivery, 'Queued again'), 409: json(ErrorBody, 'The delivery is still pending'), ...commonErrors },
  }),
}

interface SubscriptionRow {
  id: string
  url: string
  event_types: string[]
  description: string
  enabled: boolean
  created_at: Date
  updated_at: Date
}

// Never `*`: the secret column is not readable by tenant transactions, by design.
const COLUMNS = 'id, url, event_types, description, enabled, created_at, updated_at'

const view = (r: SubscriptionRow): z.infer<typeof WebhookSubscription> => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  description: r.description,
  // The column predates the API's one word for "in use" (`active`, README: API vocabulary).
  active: r.enabled,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
})

/** The types a web hook may subscribe to: every declared one but the internal ones. */
const subscribable = (catalogue: EventCatalogue, internal: ReadonlySet<string>) => [...catalogue.keys()].filter((type) => !internal.has(type)).sort()

/** Event type patterns must name something an installed plugin or core area declares, and not an internal type. */
function checkEventTypes(patterns: readonly string[], catalogue: EventCatalogue, internal: ReadonlySet<string>): FieldIssue[] {
  const types = subscribable(catalogue, internal)
  return patterns.flatMap((pattern, i): FieldIssue[] => {
    if (internal.has(pattern)) {
      return [{ path: `body.eventTypes.${i}`, message: `'${pattern}' is an internal event type, never delivered to web hooks; subscribe to one of GET /webhooks/event-types`, code: 'internal_event_type' }]
    }
    if (pattern === '*' || types.includes(pattern)) return []
    if (pattern.endsWith('.*') && types.some((t) => t.startsWith(pattern.slice(0, -1)))) return []
    return [{ path: `body.eventTypes.${i}`, message: `no installed plugin or core area declares '${pattern}'; use a declared type, '*', or '<prefix>.*'`, code: 'unknown_event_type' }]
  })
}

async function checkUrl(guard: OutboundGuard, url: string): Promise<FieldIssue[]> {
  try {
    await guard.check(url)
    return []
  } catch (error) {
    if (error instanceof OcError && error.status === 422) return [{ path: 'body.url', message: error.message, code: 'url_refused' }]
    throw error
  }
}

async function readSubscription(tx: Queryable, id: string): Promise<SubscriptionRow> {
  const [row] = await tx.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM oc_webhook_subscriptions WHERE id = $1::uuid`, [id])
  if (!row) throw errors.notFound(`web hook subscription ${id}`)
  return row
}

export function registerWebhookRoutes(app: PluginApp, deps: { catalogue: EventCatalogue; internal: ReadonlySet<string>; guard: OutboundGuard; wake: () => void }): void {
  const checkInput = async (input: { url?: string; eventTypes?: readonly string[] }) => {
    const issues = [...(input.url === undefined ? [] : await checkUrl(deps.guard, input.url)), ...(input.eventTypes ? checkEventTypes(input.eventTypes, deps.catalogue, deps.internal) : [])]
    if (issues.length) throw errors.invalid(issues)
  }
  const audit = (c: PlatformContext, tx: Queryable, action: string, id: string, before?: unknown, after?: unknown) =>
    recordAudit(tx, requestActor(c), { action, target: { type: 'webhook-subscription', id }, before, after })

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    await checkInput(input)
    const secret = newWebhookSecret()
    const created = await c.var.db.tx(async (tx) => {
      const [row] = await tx.query<SubscriptionRow>(
        `INSERT INTO oc_webhook_subscriptions (url, event_types, description, enabled, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [input.url, input.eventTypes, input.description, input.active, secret],
      )
      const subscription = view(row!)
      await audit(c, tx, 'webhook.created', subscription.id, undefined, subscription)
      return subscription
    })
    return c.json({ ...created, secret }, 201)
  })

  app.openapi(routes.list, async (c) => {
    const rows = await c.var.db.tx((tx) => tx.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM oc_webhook_subscriptions ORDER BY created_at, id`))
    return c.json({ subscriptions: rows.map(view) }, 200)
  })

  app.openapi(routes.eventTypes, (c) => c.json({ eventTypes: subscribable(deps.catalogue, deps.internal) }, 200))

  app.openapi(routes.get, async (c) => c.json(view(await c.var.db.tx((tx) => readSubscription(tx, c.req.valid('param').id))), 200))

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    await checkInput(input)
    const updated = await c.var.db.tx(async (tx) => {
      const before = view(await readSubscription(tx, id))
      const [row] = await tx.query<SubscriptionRow>(
        `UPDATE oc_webhook_subscriptions SET url = $2, event_types = $3, description = $4, enabled = $5, updated_at = now() WHERE id = $1::uuid RETURNING ${COLUMNS}`,
        [id, input.url ?? before.url, input.eventTypes ?? before.eventTypes, input.description ?? before.description, input.active ?? before.active],
      )
      const after = view(row!)
      await audit(c, tx, 'webhook.updated', id, before, after)
      return after
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.delete, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = view(await readSubscription(tx, id))
      await tx.query('DELETE FROM oc_webhook_subscriptions WHERE id = $1::uuid', [id])
      // Its deliveries go too: nothing can be delivered or replayed without the subscription.
      await tx.query('DELETE FROM oc_event_deliveries WHERE subscriber = $1', [WEBHOOK_KEY_PREFIX + id])
      await audit(c, tx, 'webhook.deleted', id, before)
    })
    return c.body(null, 204)
  })

  app.openapi(routes.deliveries, async (c) => {
    const { id } = c.req.valid('param')
    const page = await c.var.db.tx(async (tx) => {
      await readSubscription(tx, id)
      return listDeliveries(tx, { subscriber: WEBHOOK_KEY_PREFIX + id }, c.req.valid('query'))
    })
    return c.json(page, 200)
  })

  app.openapi(routes.replay, async (c) => {
    const { id, deliveryId } = c.req.valid('param')
    const replayed = await c.var.db.tx(async (tx) => {
      await readSubscription(tx, id)
      const { before, after } = await replayDelivery(tx, deliveryId, { from: ['dead', 'delivered'], subscriber: WEBHOOK_KEY_PREFIX + id, what: `delivery of web hook ${id}` })
      await recordAudit(tx, requestActor(c), {
        action: 'event-delivery.replayed',
        target: { type: 'event-delivery', id: deliveryId },
        before: { state: before.state, subscriber: before.subscriber, eventId: before.eventId, attempts: before.attempts, lastError: before.lastError },
        after: { state: after.state },
      })
      return after
    })
    deps.wake()
    return c.json(replayed, 202)
  })
}
