/**
 * The last stop of every request: request ids, and turning any thrown error into the one
 * JSON error shape. Client mistakes keep their 4xx; anything unexpected is a 500 whose body
 * says only the request id, while the log line carries the details.
 */
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Logger } from '../log.ts'
import { OcError } from './errors.ts'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Takes the caller's `X-Request-Id` when it is sane, else makes one; echoes it on the response. */
export function assignRequestId(c: Context): void {
  const given = c.req.header('x-request-id')
  const id = given && REQUEST_ID.test(given) ? given : crypto.randomUUID()
  c.set('requestId', id)
  echoHeader(c, 'x-request-id', id)
}

/**
 * Puts a header on whatever response the request ends with. On Node the header goes straight on
 * the outgoing message (@hono/node-server hands it over as `env.outgoing`; `writeHead` merges
 * it): `c.header` would give Hono's response a `Headers` object, which costs its construction
 * and sends the adapter down its slower header path. Elsewhere `c.header`, set before the
 * handler runs, so touching `c.res.headers` afterwards is never needed.
 */
export function echoHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (name: string, value: string) => unknown } } | undefined)?.outgoing
  if (typeof outgoing?.setHeader === 'function') outgoing.setHeader(name, value)
  else c.header(name, value)
}

function fromHttpException(error: HTTPException, c: Context): OcError {
  switch (error.status) {
    case 400:
      return /json/i.test(error.message)
        ? new OcError('OC_MALFORMED_JSON', `the request body is not valid JSON: ${error.message}`)
        : new OcError('OC_BAD_REQUEST', error.message || 'bad request')
    case 413:
      return new OcError('OC_PAYLOAD_TOO_LARGE', 'the request body is over the size limit')
    case 415:
      return new OcError('OC_UNSUPPORTED_MEDIA_TYPE', `this route does not accept content type '${c.req.header('content-type') ?? 'none'}'; send application/json`)
    default:
      return new OcError(error.status >= 500 ? 'OC_INTERNAL' : 'OC_BAD_REQUEST', error.message, { status: error.status })
  }
}

/**
 * A thrown error as the coded error it stands for, or undefined when it is unexpected: Hono's and
 * the route library's own refusals (415 for a content type the route does not take, malformed
 * JSON, 413) are client mistakes too. Error handlers with another answer shape (the compat API)
 * use it to keep those 4xx.
 */
export function knownError(error: unknown, c: Context): OcError | undefined {
  if (error instanceof OcError) return error
  if (error instanceof HTTPException) return fromHttpException(error, c)
  return undefined
}

export function errorHandler(log: Logger): ErrorHandler {
  return (error, c) => {
    const id = c.get('requestId') as string | undefined
    const answer = knownError(error, c) ?? new OcError('OC_INTERNAL', `an unexpected error occurred; quote request id ${id} when reporting it`)
    if (answer.status >= 500) log.error('request failed', { requestId: id, method: c.req.method, path: c.req.path, error })
    // The request-id header is already on the context (set before the handler ran).
    return c.json(answer.toBody(id), answer.status as never)
  }
}

export const notFound = (c: Context) => {
  const id = c.get('requestId') as string | undefined
  return c.json(new OcError('OC_NOT_FOUND', `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json`).toBody(id), 404)
}
