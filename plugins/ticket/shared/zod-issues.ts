/**
 * Field issues from a zod failure, for inputs a handler validates itself (a part of the body
 * whose schema depends on stored state, such as a field's details, which depend on its type).
 * Same shape as the platform's request validation: unknown keys are named one by one.
 */
import type { FieldIssue, z } from '../../../core/mod.ts'

export function issuesFrom(error: z.ZodError, root: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const path = [root, ...issue.path.map(String)].join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${path}.${key}`, message: `unknown field '${key}'; remove it or check its spelling`, code: 'unknown_field' }))
    }
    return [{ path, message: issue.message, code: issue.code }]
  })
}
