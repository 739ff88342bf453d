/**
 * Deliveries as the API shows them (dead letters, a web hook's delivery log) and replays.
 * Everything here runs in the caller's tenant transaction, so row-level security keeps each
 * service to its own deliveries.
 */
import { z } from '@hono/zod-openapi'
import type { Queryable } from '../storage/db.ts'
import { errors } from '../http/errors.ts'
import { decodeIdCursor, encodeIdCursor } from '../http/cursor.ts'

/** Attempts shown per delivery. */
const LOG_LENGTH = 20

export const DeliveryAttempt = z
  .object({
    attempt: z.number().int(),
    at: z.string().openapi({ description: 'When the attempt started (ISO 8601)' }),
    durationMs: z.number().int(),
    ok: z.boolean(),
    statusCode: z.number().int().nullable().openapi({ description: 'The HTTP status a web hook receiver answered, if it answered' }),
    error: z.string().nullable(),
  })
  .openapi('DeliveryAttempt')

export const EventDelivery = z
  .object({
    id: z.string().openapi({ example: '42' }),
    eventId: z.string().openapi({ description: 'The event id; web hooks send it as `webhook-id`' }),
    eventType: z.string().openapi({ example: 'ticket.created' }),
    subscriber: z.string().openapi({ description: '`<plugin or area>:<subscriber id>`, or `webhook:<subscription id>`', example: 'ticket:run-triggers' }),
    state: z.enum(['pending', 'delivered', 'dead']).openapi({ description: '`dead`: gave up after the last attempt; replay it once the cause is fixed' }),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable().openapi({ description: 'While pending: when it is tried (again)' }),
    lastError: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    occurredAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().nullable(),
    log: z.array(DeliveryAttempt).openapi({ description: `The latest attempts, oldest first (at most ${LOG_LENGTH})` }),
  })
  .openapi('EventDelivery')
export type EventDelivery = z.infer<typeof EventDelivery>

export const DeliveryListQuery = z.object({
  cursor: z.string().max(40).optional().openapi({ description: '`nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const DeliveryIdParam = z.object({ deliveryId: z.string().regex(/^\d{1,19}$/, 'a delivery id is a number').openapi({ param: { name: 'deliveryId', in: 'path' }, example: '42' }) })

interface DeliveryRow {
  id: string | number
  subscriber: string
  state: 'pending' | 'delivered' | 'dead'
  attempts: number
  next_attempt_at: Date
  last_error: string | null
  last_status: number | null
  created_at: Date
  updated_at: Date
  delivered_at: Date | null
  event_id: string
  type: string
  occurred_at: Date
}

interface AttemptRow {
  delivery_id: string | number
  attempt: number
  started_at: Date
  duration_ms: number
  ok: boolean
  status_code: number | null
  error: string | null
}

const iso = (d: Date | string) => new Date(d).toISOString()


/** A page of deliveries, newest first, with each one's latest attempts. */
export async function listDeliveries(
  tx: Queryable,
  filter: { state?: 'dead'; subscriber?: string },
  query: z.infer<typeof DeliveryListQuery>,
): Promise<{ deliveries: EventDelivery[]; nextCursor: string | null }> {
  const before = decodeIdCursor(query.cursor)
  const rows = await tx.sql<DeliveryRow>`
    SELECT d.id, d.subscriber, d.state, d.attempts, d.next_attempt_at, d.last_error, d.last_status, d.created_at, d.updated_at, d.delivered_at,
      o.event_id, o.type, o.created_at AS occurred_at
    FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id
    WHERE (${filter.state ?? null}::text IS NULL OR d.state = ${filter.state ?? null})
      AND (${filter.subscriber ?? null}::text IS NULL OR d.subscriber = ${filter.subscriber ?? null})
      AND (${before}::bigint IS NULL OR d.id < ${before}::bigint)
    ORDER BY d.id DESC
    LIMIT ${query.limit + 1}`
  const page = rows.slice(0, query.limit)
  const deliveries = await withLogs(tx, page)
  return { deliveries, nextCursor: rows.length > query.limit ? encodeIdCursor(String(page.at(-1)!.id)) : null }
}

async function withLogs(tx: Queryable, rows: readonly DeliveryRow[]): Promise<EventDelivery[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => String(r.id))
  const attempts = await tx.sql<AttemptRow>`
    SELECT delivery_id, attempt, started_at, duration_ms, ok, status_code, error FROM (
      SELECT a.*, row_number() OVER (PARTITION BY delivery_id ORDER BY id DESC) AS recent
      FROM oc_delivery_attempts a
      WHERE delivery_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)
    ) latest WHERE recent <= ${LOG_LENGTH} ORDER BY delivery_id, attempt`
  const logs = new Map<string, z.infer<typeof DeliveryAttempt>[]>()
  for (const a of attempts) {
    const key = String(a.delivery_id)
    logs.set(key, [...(logs.get(key) ?? []), { attempt: a.attempt, at: iso(a.started_at), durationMs: a.duration_ms, ok: a.ok, statusCode: a.status_code, error: a.error }])
  }
  return rows.map((r) => ({
    id: String(r.id),
    eventId: r.event_id,
    eventType: r.type,
    subscriber: r.subscriber,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'pending' ? iso(r.next_attempt_at) : null,
    lastError: r.last_error,
    lastStatusCode: r.last_status,
    occurredAt: iso(r.occurred_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    deliveredAt: r.delivered_at ? iso(r.delivered_at) : null,
    log: logs.get(String(r.id)) ?? [],
  }))
}

/**
 * Puts a finished delivery (dead, or for web hooks also delivered) back in the queue, due now,
 * with a fresh retry budget, and wakes every instance's dispatcher. Returns the delivery as it
 * was before, for the audit trail.
 */
export async function replayDelivery(
  tx: Queryable,
  id: string,
  options: { from: ReadonlyArray<'dead' | 'delivered'>; subscriber?: string; what: string },
): Promise<{ before: EventDelivery; after: EventDelivery }> {
  const [current] = await tx.sql<{ state: string }>`
    SELECT state FROM oc_event_deliveries WHERE id = ${id}::bigint AND (${options.subscriber ?? null}::text IS NULL OR subscriber = ${options.subscriber ?? null}) FOR UPDATE`
  if (!current) throw errors.notFound(`${options.what} ${id}`)
  if (!options.from.includes(current.state as 'dead')) {
    throw errors.conflict(`${options.what} ${id} is ${current.state}; only ${options.from.join(' or ')} deliveries can be replayed${current.state === 'pending' ? ' (a pending one is tried again by itself)' : ''}`)
  }
  const before = (await readDelivery(tx, id))!
  await tx.sql`UPDATE oc_event_deliveries SET state = 'pending', retry_base = attempts, next_attempt_at = now(), last_error = NULL, updated_at = now() WHERE id = ${id}::bigint`
  await tx.sql`SELECT pg_notify('oc_events', 'replay')`
  return { before, after: (await readDelivery(tx, id))! }
}

async function readDelivery(tx: Queryable, id: string): Promise<EventDelivery | null> {
  const rows = await tx.sql<DeliveryRow>`
    SELECT d.id, d.subscriber, d.state, d.attempts, d.next_attempt_at, d.last_error, d.last_status, d.created_at, d.updated_at, d.delivered_at,
      o.event_id, o.type, o.created_at AS occurred_at
    FROM oc_event_deliveries d JOIN oc_outbox o ON o.id = d.outbox_id WHERE d.id = ${id}::bigint`
  return (await withLogs(tx, rows))[0] ?? null
}
