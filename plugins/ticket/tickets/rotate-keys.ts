/**
 * Key rotation of ticket field values (S3): re-seals personal-info values, and rebuilds their
 * blind-index tokens, for tickets still holding a value under an older master-key version.
 * Runs as the platform (owner role) across every tenant, deriving each row's tenant key; each
 * batch is one transaction over rows taken with `FOR UPDATE SKIP LOCKED`, so it runs beside
 * live traffic, and a keyset position moves past rows that cannot be opened (reported, kept).
 */
import type { FieldCrypto, Queryable } from '../../../core/mod.ts'
import { fieldContext, indexText } from './field-values.ts'

interface SealedRow {
  org_id: string
  service_id: string
  id: string
  secret_fields: Record<string, string>
}

export interface TicketKeyRotation {
  rotated: number
  failed: { serviceId: string; ticketId: string; error: string }[]
}

export async function rotateTicketFieldKeys(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  crypto: FieldCrypto,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<TicketKeyRotation> {
  const result: TicketKeyRotation = { rotated: 0, failed: [] }
  if (!crypto.configured || crypto.current === undefined) return result
  const current = crypto.current
  const batchSize = options.batchSize ?? 200
  let after = { serviceId: '00000000-0000-0000-0000-000000000000', id: '00000000-0000-0000-0000-000000000000' }
  while (!options.signal?.aborted) {
    const rows = await db.transaction(async (tx) => {
      const batch = await tx.sql<SealedRow>`
        SELECT org_id, service_id, id, secret_fields FROM tickets t
        WHERE (t.service_id, t.id) > (${after.serviceId}::uuid, ${after.id}::uuid)
          AND EXISTS (SELECT 1 FROM jsonb_each_text(t.secret_fields) e WHERE split_part(e.value, '.', 2) ~ '^[0-9]+$' AND split_part(e.value, '.', 2)::int < ${current})
        ORDER BY t.service_id, t.id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED`
      for (const row of batch) {
        try {
          const fields = crypto.forTenant({ orgId: row.org_id, serviceId: row.service_id })
          const secret: Record<string, string> = {}
          const index: string[] = []
          for (const [code, sealed] of Object.entries(row.secret_fields)) {
            const plaintext = await fields.decrypt(sealed, fieldContext(code))
            secret[code] = await fields.encrypt(plaintext, fieldContext(code))
            index.push(`${code}:${await fields.blindIndex(code, indexText(JSON.parse(plaintext)))}`)
          }
          // Not a change of the ticket: updated_at, history and events stay as they are.
          await tx.sql`UPDATE tickets SET secret_fields = ${JSON.stringify(secret)}::jsonb, secret_index = ${index} WHERE service_id = ${row.service_id} AND id = ${row.id}`
          result.rotated++
        } catch (error) {
          result.failed.push({ serviceId: row.service_id, ticketId: row.id, error: (error as Error).message })
        }
      }
      return batch
    })
    const last = rows.at(-1)
    if (!last || rows.length < batchSize) break
    after = { serviceId: last.service_id, id: last.id }
  }
  return result
}
