/**
 * Turns zod failures into the platform's error shape, naming each field by where it came from
 * (`body.name`, `query.limit`, `path.id`), and gives JSON syntax errors a precise message.
 */
import type { MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { errors, type FieldIssue, OcError } from './errors.ts'

const TARGET_NAMES: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' }

/** Flattens zod issues; an unknown key becomes one issue per key, named by its full path. */
export function zodIssues(error: z.ZodError, root: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = [root, ...issue.path.map(String)].filter(Boolean).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        message: `unknown field '${key}'; remove it or check its spelling`,
        code: 'unknown_field',
      }))
    }
    return [{ path: base || root, message: issue.message, code: issue.code }]
  })
}

/** The `defaultHook` of every OpenAPIHono the platform creates. */
export function validationHook(result: { success: boolean; error?: z.ZodError; target: string }): void {
  if (!result.success && result.error) throw errors.invalid(zodIssues(result.error, TARGET_NAMES[result.target] ?? result.target))
}

/**
 * Parses a JSON body once up front so a syntax error is answered with its position instead of
 * a generic message. Hono caches the text, so the validator that follows does not read it again.
 */
export const jsonSyntax: MiddlewareHandler = async (c, next) => {
  // GET and HEAD carry no body to check (and reading a header costs on every read request).
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  const type = c.req.header('content-type')
  if (type && /^application\/([a-z-.]+\+)?json/i.test(type)) {
    const text = await c.req.text()
    if (text.trim() === '') throw new OcError('OC_MALFORMED_JSON', 'the request body is empty; send a JSON document')
    try {
      JSON.parse(text)
    } catch (error) {
      throw new OcError('OC_MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`)
    }
  }
  await next()
}
