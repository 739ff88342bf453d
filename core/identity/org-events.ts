/**
 * Organization-level events in the outbox (an invitation belongs to no service): the row has the
 * organization and a NULL service, written in the caller's owner transaction so it commits with
 * the change. Tenant transactions never see such rows (their policy needs a service).
 */
import { OcError } from '../http/errors.ts'
import { zodIssues } from '../http/validation.ts'
import type { EventCatalogue } from '../events/outbox.ts'
import type { Queryable } from '../storage/db.ts'

export async function appendOrgEvent(tx: Queryable, catalogue: EventCatalogue, orgId: string, type: string, payload: unknown): Promise<string> {
  const schema = catalogue.get(type)
  if (!schema) throw new OcError('OC_EVENT_UNKNOWN', `event type '${type}' is not declared by any core area or plugin`)
  const parsed = schema.safeParse(payload)
  if (!parsed.success) throw new OcError('OC_EVENT_INVALID', `payload of '${type}' does not match its schema`, { issues: zodIssues(parsed.error, 'payload') })
  const [row] = await tx.sql<{ event_id: string }>`
    INSERT INTO oc_outbox (org_id, service_id, type, payload) VALUES (${orgId}, NULL, ${type}, ${JSON.stringify(parsed.data)}::jsonb) RETURNING event_id`
  return row!.event_id
}
