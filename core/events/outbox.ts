/**
 * The write side of the event bus (C7): an event is a row in `oc_outbox`, inserted in the same
 * transaction as the change it reports, so it exists if and only if the change committed.
 */
import type { z } from 'zod'
import { OcError } from '../http/errors.ts'
import { zodIssues } from '../http/validation.ts'
import type { Queryable } from '../storage/db.ts'
import { pendingRecordsOf } from '../storage/pending-records.ts'

/** Every event type the installed plugins declare, with its payload schema. */
export type EventCatalogue = ReadonlyMap<string, z.ZodType>

/** The payload of a `type` event as stored: checked against its schema; throws the coded error otherwise. */
export function checkedPayload(catalogue: EventCatalogue, type: string, payload: unknown): unknown {
  const schema = catalogue.get(type)
  if (!schema) throw new OcError('OC_EVENT_UNKNOWN', `event type '${type}' is not declared by any installed plugin; add it to the plugin's events`)
  const parsed = schema.safeParse(payload)
  if (!parsed.success) {
    throw new OcError('OC_EVENT_INVALID', `payload of '${type}' does not match its schema`, { issues: zodIssues(parsed.error, 'payload') })
  }
  return parsed.data
}

/**
 * Appends the event: in a tenant transaction to its pending records (written with its next
 * statement or before COMMIT, see storage/pending-records.ts), elsewhere by a statement of its
 * own. Resolves to the event id.
 */
export async function appendEvent(tx: Queryable, catalogue: EventCatalogue, type: string, payload: unknown): Promise<string> {
  const data = checkedPayload(catalogue, type, payload)
  const pending = pendingRecordsOf(tx)
  if (pending) {
    const eventId = crypto.randomUUID()
    pending.event({ event_id: eventId, type, payload: data })
    return eventId
  }
  const [row] = await tx.sql<{ event_id: string }>`INSERT INTO oc_outbox (type, payload) VALUES (${type}, ${JSON.stringify(data)}::jsonb) RETURNING event_id`
  return row!.event_id
}
