/** Reading and writing category rows; the rules about trees live in tree.ts and the routes. */
import type { Queryable } from '../../../core/mod.ts'
import type { LocalizedText } from '../shared/localized.ts'
import type { CategoryKind } from './kinds.ts'
import { CategoryTree, type CategoryRecord } from './tree.ts'
import { lockServiceResource } from '../shared/locks.ts'

interface CategoryRow {
  id: string
  parent_id: string | null
  names: LocalizedText
  active: boolean
  order_no: number
  created_at: Date | string
  updated_at: Date | string
}

const toRecord = (row: CategoryRow): CategoryRecord => ({
  id: row.id,
  parentId: row.parent_id,
  names: row.names,
  active: row.active,
  orderNo: row.order_no,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
})

/**
 * Serialises changes to one tree for the rest of the transaction. Checks such as "no deeper than
 * five levels" or "not in use" read the whole tree; without the lock two concurrent moves could
 * each pass and together build a cycle, or a field could be attached to a category being deleted.
 */
export async function lockCategoryTree(tx: Queryable, kind: CategoryKind): Promise<void> {
  await lockServiceResource(tx, `category-tree.${kind}`)
}

export async function loadCategoryTree(tx: Queryable, kind: CategoryKind): Promise<CategoryTree> {
  const rows = await tx.sql<CategoryRow>`SELECT id, parent_id, names, active, order_no, created_at, updated_at FROM ticket_categories WHERE kind = ${kind}`
  return new CategoryTree(rows.map(toRecord))
}

/** The kind of the category with this id in the current service, or null when there is none. */
export async function categoryKindOf(tx: Queryable, id: string): Promise<CategoryKind | null> {
  const [row] = await tx.sql<{ kind: CategoryKind }>`SELECT kind FROM ticket_categories WHERE id = ${id}`
  return row?.kind ?? null
}

export async function insertCategory(tx: Queryable, input: { kind: CategoryKind; parentId: string | null; names: LocalizedText; active: boolean; orderNo: number }): Promise<string> {
  const [row] = await tx.sql<{ id: string }>`
    INSERT INTO ticket_categories (kind, parent_id, names, active, order_no)
    VALUES (${input.kind}, ${input.parentId}, ${JSON.stringify(input.names)}::jsonb, ${input.active}, ${input.orderNo})
    RETURNING id`
  return row!.id
}

export async function updateCategory(tx: Queryable, id: string, change: { names: LocalizedText; active: boolean }): Promise<void> {
  await tx.sql`UPDATE ticket_categories SET names = ${JSON.stringify(change.names)}::jsonb, active = ${change.active}, updated_at = now() WHERE id = ${id}`
}

export async function setCategoryParent(tx: Queryable, id: string, parentId: string | null): Promise<void> {
  await tx.sql`UPDATE ticket_categories SET parent_id = ${parentId}, updated_at = now() WHERE id = ${id}`
}

/** Gives siblings the order numbers 1..n in the order listed, touching only rows whose number changes. */
export async function renumberSiblings(tx: Queryable, orderedIds: readonly string[], current: ReadonlyMap<string, number>): Promise<void> {
  for (const [index, id] of orderedIds.entries()) {
    if (current.get(id) !== index + 1) await tx.sql`UPDATE ticket_categories SET order_no = ${index + 1} WHERE id = ${id}`
  }
}

export async function deleteCategory(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM ticket_categories WHERE id = ${id}`
}
