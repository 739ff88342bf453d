/**
 * What keeps a category from being deleted. Each check answers for one kind of user (child
 * categories, attached customer fields, linked answer templates); a category in use is refused
 * with 409 naming every one. The ticket work adds its own check (tickets filed under the
 * category) by appending to {@link CATEGORY_USAGE_CHECKS}; nothing else needs to change.
 */
import type { Queryable } from '../../../core/mod.ts'
import type { CategoryKind } from './kinds.ts'
import { attachedFieldUsage } from '../fields/category-fields-store.ts'
import { linkedTemplateUsage } from '../answer-templates/links-store.ts'
import { ticketCategoryUsage } from '../tickets/category-usage.ts'

export interface CategoryUsage {
  /** A short key for the issue path, e.g. `children`, `fields`, `tickets`. */
  readonly key: string
  readonly count: number
  /** Plural noun phrase for the message, e.g. `child categories`. */
  readonly what: string
  /** How to free the category from this use, for the message. */
  readonly fix: string
}

export interface CategoryRef {
  readonly kind: CategoryKind
  readonly id: string
}

/** One kind of use; returns null when the category is free of it. Runs in the deleting transaction. */
export type CategoryUsageCheck = (tx: Queryable, category: CategoryRef) => Promise<CategoryUsage | null>

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
