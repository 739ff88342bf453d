/**
 * API input that PostgreSQL cannot store as text is refused where every request passes, so no
 * route needs code of its own and none answers 500 (22021) for it: a NUL character or a lone
 * UTF-16 surrogate (see core/text.ts) in a JSON body (values and keys), a form field, a path
 * parameter or a query value is a 422 `OC_VALIDATION` whose issues name each field
 * (`body.title`, `query.q`, `path.org`) with code `unsafe_text`. Mail and channel input is not
 * API input: it is cleaned where it arrives (`cleanText`), never refused.
 *
 * Where each part is checked: JSON bodies by `jsonSyntax` (validation.ts), which also refuses
 * bytes that are not UTF-8; form bodies by the validation hook; path parameters and query values
 * by `urlText` in every route's chain (plugin/app.ts); the `{org}` and `{service}` of
 * a tenant's URL by tenant resolution (tenancy/resolve.ts), before anything looks them up.
 */
import { cleanText, unsafeText } from '../text.ts'
import { errors, type FieldIssue } from './errors.ts'

/** The issue code of text that cannot be stored. */
export const UNSAFE_TEXT = 'unsafe_text'

/** More issues than this say nothing new; a body of a million NULs gets a short answer. */
const MAX_ISSUES = 20

/**
 * The issues of every string in `value` (walked through arrays, plain objects and their keys,
 * and the names of files) that cannot be stored, named from `root`. Iterative: a deeply nested
 * body cannot exhaust the stack.
 */
export function unsafeTextIssues(value: unknown, root: string): FieldIssue[] {
  const issues: FieldIssue[] = []
  const pending: Array<[unknown, string]> = [[value, root]]
  while (pending.length && issues.length < MAX_ISSUES) {
    const [item, path] = pending.pop()!
    if (typeof item === 'string') {
      const why = unsafeText(item)
      if (why) issues.push({ path, message: `the value ${why}`, code: UNSAFE_TEXT })
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], `${path}.${i}`])
    } else if (isFile(item)) {
      const why = unsafeText(item.name)
      if (why) issues.push({ path, message: `the file name ${why}`, code: UNSAFE_TEXT })
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!
        const named = `${path}.${cleanText(key)}`
        const why = unsafeText(key)
        if (why) issues.push({ path: named, message: `the field name ${why}`, code: UNSAFE_TEXT })
        pending.push([child, named])
      }
    }
  }
  return issues.reverse().slice(0, MAX_ISSUES)
}

const isFile = (value: unknown): value is { name: string } =>
  typeof Blob !== 'undefined' && value instanceof Blob && typeof (value as { name?: unknown }).name === 'string'

/** Throws the 422 for `value` when any of its text cannot be stored. */
export function refuseUnsafeText(value: unknown, root: string): void {
  const issues = unsafeTextIssues(value, root)
  if (issues.length) throw errors.invalid(issues)
}

/**
 * A JSON text may hold unstorable strings only through escapes (`\u0000`, `\uD800`–`\uDFFF`):
 * a raw NUL is not valid JSON, and valid UTF-8 has no lone surrogates. Bodies without such an
 * escape, nearly all of them, skip the walk.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/

/** Refuses the parsed JSON body `value` of the text `text` when any of its strings or keys cannot be stored. */
export function refuseUnsafeJson(text: string, value: unknown): void {
  if (SUSPECT_ESCAPE.test(text)) refuseUnsafeText(value, 'body')
}
