/** Checks that ids a request names are processing categories of this service. */
import type { FieldIssue, Queryable } from '../../../core/mod.ts'
import { unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { categoryKindOf } from '../categories/store.ts'

/**
 * Issues for ids listed twice or naming intake categories; throws 422 `unknown_reference` for ids
 * this service does not have. `path` is the list's path, e.g. `body.categoryIds`.
 */
export async function processingCategoryIssues(tx: Queryable, ids: readonly string[], path: string): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = []
  for (const [index, id] of ids.entries()) {
    const kind = await categoryKindOf(tx, id)
    if (kind === null) throw unknownAt(`${path}.${index}`, ticketReferences.processingCategory, id)
    if (kind !== 'processing') issues.push({ path: `${path}.${index}`, message: `${id} is an intake category; answer templates link to processing categories`, code: 'wrong_kind' })
    if (ids.indexOf(id) !== index) issues.push({ path: `${path}.${index}`, message: `${id} is listed twice; list each category once`, code: 'duplicate' })
  }
  return issues
}
