/** Refuses deleting a category tickets are filed under (appended to CATEGORY_USAGE_CHECKS). */
import type { CategoryUsageCheck } from '../categories/usage-check.ts'

export const ticketCategoryUsage: CategoryUsageCheck = async (tx, category) => {
  const [row] =
    category.kind === 'intake'
      ? await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM tickets WHERE intake_category_id = ${category.id}`
      : await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM tickets WHERE processing_category_id = ${category.id}`
  const count = row?.count ?? 0
  return count ? { key: 'tickets', count, what: 'tickets filed under it', fix: 'move those tickets to another category first (PATCH /ticket/tickets/{id})' } : null
}
