/**
 * Transaction-scoped locks on one service's copy of a resource (a category tree, the agent field
 * order). Changes that check a whole set before writing (depth, cycles, "in use", positions)
 * take the lock first, so two concurrent changes cannot each pass a check that together they break.
 */
import type { Queryable } from '../../../core/mod.ts'

export async function lockServiceResource(tx: Queryable, resource: string): Promise<void> {
  await tx.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`ticket.${resource}:`} || oc_current_service()::text, 0))`
}
