/**
 * Turns zod failures into the platform's error shape, naming each field by where it came from
 * (`body.name`, `query.limit`, `path.id`), gives JSON syntax errors a precise message, and
 * refuses text PostgreSQL cannot store in every part of a request (see unsafe-input.ts).
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { errors, type FieldIssue, OcError } from './errors.ts'
import { isThenable } from './sync-middleware.ts'
import { refuseUnsafeJson, refuseUnsafeText } from './unsafe-input.ts'
import { decodeQueryPart, NON_ASCII_ESCAPE, urlEscapeIssues } from './url-escapes.ts'

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

/**
 * The `defaultHook` of every OpenAPIHono the platform creates. A form body is checked for text
 * that cannot be stored here, once parsed (a JSON body is checked by {@link jsonSyntax}).
 */
export function validationHook(result: { success: boolean; data?: unknown; error?: z.ZodError; target: string }): void {
  if (!result.success && result.error) throw errors.invalid(zodIssues(result.error, TARGET_NAMES[result.target] ?? result.target))
  if (result.target === 'form') refuseUnsafeText(result.data, 'body')
}

/** A route's own validation hook (`app.openapi(route, handler, hook)`), or the app's default. */
export type ValidationHook = (result: { success: boolean; data?: unknown; error?: z.ZodError; target: string }, c: Context) => unknown

/**
 * The query string as @hono/zod-openapi's query validator hands it to zod: a name given once is
 * a string, a name given again an array of its values; names and values are URL-decoded (`+`
 * is a space, a broken escape is kept as written), empty names are skipped. One pass over the
 * query, where Hono's `c.req.queries()` scans the whole URL twice and builds an array per name.
 */
export function queryValues(url: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  const hash = url.indexOf('#', 8)
  const end = hash === -1 ? url.length : hash
  let start = url.indexOf('?', 8)
  if (start === -1 || start > end) return values
  while (start !== -1) {
    let next = url.indexOf('&', start + 1)
    if (next > end) next = -1
    const pairEnd = next === -1 ? end : next
    const equals = url.indexOf('=', start + 1)
    const nameEnd = equals === -1 || equals > pairEnd ? pairEnd : equals
    const name = decodeQueryPart(url.slice(start + 1, nameEnd))
    start = next
    if (name === '') continue
    const value = nameEnd === pairEnd ? '' : decodeQueryPart(url.slice(nameEnd + 1, pairEnd))
    const earlier = Object.hasOwn(values, name) ? values[name] : undefined
    const merged = earlier === undefined ? value : Array.isArray(earlier) ? (earlier.push(value), earlier) : [earlier, value]
    // A plain assignment to `__proto__` would set the prototype instead of a field.
    if (name === '__proto__') Object.defineProperty(values, name, { value: merged, enumerable: true, writable: true, configurable: true })
    else values[name] = merged
  }
  return values
}

/** zod's synchronous parse, or its asynchronous one for a schema with async refinements. */
function safeParse(schema: z.ZodType, value: unknown): z.ZodSafeParseResult<unknown> | Promise<z.ZodSafeParseResult<unknown>> {
  try {
    return schema.safeParse(value)
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value)
    throw error
  }
}

/**
 * Validates the query string as @hono/zod-openapi's query validator does (same input, hook and
 * 400 answer when a hook lets a failure through), but synchronously when the schema and hook
 * are: the route's chain then stays synchronous (see fused-router.ts).
 */
export function queryValidator(schema: z.ZodType, hook: ValidationHook): (c: Context, next: Next) => unknown {
  return (c, next) => validated(c, next, 'query', schema, hook, queryValues(c.req.url))
}

/** zod-openapi's test of a request's content type against a declared `application/json` body. */
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i

/**
 * Validates a route's required JSON body as @hono/zod-openapi's media-type gate and body
 * validator do (415 for another content type or for a body without one, the same hook, the
 * same 400 when a hook lets a failure through), on the value {@link jsonSyntax} already parsed,
 * and synchronously: no second read and parse of the body, no promise per step. Runs just
 * before the handler, where zod-openapi runs it (after the path, header and cookie validators).
 */
export function jsonBodyValidator(schema: z.ZodType, hook: ValidationHook): (c: Context, next: Next) => unknown {
  return (c, next) => {
    const type = c.req.header('content-type')
    if (type) {
      if (!JSON_REQUEST.test(type)) throw new HTTPException(415, { message: 'Unsupported Media Type' })
      // jsonSyntax parsed every body of such a type; read it again only if something went around it.
      return parsedBodies.has(c.req) ? validated(c, next, 'json', schema, hook, parsedBodies.get(c.req)) : c.req.json().then((body) => validated(c, next, 'json', schema, hook, body))
    }
    // No content type: a body is refused, none is validated as `{}` (as Hono's validator reads it).
    return c.req.arrayBuffer().then((bytes) => {
      if (bytes.byteLength > 0) throw new HTTPException(415, { message: 'Unsupported Media Type' })
      return validated(c, next, 'json', schema, hook, {})
    })
  }
}

/** `data` validated as zod-openapi's validators do, synchronously as far as the schema and hook allow. */
function validated(c: Context, next: Next, target: 'query' | 'json', schema: z.ZodType, hook: ValidationHook, data: unknown): unknown {
  const result = safeParse(schema, data)
  return isThenable(result) ? result.then((settled) => conclude(c, next, target, hook, data, settled)) : conclude(c, next, target, hook, data, result)
}

function conclude(c: Context, next: Next, target: 'query' | 'json', hook: ValidationHook, data: unknown, result: z.ZodSafeParseResult<unknown>): unknown {
  // The platform's own hook does nothing with a success: no need to build its argument.
  if (result.success && hook === validationHook) return proceed(c, next, target, undefined, result)
  const answer = hook({ data, ...result, target }, c)
  return isThenable(answer) ? answer.then((settled) => proceed(c, next, target, settled, result)) : proceed(c, next, target, answer, result)
}

/** What zod-openapi's validator does after the hook: its answer, a 400, or the next step. */
function proceed(c: Context, next: Next, target: 'query' | 'json', answer: unknown, result: z.ZodSafeParseResult<unknown>): unknown {
  if (answer instanceof Response) return answer
  if (answer && typeof answer === 'object' && 'response' in answer) return (answer as { response: Response }).response
  if (!result.success) return c.json(result, 400)
  c.req.addValidatedData(target, result.data as never)
  return next()
}

/**
 * Refuses a request whose path parameters or query values hold text that cannot be stored
 * (422, `path.id`, `query.q`). A URL can carry a NUL only as `%00` (the HTTP parser refuses a
 * raw one), and a lone surrogate or other bytes that are not UTF-8 only as escapes of bytes
 * above 0x7F (see url-escapes.ts), so a URL with neither passes without anything being decoded.
 */
export const urlText = (c: Context, next: Next) => {
  const url = c.req.url
  if (url.indexOf('%00') !== -1) {
    refuseUnsafeText(c.req.param(), 'path')
    refuseUnsafeText(queryValues(url), 'query')
  }
  if (NON_ASCII_ESCAPE.test(url)) {
    const issues = urlEscapeIssues(url, c.req.routePath)
    if (issues.length) throw errors.invalid(issues)
  }
  return next()
}

/** The JSON body {@link jsonSyntax} parsed, per request, for the route's {@link jsonBodyValidator}. */
const parsedBodies = new WeakMap<object, unknown>()

/** Decodes a body as UTF-8 and throws on the first byte that is not (no U+FFFD stand-ins). */
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a JSON body once up front so a syntax error is answered with its position instead of
 * a generic message, bytes that are not UTF-8 with a 400 (never stored as U+FFFD), and strings
 * or keys that cannot be stored with a 422 naming them. The decoded text is left in Hono's body
 * cache, so the validator that follows does not read the body again.
 */
export const jsonSyntax: MiddlewareHandler = (c, next) => {
  // GET and HEAD carry no body to check (and reading a header costs on every read request).
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  return checkJsonBody(c, next)
}

const checkJsonBody: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('content-type')
  if (type && /^application\/([a-z-.]+\+)?json/i.test(type)) {
    const bytes = await c.req.arrayBuffer()
    let text: string
    try {
      text = utf8.decode(bytes)
    } catch {
      throw new OcError('OC_MALFORMED_JSON', 'the request body is not valid UTF-8; send the JSON document encoded as UTF-8')
    }
    // Hono keeps promises in its body cache (its type says values): `c.req.text()` and `json()` read this.
    ;(c.req.bodyCache as unknown as { text?: Promise<string> }).text = Promise.resolve(text)
    if (text.trim() === '') throw new OcError('OC_MALFORMED_JSON', 'the request body is empty; send a JSON document')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new OcError('OC_MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`)
    }
    refuseUnsafeJson(text, value)
    parsedBodies.set(c.req, value)
  }
  await next()
}
