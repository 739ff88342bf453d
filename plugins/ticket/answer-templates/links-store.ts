/**
 * Links between answer templates and processing categories (T6 "template linking"): per
 * category an ordered list, so agents see a category's templates in the order admins chose.
 */
import type { Queryable } from '../../../core/mod.ts'
import type { CategoryUsageCheck } from '../categories/usage-check.ts'

/** Templates per processing category: more would not fit an agent's picker. */
export const MAX_TEMPLATES_PER_CATEGORY = 200

/** Template ids linked to a category, in order. */
export async function linkedTemplateIds(tx: Queryable, categoryId: string): Promise<string[]> {
  const rows = await tx.sql<{ template_id: string }>`SELECT template_id FROM ticket_answer_template_links WHERE category_id = ${categoryId} ORDER BY position`
  return rows.map((r) => r.template_id)
}

/** Category ids linked to each template, per template id (templates without links are absent). */
export async function linkedCategoryIds(tx: Queryable, templateIds: readonly string[]): Promise<Map<string, string[]>> {
  const links = new Map<string, string[]>()
  if (!templateIds.length) return links
  const rows = await tx.sql<{ template_id: string; category_id: string }>`
    SELECT template_id, category_id FROM ticket_answer_template_links
    WHERE template_id::text = ANY(string_to_array(${templateIds.join(',')}, ',')) ORDER BY category_id`
  for (const row of rows) links.set(row.template_id, [...(links.get(row.template_id) ?? []), row.category_id])
  return links
}

/** Replaces a category's linked templates with `templateIds`, in that order. */
export async function replaceCategoryTemplates(tx: Queryable, categoryId: string, templateIds: readonly string[]): Promise<void> {
  await tx.sql`DELETE FROM ticket_answer_template_links WHERE category_id = ${categoryId}`
  for (const [index, templateId] of templateIds.entries()) {
    await tx.sql`INSERT INTO ticket_answer_template_links (category_id, template_id, position) VALUES (${categoryId}, ${templateId}, ${index + 1})`
  }
}

/** Sets which categories a template is linked to: new links go to the end of each category's list. */
export async function setTemplateCategories(tx: Queryable, templateId: string, categoryIds: readonly string[]): Promise<void> {
  const current = (await linkedCategoryIds(tx, [templateId])).get(templateId) ?? []
  for (const categoryId of current.filter((id) => !categoryIds.includes(id))) {
    await tx.sql`DELETE FROM ticket_answer_template_links WHERE category_id = ${categoryId} AND template_id = ${templateId}`
    await tx.sql`UPDATE ticket_answer_template_links SET position = sub.rank
      FROM (SELECT template_id, row_number() OVER (ORDER BY position)::int AS rank FROM ticket_answer_template_links WHERE category_id = ${categoryId}) sub
      WHERE category_id = ${categoryId} AND ticket_answer_template_links.template_id = sub.template_id AND position <> sub.rank`
  }
  for (const categoryId of categoryIds.filter((id) => !current.includes(id))) {
    await tx.sql`
      INSERT INTO ticket_answer_template_links (category_id, template_id, position)
      SELECT ${categoryId}, ${templateId}, coalesce(max(position), 0) + 1 FROM ticket_answer_template_links WHERE category_id = ${categoryId}`
  }
}

/** How many templates a category holds, for the per-category ceiling. */
export async function linkCount(tx: Queryable, categoryId: string): Promise<number> {
  const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_answer_template_links WHERE category_id = ${categoryId}`
  return row?.count ?? 0
}

/** Processing categories with templates linked are in use. */
export const linkedTemplateUsage: CategoryUsageCheck = async (tx, category) => {
  if (category.kind !== 'processing') return null
  const count = await linkCount(tx, category.id)
  return count ? { key: 'templates', count, what: 'answer templates linked', fix: `unlink them first (PUT /ticket/processing-categories/${category.id}/answer-templates)` } : null
}
