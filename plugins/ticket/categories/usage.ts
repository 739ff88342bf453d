/**
 * What keeps a category from being deleted. Each check answers for one kind of user (child
 * categories, attached customer fields, linked answer templates); a category in use is refused
 * with 409 naming every one. The ticket work adds its own check (tickets filed under the
 * category) by appending to {@link CATEGORY_USAGE_CHECKS}; nothing else needs to change.
 */
import type { Queryable } from '../../../core/mod.ts'
import type { CategoryRef, CategoryUsage, CategoryUsageCheck } from './usage-check.ts'
import { attachedFieldUsage } from '../fields/category-fields-store.ts'
import { linkedTemplateUsage } from '../answer-templates/links-store.ts'
import { ticketCategoryUsage } from '../tickets/category-usage.ts'

const childCategoryUsage: CategoryUsageCheck = async (tx, category) => {
  const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_categories WHERE parent_id = ${category.id}`
  const count = row?.count ?? 0
  return count ? { key: 'children', count, what: 'child categories', fix: 'delete or move them first' } : null
}

/** Every check, in the order the 409 message lists them. */
export const CATEGORY_USAGE_CHECKS: readonly CategoryUsageCheck[] = [childCategoryUsage, attachedFieldUsage, linkedTemplateUsage, ticketCategoryUsage]

/** Everything that uses the category; empty when it may be deleted. */
export async function categoryUsage(tx: Queryable, category: CategoryRef): Promise<CategoryUsage[]> {
  const found: CategoryUsage[] = []
  for (const check of CATEGORY_USAGE_CHECKS) {
    const usage = await check(tx, category)
    if (usage) found.push(usage)
  }
  return found
}
