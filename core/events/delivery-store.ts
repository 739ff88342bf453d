/**
 * The dispatcher's statements, in one place: fan-out (outbox events → delivery rows), claims
 * (`FOR UPDATE SKIP LOCKED`, so instances never wait on each other's rows), results, and the
 * reads and replays behind the dead-letter and web hook APIs.
 *
 * Claims run as the owner role (the platform `db`): the owner passes every tenant's row-level
 * security through its explicit policy. The API reads run in tenant transactions, where RLS
 * limits them to the caller's service.
 */
import type { Db, Queryable } from '../storage/db.ts'
import type { Contract } from '../tenancy/types.ts'
import type { DeliveryChannel, OutboxEvent } from './channels.ts'
import type { EventEnvelope } from './types.ts'

/** A delivery this instance holds a lease on and is about to attempt. */
export interface ClaimedDelivery {
  readonly id: string
  readonly orgId: string
  /** Null for organization-level core events. */
  readonly serviceId: string | null
  readonly subscriber: string
  /** The attempt number being made (1-based, counting every attempt ever); also the fence for recording. */
  readonly attempt: number
  /** Attempts made before the last replay; the retry budget counts from here. */
  readonly retryBase: number
  readonly envelope: EventEnvelope
}

interface EventColumns {
  event_id: string
  type: string
  org_id: string
  service_id: string
  created_at: Date | string
  payload: unknown
}

const envelopeOf = (r: EventColumns): EventEnvelope => ({
  id: r.event_id,
  type: r.type,
  orgId: r.org_id,
  serviceId: r.service_id,
  occurredAt: new Date(r.created_at).toISOString(),
  payload: r.payload,
})

/**
 * Claims up to `events` events not yet fanned out, creates their deliveries and leases the first
 * `claimLimit` of them to this instance (the rest are due at once for any instance). One
 * transaction: if it fails or the process dies, the events stay un-fanned-out.
 */
export async function fanOut(
  db: Db,
  channels: readonly DeliveryChannel[],
  limits: { events: number; claimLimit: number; leaseMs: number },
): Promise<{ events: number; claimed: ClaimedDelivery[] }> {
  return db.transaction(async (tx) => {
    const rows = await tx.sql<EventColumns & { id: string | number; contract: Contract | null }>`
      UPDATE oc_outbox o SET fanned_out_at = now()
      FROM (SELECT id FROM oc_outbox WHERE fanned_out_at IS NULL ORDER BY id LIMIT ${limits.events} FOR UPDATE SKIP LOCKED) claimed
      WHERE o.id = claimed.id
      RETURNING o.id, o.event_id, o.type, o.org_id, o.service_id, o.created_at, o.payload,
        (SELECT s.contract FROM oc_services s WHERE s.id = o.service_id) AS contract`
    if (rows.length === 0) return { events: 0, claimed: [] }
    const events: OutboxEvent[] = rows.map((r) => ({ outboxId: String(r.id), envelope: envelopeOf(r), contract: r.contract ?? { plugins: {} } }))
    const byId = new Map(events.map((e) => [e.outboxId, e]))
    const targets = (await Promise.all(channels.map((channel) => channel.targets(events, tx)))).flat()
    if (targets.length === 0) return { events: rows.length, claimed: [] }
    const records = targets.map((t, i) => {
      const event = byId.get(t.outboxId)!.envelope
      return { outbox_id: t.outboxId, org_id: event.orgId, service_id: event.serviceId, subscriber: t.subscriber, claimed: i < limits.claimLimit }
    })
    const inserted = await tx.sql<{ id: string | number; outbox_id: string | number; subscriber: string; attempts: number }>`
      INSERT INTO oc_event_deliveries (org_id, service_id, outbox_id, subscriber, attempts, next_attempt_at)
      SELECT r.org_id, r.service_id, r.outbox_id, r.subscriber,
        CASE WHEN r.claimed THEN 1 ELSE 0 END,
        CASE WHEN r.claimed THEN now() + ${limits.leaseMs} * interval '1 millisecond' ELSE now() END
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(org_id uuid, service_id uuid, outbox_id bigint, subscriber text, claimed boolean)
      ON CONFLICT (outbox_id, subscriber) DO NOTHING
      RETURNING id, outbox_id, subscriber, attempts`
    const claimed = inserted
      .filter((r) => r.attempts === 1)
      .map((r): ClaimedDelivery => {
        const envelope = byId.get(String(r.outbox_id))!.envelope
        return { id: String(r.id), orgId: envelope.orgId, serviceId: envelope.serviceId, subscriber: r.subscriber, attempt: 1, retryBase: 0, envelope }
      })
    return { events: rows.length, claimed }
  })
}

/** Claims up to `limit` deliveries that are due: retries whose time has come, and leases that lapsed. */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await db.sql<EventColumns & { id: string | number; subscriber: string; attempts: number; retry_base: number }>`
    UPDATE oc_event_deliveries d
    SET attempts = d.attempts + 1, next_attempt_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
    FROM (SELECT id FROM oc_event_deliveries WHERE state = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) due, oc_outbox o
    WHERE d.id = due.id AND o.id = d.outbox_id
    RETURNING d.id, d.subscriber, d.attempts, d.retry_base, o.event_id, o.type, o.org_id, o.service_id, o.created_at, o.payload`
  return rows.map((r) => ({
    id: String(r.id),
    orgId: r.org_id,
    serviceId: r.service_id,
    subscriber: r.subscriber,
    attempt: r.attempts,
    retryBase: r.retry_base,
    envelope: envelopeOf(r),
  }))
}

/** What became of one attempt, as the dispatcher decided. */
export interface AttemptRecord {
  readonly delivery: ClaimedDelivery
  readonly startedAt: Date
  readonly durationMs: number
  readonly ok: boolean
  readonly statusCode: number | null
  readonly error: string | null
  readonly next: { readonly state: 'delivered' | 'dead' } | { readonly state: 'pending'; readonly retryInMs: number }
}

/**
 * Records attempts in one statement: the state change of each delivery (only while this
 * instance's claim still stands: `attempts` is the fence against a lease another instance took
 * over) and a row in the attempt log.
 */
export async function recordAttempts(db: Queryable, records: readonly AttemptRecord[]): Promise<void> {
  const rows = records.map((r) => ({
    id: r.delivery.id,
    org_id: r.delivery.orgId,
    service_id: r.delivery.serviceId,
    attempt: r.delivery.attempt,
    state: r.next.state,
    retry_ms: r.next.state === 'pending' ? r.next.retryInMs : 0,
    ok: r.ok,
    status: r.statusCode,
    error: r.error,
    started_at: r.startedAt.toISOString(),
    duration_ms: Math.round(r.durationMs),
  }))
  await db.sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(id bigint, org_id uuid, service_id uuid, attempt integer, state text, retry_ms integer, ok boolean, status integer, error text, started_at timestamptz, duration_ms integer)
    ), updated AS (
      UPDATE oc_event_deliveries d SET
        state = r.state,
        next_attempt_at = CASE WHEN r.state = 'pending' THEN now() + r.retry_ms * interval '1 millisecond' ELSE d.next_attempt_at END,
        last_error = r.error,
        last_status = r.status,
        delivered_at = CASE WHEN r.state = 'delivered' THEN now() ELSE d.delivered_at END,
        updated_at = now()
      FROM r WHERE d.id = r.id AND d.attempts = r.attempt AND d.state = 'pending'
      RETURNING d.id
    )
    INSERT INTO oc_delivery_attempts (org_id, service_id, delivery_id, attempt, started_at, duration_ms, ok, status_code, error)
    SELECT r.org_id, r.service_id, r.id, r.attempt, r.started_at, r.duration_ms, r.ok, r.status, r.error FROM r
    WHERE EXISTS (SELECT 1 FROM oc_event_deliveries d WHERE d.id = r.id)`
}

/** Deletes delivered events older than `days` (with their deliveries and attempt logs), a batch at a time. */
export async function pruneDelivered(db: Db, days: number, batch = 5_000): Promise<number> {
  let total = 0
  for (;;) {
    const deleted = await db.sql<{ id: string }>`
      DELETE FROM oc_outbox WHERE id IN (
        SELECT o.id FROM oc_outbox o
        WHERE o.fanned_out_at IS NOT NULL AND o.created_at < now() - ${days} * interval '1 day'
          AND NOT EXISTS (SELECT 1 FROM oc_event_deliveries d WHERE d.outbox_id = o.id AND d.state <> 'delivered')
        LIMIT ${batch})
      RETURNING id`
    total += deleted.length
    if (deleted.length < batch) return total
  }
}
