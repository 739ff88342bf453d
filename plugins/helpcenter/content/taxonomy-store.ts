/** Category and notice-tag rows: a kind's category tree in order, names per language. */
import type { Queryable } from '../../../core/mod.ts'
import { iso, type Category, type ContentKind, type Names, type NoticeTag } from './store.ts'

interface CategoryRow {
  id: string
  number: string | number
  kind: ContentKind
  parent_id: string | null
  level: number
  names: Names
  order_no: number
  created_at: Date
  updated_at: Date
}

const toCategory = (row: CategoryRow): Category => ({
  id: row.id,
  number: Number(row.number),
  kind: row.kind,
  parentId: row.parent_id,
  level: row.level,
  names: row.names,
  orderNo: row.order_no,
  createdAt: iso(row.created_at)!,
  updatedAt: iso(row.updated_at)!,
})

/** A kind's categories, each level's siblings by `orderNo`, parents before their children. */
export async function listCategories(tx: Queryable, kind: ContentKind): Promise<Category[]> {
  const rows = (await tx.sql<CategoryRow>`SELECT * FROM helpcenter_categories WHERE kind = ${kind} ORDER BY level, order_no, number`).map(toCategory)
  const children = new Map<string | null, Category[]>()
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row])
  const ordered: Category[] = []
  const visit = (parent: string | null) => {
    for (const child of children.get(parent) ?? []) {
      ordered.push(child)
      visit(child.id)
    }
  }
  visit(null)
  return ordered
}

export async function findCategory(tx: Queryable, kind: ContentKind, id: string): Promise<Category | null> {
  const [row] = await tx.sql<CategoryRow>`SELECT * FROM helpcenter_categories WHERE kind = ${kind} AND id = ${id}`
  return row ? toCategory(row) : null
}

export async function insertCategory(tx: Queryable, kind: ContentKind, input: { parentId: string | null; level: number; names: Names; orderNo: number }): Promise<Category> {
  const [row] = await tx.sql<CategoryRow>`
    INSERT INTO helpcenter_categories (kind, parent_id, level, names, order_no)
    VALUES (${kind}, ${input.parentId}, ${input.level}, ${JSON.stringify(input.names)}::jsonb, ${input.orderNo}) RETURNING *`
  return toCategory(row!)
}

export async function updateCategory(tx: Queryable, id: string, input: { names: Names; orderNo: number }): Promise<Category> {
  const [row] = await tx.sql<CategoryRow>`
    UPDATE helpcenter_categories SET names = ${JSON.stringify(input.names)}::jsonb, order_no = ${input.orderNo}, updated_at = now() WHERE id = ${id} RETURNING *`
  return toCategory(row!)
}

/** What still uses a category: its sub-categories and entries. */
export async function categoryUsage(tx: Queryable, id: string): Promise<{ children: number; entries: number }> {
  const [row] = await tx.sql<{ children: number; entries: number }>`
    SELECT (SELECT count(*)::int FROM helpcenter_categories WHERE parent_id = ${id}) AS children,
           (SELECT count(*)::int FROM helpcenter_entries WHERE category_id = ${id}) AS entries`
  return row!
}

export async function deleteCategory(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_categories WHERE id = ${id}`
}

interface TagRow {
  id: string
  number: string | number
  names: Names
  order_no: number
}

const toTag = (row: TagRow): NoticeTag => ({ id: row.id, number: Number(row.number), names: row.names, orderNo: row.order_no })

export async function listTags(tx: Queryable): Promise<NoticeTag[]> {
  return (await tx.sql<TagRow>`SELECT id, number, names, order_no FROM helpcenter_notice_tags ORDER BY order_no, number`).map(toTag)
}

export async function findTag(tx: Queryable, id: string): Promise<NoticeTag | null> {
  const [row] = await tx.sql<TagRow>`SELECT id, number, names, order_no FROM helpcenter_notice_tags WHERE id = ${id}`
  return row ? toTag(row) : null
}

export async function saveTag(tx: Queryable, id: string | null, input: { names: Names; orderNo: number }): Promise<NoticeTag> {
  const names = JSON.stringify(input.names)
  const [row] = id
    ? await tx.sql<TagRow>`UPDATE helpcenter_notice_tags SET names = ${names}::jsonb, order_no = ${input.orderNo}, updated_at = now() WHERE id = ${id} RETURNING id, number, names, order_no`
    : await tx.sql<TagRow>`INSERT INTO helpcenter_notice_tags (names, order_no) VALUES (${names}::jsonb, ${input.orderNo}) RETURNING id, number, names, order_no`
  return toTag(row!)
}

/** Deletes a tag and takes it off every notice that carries it. */
export async function deleteTag(tx: Queryable, id: string): Promise<void> {
  await tx.sql`UPDATE helpcenter_entries SET tag_ids = array_remove(tag_ids, ${id}::uuid) WHERE ${id}::uuid = ANY(tag_ids)`
  await tx.sql`DELETE FROM helpcenter_notice_tags WHERE id = ${id}`
}

/** The tags of these ids that exist in this service. */
export async function existingTagIds(tx: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  return new Set((await tx.sql<{ id: string }>`SELECT id FROM helpcenter_notice_tags WHERE id = ANY(${ids as string[]}::uuid[])`).map((row) => row.id))
}
