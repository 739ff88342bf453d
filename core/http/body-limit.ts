/**
 * The request body limit of `/api/v1` and of every mounted group: a body over `maxSize` bytes
 * is refused with 413 `OC_PAYLOAD_TOO_LARGE` before a handler reads it.
 *
 * A body with a Content-Length is judged by that header alone: the HTTP parser never delivers
 * more than it declares. Only a chunked body is counted as it streams (Hono's `bodyLimit`). The
 * difference matters on Node: touching `c.req.raw.body` makes @hono/node-server build a full
 * web Request with a ReadableStream, where `c.req.json()` otherwise reads the socket directly.
 * GET and HEAD carry no body and skip the check.
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { PlatformEnv } from '../plugin/context.ts'
import { OcError } from './errors.ts'

export function requestBodyLimit(maxSize: number): MiddlewareHandler<PlatformEnv> {
  const tooLarge = (): never => {
    throw new OcError('OC_PAYLOAD_TOO_LARGE', `the request body is over the limit of ${maxSize} bytes`)
  }
  const streamed = bodyLimit({ maxSize, onError: tooLarge })
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const declared = c.req.header('content-length')
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    return Number(declared) > maxSize ? tooLarge() : next()
  }
}
