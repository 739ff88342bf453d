/**
 * Field definition rows: reading them (with the system fields created on first use), claiming
 * codes for good, writing definitions and keeping the agent fields' order.
 */
import type { Queryable, Service } from '../../../core/mod.ts'
import type { LocalizedText } from '../shared/localized.ts'
import { lockServiceResource } from '../shared/locks.ts'
import { SYSTEM_FIELDS, systemFieldNames } from './system-fields.ts'
import type { AgentFieldVisibility, FieldAudience, FieldDefinition, FieldDetails, FieldType, OptionSource, SystemFieldSet } from './types.ts'

interface FieldRow {
  id: string
  code: string
  audience: FieldAudience
  type: FieldType
  system_set: SystemFieldSet | null
  option_source: OptionSource | null
  names: LocalizedText
  descriptions: LocalizedText
  placeholders: LocalizedText
  required: boolean
  personal_info: boolean
  visibility: AgentFieldVisibility | null
  details: FieldDetails
  position: number | null
  created_at: Date | string
  updated_at: Date | string
}

const toDefinition = (row: FieldRow): FieldDefinition => ({
  id: row.id,
  code: row.code,
  audience: row.audience,
  type: row.type,
  system: row.system_set,
  optionSource: row.option_source,
  names: row.names,
  descriptions: row.descriptions,
  placeholders: row.placeholders,
  required: row.required,
  personalInfo: row.personal_info,
  visibility: row.visibility,
  details: row.details,
  position: row.position,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
})

const SYSTEM_ORDER = new Map(SYSTEM_FIELDS.map((f, i) => [f.code, i]))

/** Customer fields before agent fields; system fields in the guide's order, then defined ones oldest first; agent fields by position. */
function byFormOrder(a: FieldDefinition, b: FieldDefinition): number {
  if (a.audience !== b.audience) return a.audience === 'customer' ? -1 : 1
  if (a.audience === 'agent') return a.position! - b.position!
  const rank = (f: FieldDefinition) => SYSTEM_ORDER.get(f.code) ?? SYSTEM_FIELDS.length
  return rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt) || a.code.localeCompare(b.code)
}

/**
 * Creates the service's system fields if they are missing (the first time any field is read).
 * Idempotent and safe under concurrency: codes conflict instead of duplicating.
 */
export async function ensureSystemFields(tx: Queryable, service: Pick<Service, 'languages'>): Promise<void> {
  const [present] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_fields WHERE system_set IS NOT NULL`
  if ((present?.count ?? 0) >= SYSTEM_FIELDS.length) return
  for (const spec of SYSTEM_FIELDS) {
    await tx.sql`INSERT INTO ticket_field_codes (code) VALUES (${spec.code}) ON CONFLICT DO NOTHING`
    await tx.sql`
      INSERT INTO ticket_fields (code, audience, type, system_set, option_source, names, required, personal_info, details)
      VALUES (${spec.code}, 'customer', ${spec.type}, ${spec.set}, ${spec.optionSource ?? null}, ${JSON.stringify(systemFieldNames(spec, service.languages))}::jsonb,
              ${spec.required}, false, ${JSON.stringify(spec.details)}::jsonb)
      ON CONFLICT (service_id, code) DO NOTHING`
  }
}

export async function listFields(tx: Queryable, service: Pick<Service, 'languages'>, audience?: FieldAudience): Promise<FieldDefinition[]> {
  const read = () => tx.sql<FieldRow & { system_count: number }>`
    SELECT f.*, s.system_count FROM (SELECT count(*)::int AS system_count FROM ticket_fields WHERE system_set IS NOT NULL) s
    LEFT JOIN ticket_fields f ON (${audience ?? null}::text IS NULL OR f.audience = ${audience ?? null})`
  // One round trip in the usual case: the rows come with the count that says whether the system fields exist yet.
  let rows = await read()
  if ((rows[0]?.system_count ?? 0) < SYSTEM_FIELDS.length) {
    await ensureSystemFields(tx, service)
    rows = await read()
  }
  return rows.filter((row) => row.id !== null).map(toDefinition).sort(byFormOrder)
}

export async function findField(tx: Queryable, service: Pick<Service, 'languages'>, id: string): Promise<FieldDefinition | null> {
  await ensureSystemFields(tx, service)
  const [row] = await tx.sql<FieldRow>`SELECT * FROM ticket_fields WHERE id = ${id}`
  return row ? toDefinition(row) : null
}

/** Takes a code for good; false when it was ever taken before (by a live or a deleted field). */
export async function claimFieldCode(tx: Queryable, code: string): Promise<boolean> {
  return (await tx.sql`INSERT INTO ticket_field_codes (code) VALUES (${code}) ON CONFLICT DO NOTHING RETURNING code`).length === 1
}

export interface FieldInsert {
  code: string
  audience: FieldAudience
  type: FieldType
  names: LocalizedText
  descriptions: LocalizedText
  placeholders: LocalizedText
  required: boolean
  personalInfo: boolean
  visibility: AgentFieldVisibility | null
  details: FieldDetails
}

/** Serialises changes to the agent fields' order (positions are computed from the current set). */
export const lockAgentFieldOrder = (tx: Queryable) => lockServiceResource(tx, 'agent-field-order')

export async function insertField(tx: Queryable, input: FieldInsert): Promise<string> {
  let position: number | null = null
  if (input.audience === 'agent') {
    await lockAgentFieldOrder(tx)
    const [row] = await tx.sql<{ next: number }>`SELECT coalesce(max(position), 0)::int + 1 AS next FROM ticket_fields WHERE audience = 'agent'`
    position = row!.next
  }
  const [row] = await tx.sql<{ id: string }>`
    INSERT INTO ticket_fields (code, audience, type, names, descriptions, placeholders, required, personal_info, visibility, details, position)
    VALUES (${input.code}, ${input.audience}, ${input.type}, ${JSON.stringify(input.names)}::jsonb, ${JSON.stringify(input.descriptions)}::jsonb,
            ${JSON.stringify(input.placeholders)}::jsonb, ${input.required}, ${input.personalInfo}, ${input.visibility}, ${JSON.stringify(input.details)}::jsonb, ${position})
    RETURNING id`
  return row!.id
}

/** Whether system field `code` is marked personal info in the tenant's service (false before the system fields exist). */
export async function systemFieldIsPersonal(tx: Queryable, code: string): Promise<boolean> {
  const [row] = await tx.sql<{ personal_info: boolean }>`SELECT personal_info FROM ticket_fields WHERE code = ${code} AND system_set IS NOT NULL`
  return row?.personal_info ?? false
}

export type FieldUpdate = Pick<FieldDefinition, 'names' | 'descriptions' | 'placeholders' | 'required' | 'personalInfo' | 'visibility' | 'details'>

export async function updateField(tx: Queryable, id: string, next: FieldUpdate): Promise<void> {
  await tx.sql`
    UPDATE ticket_fields SET names = ${JSON.stringify(next.names)}::jsonb, descriptions = ${JSON.stringify(next.descriptions)}::jsonb,
      placeholders = ${JSON.stringify(next.placeholders)}::jsonb, required = ${next.required}, personal_info = ${next.personalInfo},
      visibility = ${next.visibility}, details = ${JSON.stringify(next.details)}::jsonb, updated_at = now()
    WHERE id = ${id}`
}

/** Deletes a definition (its attachments go with it); its code stays claimed. Agent positions close the gap. */
export async function deleteField(tx: Queryable, field: FieldDefinition): Promise<void> {
  if (field.audience === 'agent') await lockAgentFieldOrder(tx)
  // The position is read by the delete itself: one read before the lock could be stale.
  const [gone] = await tx.sql<{ position: number | null }>`DELETE FROM ticket_fields WHERE id = ${field.id} RETURNING position`
  if (gone?.position != null) await tx.sql`UPDATE ticket_fields SET position = position - 1 WHERE audience = 'agent' AND position > ${gone.position}`
}

/** Gives the agent fields the positions 1..n in the order listed (the caller checked it lists each exactly once). */
export async function setAgentFieldOrder(tx: Queryable, orderedIds: readonly string[]): Promise<void> {
  for (const [index, id] of orderedIds.entries()) await tx.sql`UPDATE ticket_fields SET position = ${index + 1} WHERE id = ${id} AND position IS DISTINCT FROM ${index + 1}`
}
