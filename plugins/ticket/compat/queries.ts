/**
 * The reads only the compat OPEN API needs: categories and fields with their integer compat ids,
 * a customer's tickets by usercode with offset paging (the documented `page`/`pageSize`/`total`),
 * and one ticket by its public id.
 */
import type { Queryable } from '../../../core/mod.ts'
import { CategoryTree } from '../categories/tree.ts'
import type { LocalizedText } from '../shared/localized.ts'
import { TICKET_COLUMNS, type TicketRow } from '../tickets/store.ts'
import type { TicketStatus } from '../tickets/lifecycle.ts'
import type { CompatSource } from './mapping.ts'

export interface CompatCategories {
  readonly tree: CategoryTree
  readonly compatIdOf: ReadonlyMap<string, number>
  readonly idOfCompat: ReadonlyMap<number, string>
}

/** The intake tree with the compat id of every category. */
export async function intakeCategories(tx: Queryable): Promise<CompatCategories> {
  const rows = await tx.sql<{ id: string; compat_id: string | number; parent_id: string | null; names: LocalizedText; active: boolean; order_no: number; created_at: Date | string; updated_at: Date | string }>`
    SELECT id, compat_id, parent_id, names, active, order_no, created_at, updated_at FROM ticket_categories WHERE kind = 'intake'`
  const tree = new CategoryTree(
    rows.map((r) => ({ id: r.id, parentId: r.parent_id, names: r.names, active: r.active, orderNo: r.order_no, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() })),
  )
  return { tree, compatIdOf: new Map(rows.map((r) => [r.id, Number(r.compat_id)])), idOfCompat: new Map(rows.map((r) => [Number(r.compat_id), r.id])) }
}

/** The id of the intake category with this compat id, and whether customers may file under it (active up to the top). */
export async function intakeCategoryByCompatId(tx: Queryable, compatId: number): Promise<string | null> {
  const [row] = await tx.sql<{ id: string }>`SELECT id FROM ticket_categories WHERE kind = 'intake' AND compat_id = ${compatId}`
  return row?.id ?? null
}

/** Field code -> compat id, for the codes given. */
export async function fieldCompatIds(tx: Queryable, codes: readonly string[]): Promise<Map<string, number>> {
  if (!codes.length) return new Map()
  const rows = await tx.sql<{ code: string; compat_id: string | number }>`SELECT code, compat_id FROM ticket_fields WHERE code IN (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`
  return new Map(rows.map((r) => [r.code, Number(r.compat_id)]))
}

/** Every field's compat id (fields of a category's form, for the field list). */
export async function allFieldCompatIds(tx: Queryable): Promise<Map<string, number>> {
  const rows = await tx.sql<{ id: string; compat_id: string | number }>`SELECT id, compat_id FROM ticket_fields`
  return new Map(rows.map((r) => [r.id, Number(r.compat_id)]))
}

export type CompatTicketRow = TicketRow & { compat_source: string | null }

export interface EndUserFilter {
  usercode: string
  intakeCategoryId?: string
  statuses?: TicketStatus[]
  language?: string
  sources: readonly CompatSource[]
  sort: { column: 'created_at' | 'updated_at'; descending: boolean }
  page: number
  pageSize: number
}

const SOURCE_CONDITION: Record<CompatSource, string> = {
  web: "(channel = 'web' AND compat_source IS NULL)",
  spweb: "(channel = 'web' AND compat_source = 'spweb')",
  api: "channel <> 'web'",
}

export async function endUserTickets(tx: Queryable, filter: EndUserFilter): Promise<{ rows: CompatTicketRow[]; total: number }> {
  const params: unknown[] = []
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const where = [`requester_usercode = ${p(filter.usercode)}`]
  if (filter.intakeCategoryId) where.push(`intake_category_id = ${p(filter.intakeCategoryId)}`)
  if (filter.statuses) where.push(`status IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.statuses))}::jsonb))`)
  if (filter.language) where.push(`language = ${p(filter.language)}`)
  where.push(`(${filter.sources.map((s) => SOURCE_CONDITION[s]).join(' OR ') || 'false'})`)
  const clause = where.join(' AND ')
  const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE ${clause}`, params)
  const direction = filter.sort.descending ? 'DESC' : 'ASC'
  const rows = await tx.query<CompatTicketRow>(
    `SELECT ${TICKET_COLUMNS}, compat_source FROM tickets WHERE ${clause} ORDER BY ${filter.sort.column} ${direction}, number ${direction} LIMIT ${p(filter.pageSize)} OFFSET ${p((filter.page - 1) * filter.pageSize)}`,
    params,
  )
  return { rows: rows.map(parsed), total: count?.n ?? 0 }
}

const parsed = (row: CompatTicketRow): CompatTicketRow => ({
  ...row,
  fields: typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields,
  secret_fields: typeof row.secret_fields === 'string' ? JSON.parse(row.secret_fields) : row.secret_fields,
})

/** A ticket by its public id (`T1658199661153IXTfw`) filed for this end user; `forUpdate` locks it. */
export async function endUserTicket(tx: Queryable, usercode: string, publicId: string, forUpdate = false): Promise<CompatTicketRow | null> {
  const [row] = await tx.query<CompatTicketRow>(`SELECT ${TICKET_COLUMNS}, compat_source FROM tickets WHERE public_id = $1 AND requester_usercode = $2${forUpdate ? ' FOR UPDATE' : ''}`, [publicId, usercode])
  return row ? parsed(row) : null
}

export interface CompatAttachmentRow {
  id: string
  entry_id: string | null
  file_name: string
  content_type: string
  size: number
  created_at: Date | string
}

export async function ticketAttachments(tx: Queryable, ticketId: string): Promise<CompatAttachmentRow[]> {
  return tx.sql<CompatAttachmentRow>`SELECT id, entry_id, file_name, content_type, size, created_at FROM ticket_attachments WHERE ticket_id = ${ticketId} ORDER BY created_at, id`
}
