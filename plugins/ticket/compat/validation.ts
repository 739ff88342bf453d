/**
 * The compat OPEN API's request validation hook (C16): zod's failures as the documented
 * validation list expects them. An attribute that is absent (or null) is `required`, named, with
 * what to send, where zod would call it a wrong type; a schema may name the documented rule of
 * its own refusal with `params: { validate: 'too_long' }` (see schemas.ts). Everything else is
 * the platform's own issue. The compat error handler (envelope.ts) turns the issues into items.
 */
import { errors, zodIssues, type FieldIssue, type z } from '../../../core/mod.ts'

const TARGETS: Record<string, string> = { json: 'body', query: 'query', param: 'path' }

/** What to send, per attribute, when it is missing. */
const REQUIRED_HINTS: Record<string, string> = {
  subject: "send the inquiry's title (at most 255 characters)",
  content: "send the inquiry's text",
  categoryId: 'send the id of a submission type (GET /api/v2/ticket/categories.json lists them)',
  comment: 'send the text of the re-inquiry as comment (content is not read here)',
}

const valueAt = (data: unknown, path: readonly PropertyKey[]) => path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), data)

function issueOf(issue: z.core.$ZodIssue, root: string, data: unknown): FieldIssue[] {
  const name = issue.path.map(String).join('.')
  const path = [root, name].filter(Boolean).join('.')
  if (issue.path.length && issue.code !== 'unrecognized_keys' && valueAt(data, issue.path) == null) {
    const hint = REQUIRED_HINTS[name]
    return [{ path, message: `'${name}' is required${hint ? `; ${hint}` : ''}`, code: 'required' }]
  }
  const declared = issue.code === 'custom' ? (issue.params as { validate?: string } | undefined)?.validate : undefined
  if (declared) return [{ path, message: issue.message, code: declared }]
  return zodIssues({ issues: [issue] } as z.ZodError, root)
}

/** The hook of the compat routes (`app.openapi(route, handler, compatValidationHook)`). */
export function compatValidationHook(result: { success: boolean; data?: unknown; error?: z.ZodError; target: string }): undefined {
  if (result.success || !result.error) return undefined
  const root = TARGETS[result.target] ?? result.target
  const seen = new Set<string>()
  // One item per attribute: zod may report a missing union member once per alternative.
  const issues = result.error.issues.flatMap((issue) => issueOf(issue, root, result.data)).filter((i) => !seen.has(`${i.path} ${i.code}`) && seen.add(`${i.path} ${i.code}`))
  throw errors.invalid(issues)
}
