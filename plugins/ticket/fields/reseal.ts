/**
 * Stored values follow their field's personal-info flag (S3). Marking a field personal info
 * seals the values tickets already hold (and indexes them for exact-match search); clearing the
 * flag opens them back into plain values, searchable as any other. The `email` system field
 * moves the requester's address between its column and the sealed values (requester-email.ts).
 *
 * The change of flag records a request (`ticket_field_reseals`, in the same transaction as the
 * change); the `reseal-fields` job works through the requests as the platform, in batches of
 * rows still stored the other way, each batch one transaction with the rows locked, so it runs
 * beside live traffic. A request is dropped once no row is left and it is older than a minute
 * (a create that read the form just before the change may still write the old way), unless the
 * flag changed again meanwhile. A value that cannot be opened (tampered, or its key left the
 * keyring) is reported and kept as it is, and its request stays for the next run.
 */
import type { FieldCrypto, Migration, Queryable } from '../../../core/mod.ts'
import { fieldContext, sealFieldValues } from '../tickets/field-values.ts'
import { REQUESTER_EMAIL_CODE, storeRequesterEmail, withRequesterEmail } from '../tickets/requester-email.ts'
import type { FieldValue } from './validate-values.ts'

export const fieldResealMigration: Migration = {
  id: '0011_field_reseals',
  sql: `
    CREATE TABLE ticket_field_reseals (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      code text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (service_id, code)
    );
    SELECT oc_tenant_table('ticket_field_reseals');
    -- The system fields that are never sealed (NEVER_SEALED) could be flagged before; the flag was never honoured.
    UPDATE ticket_fields SET personal_info = false WHERE system_set IS NOT NULL AND code IN ('intake_type', 'title', 'content', 'privacy_consent');
    -- Values stored before a field was flagged (and requester addresses, sealed from now on) are sealed by the job.
    INSERT INTO ticket_field_reseals (org_id, service_id, code) SELECT org_id, service_id, code FROM ticket_fields WHERE personal_info;`,
}

/** Asks the job to bring the stored values of field `code` in line with its flag (in the tenant transaction that changed it). */
export async function requestReseal(tx: Queryable, code: string): Promise<void> {
  await tx.sql`INSERT INTO ticket_field_reseals (code) VALUES (${code})
    ON CONFLICT (service_id, code) DO UPDATE SET requested_at = clock_timestamp()`
}

interface ResealRequest {
  org_id: string
  service_id: string
  code: string
  /** As text: compared back exactly when the request is dropped. */
  requested_at: string
}

interface StoredValues {
  id: string
  requester_email: string | null
  fields: Record<string, unknown>
  secret_fields: Record<string, string>
  secret_index: string[]
}

export interface ResealResult {
  /** Rows whose value moved. */
  moved: number
  failed: { serviceId: string; ticketId: string; code: string; error: string }[]
}

type PlatformDb = { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }

export interface ResealOptions {
  batchSize?: number
  signal?: AbortSignal
  /** How old a request must be before a clean pass drops it (default 60). */
  settleSeconds?: number
}

export async function resealFlaggedFields(db: PlatformDb, crypto: FieldCrypto, options: ResealOptions = {}): Promise<ResealResult> {
  const result: ResealResult = { moved: 0, failed: [] }
  const requests = await db.transaction((tx) =>
    tx.sql<ResealRequest>`SELECT org_id, service_id, code, requested_at::text AS requested_at FROM ticket_field_reseals ORDER BY requested_at`,
  )
  for (const request of requests) {
    if (options.signal?.aborted) break
    const failed = await resealField(db, crypto, request, options.batchSize ?? 200, result)
    // Done with this request only if every row moved and nobody asked again meanwhile (the time
    // goes back as text: a prepared timestamptz parameter would lose its microseconds).
    if (!failed && !options.signal?.aborted) {
      await db.transaction((tx) => tx.sql`DELETE FROM ticket_field_reseals WHERE service_id = ${request.service_id} AND code = ${request.code} AND requested_at = ${request.requested_at}::text::timestamptz
        AND requested_at <= now() - make_interval(secs => ${options.settleSeconds ?? 60})`)
    }
  }
  return result
}

/** Moves every value of one field to the side its flag says; true when some row could not be moved. */
async function resealField(db: PlatformDb, crypto: FieldCrypto, request: ResealRequest, batchSize: number, result: ResealResult): Promise<boolean> {
  const { service_id: serviceId, code } = request
  const skipped: string[] = []
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const [field] = await tx.sql<{ personal_info: boolean }>`SELECT personal_info FROM ticket_fields WHERE service_id = ${serviceId} AND code = ${code}`
      // A deleted field's values stay as they were: nothing reads them by their flag any more.
      if (!field) return []
      // The requester's address lives in its own column when plain (see tickets/requester-email.ts).
      const stillOtherwise = !field.personal_info ? 'secret_fields ? $4' : code === REQUESTER_EMAIL_CODE ? 'requester_email IS NOT NULL' : 'fields ? $4'
      const rows = await tx.query<StoredValues>(
        `SELECT id, requester_email, fields, secret_fields, secret_index FROM tickets
          WHERE service_id = $1 AND NOT (id = ANY($2::uuid[])) AND ${stillOtherwise} LIMIT $3 FOR UPDATE`,
        stillOtherwise.includes('$4') ? [serviceId, skipped, batchSize, code] : [serviceId, skipped, batchSize],
      )
      if (!crypto.configured && rows.length) {
        for (const row of rows) skipped.push(row.id)
        result.failed.push({ serviceId, ticketId: rows[0]!.id, code, error: 'no master key is configured, so values cannot be sealed or opened' })
        return rows
      }
      const tenant = () => crypto.forTenant({ orgId: request.org_id, serviceId })
      for (const row of rows) {
        try {
          const into = { plain: row.fields, secret: row.secret_fields, index: row.secret_index }
          let email = row.requester_email
          let stored
          if (code === REQUESTER_EMAIL_CODE) {
            const address = field.personal_info ? row.requester_email : (await withRequesterEmail(row, tenant)).requester_email
            ;({ column: email, stored } = await storeRequesterEmail(address, field.personal_info, tenant, into))
          } else {
            const value = field.personal_info ? row.fields[code] : JSON.parse(await tenant().decrypt(row.secret_fields[code]!, fieldContext(code)))
            stored = await sealFieldValues(tenant, [{ code, personalInfo: field.personal_info }], { [code]: value as FieldValue }, into)
          }
          // Not a change of the ticket: updated_at, history and events stay as they are.
          await tx.sql`UPDATE tickets SET requester_email = ${email}, fields = ${JSON.stringify(stored.plain)}::jsonb, secret_fields = ${JSON.stringify(stored.secret)}::jsonb,
              secret_index = ${stored.index}
            WHERE service_id = ${serviceId} AND id = ${row.id}`
          result.moved++
        } catch (error) {
          skipped.push(row.id)
          result.failed.push({ serviceId, ticketId: row.id, code, error: (error as Error).message })
        }
      }
      return rows
    })
    if (batch.length < batchSize) return skipped.length > 0
  }
}
