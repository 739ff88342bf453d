/**
 * The inquiry form as another plugin shows it to a customer (the help center's form): the intake
 * categories a customer may pick (active ones, depth first) and, for the picked one, its customer
 * fields in form order, as plain definitions (no ids or audit columns). Ticket creation then
 * validates the sent values against the same form (fields/ticket-fields.ts).
 */
import type { Queryable, Service } from '../../../core/mod.ts'
import type { InquiryForm } from '../api.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { ticketFieldSpec } from '../fields/ticket-fields.ts'

export async function inquiryForm(tx: Queryable, service: Service, intakeCategoryId: string | null): Promise<InquiryForm> {
  const tree = await loadCategoryTree(tx, 'intake')
  const categories = tree.depthFirst().filter((node) => node.visible)
  const picked = intakeCategoryId && categories.some((c) => c.id === intakeCategoryId) ? intakeCategoryId : null
  const spec = picked ? await ticketFieldSpec(tx, service, { intakeCategoryId: picked, filledBy: 'customer', includeAgentFields: false }) : null
  return {
    categories: categories.map((c) => ({ id: c.id, names: c.names, level: c.level })),
    intakeCategoryId: picked,
    fields: (spec?.definitions ?? []).map((f) => ({ code: f.code, type: f.type, system: f.system, names: f.names, descriptions: f.descriptions, placeholders: f.placeholders, required: f.required, details: f.details })),
  }
}
