/**
 * The customer fields of each intake category, in order (T5 "customer fields per intake
 * category"), and the form they make. The help-center system fields belong to every form: an
 * administrator may attach them to place them, but never detach them, and where they are not
 * placed they lead the form in the guide's order. Phone system fields are attached like any other
 * field and are left out of help-center forms.
 */
import type { Queryable, Service } from '../../../core/mod.ts'
import type { CategoryUsageCheck } from '../categories/usage-check.ts'
import { HELPCENTER_FIELD_CODES } from './system-fields.ts'
import { listFields } from './store.ts'
import type { FieldDefinition } from './types.ts'

/** Attached fields per intake category: enough for any inquiry form, few enough to render on a phone. */
export const MAX_FIELDS_PER_CATEGORY = 100

/** The field ids attached to a category, in order. */
export async function attachedFieldIds(tx: Queryable, categoryId: string): Promise<string[]> {
  const rows = await tx.sql<{ field_id: string }>`SELECT field_id FROM ticket_category_fields WHERE category_id = ${categoryId} ORDER BY position`
  return rows.map((r) => r.field_id)
}

/** Replaces a category's attachments with `fieldIds`, in that order (the caller checked they are customer fields). */
export async function replaceAttachedFields(tx: Queryable, categoryId: string, fieldIds: readonly string[]): Promise<void> {
  await tx.sql`DELETE FROM ticket_category_fields WHERE category_id = ${categoryId}`
  for (const [index, fieldId] of fieldIds.entries()) {
    await tx.sql`INSERT INTO ticket_category_fields (category_id, field_id, position) VALUES (${categoryId}, ${fieldId}, ${index + 1})`
  }
}

export interface FormField {
  readonly field: FieldDefinition
  /** Part of the form without being attached (a help-center system field nobody placed). */
  readonly implicit: boolean
}

/**
 * The form of an intake category: the help-center system fields not placed by the administrator
 * first, then the attached fields in order. Phone system fields only with `includePhoneFields`
 * (tickets that come in by phone); the help center leaves them out, as the guide says.
 */
export async function intakeFormFields(tx: Queryable, service: Pick<Service, 'languages'>, categoryId: string, options: { includePhoneFields: boolean }): Promise<FormField[]> {
  const [fields, attachedIds] = await Promise.all([listFields(tx, service, 'customer'), attachedFieldIds(tx, categoryId)])
  const byId = new Map(fields.map((f) => [f.id, f]))
  const attached = attachedIds.map((id) => byId.get(id)!)
  const placed = new Set(attached.map((f) => f.code))
  const implicit = HELPCENTER_FIELD_CODES.filter((code) => !placed.has(code)).map((code) => fields.find((f) => f.code === code)!)
  return [...implicit.map((field) => ({ field, implicit: true })), ...attached.map((field) => ({ field, implicit: false }))].filter(
    ({ field }) => options.includePhoneFields || field.system !== 'phone',
  )
}

/** Intake categories with fields attached are in use; placing a help-center system field does not count (it belongs to every form). */
export const attachedFieldUsage: CategoryUsageCheck = async (tx, category) => {
  if (category.kind !== 'intake') return null
  const [row] = await tx.sql<{ count: number }>`
    SELECT count(*)::int AS count FROM ticket_category_fields a JOIN ticket_fields f ON f.id = a.field_id
    WHERE a.category_id = ${category.id} AND f.system_set IS DISTINCT FROM 'helpcenter'`
  const count = row?.count ?? 0
  return count ? { key: 'fields', count, what: 'customer fields attached', fix: `detach them first (DELETE /ticket/intake-categories/${category.id}/fields/{fieldId})` } : null
}
