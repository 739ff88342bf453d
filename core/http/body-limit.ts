/**
 * The request body limit of `/api/v1` and of every mounted group: a body over `maxSize` bytes
 * is refused with 413 `OC_PAYLOAD_TOO_LARGE` before a handler reads it.
 *
 * A body with a Content-Length is judged by that header alone: the HTTP parser never delivers
 * more than it declares. Only a chunked body is counted as it streams. The difference matters
 * on Node: touching `c.req.raw.body` makes @hono/node-server build a full web Request with a
 * ReadableStream, where `c.req.json()` otherwise reads the socket directly. GET and HEAD carry
 * no body and skip the check.
 *
 * A refused body is still read, and thrown away, up to {@link DRAIN_BYTES} past the limit (for
 * at most {@link DRAIN_MS}), before the 413 goes out. Many clients send the whole body before
 * they read the answer; a server that answers and then stops reading makes the connection
 * reset, and the reset discards the 413 waiting in the client's buffer, so the client sees
 * ECONNRESET or EPIPE instead of the error. A body larger still is answered at once with
 * `Connection: close`: past the bound, the connection is not worth keeping.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { PlatformEnv } from '../api/context.ts'
import { OcError } from './errors.ts'

/** How far past the limit a refused body is read so that its client can read the 413. */
export const DRAIN_BYTES = 4 * 1024 * 1024
/** How long a refused body is read at most. */
export const DRAIN_MS = 10_000

type BodyReader = ReadableStreamDefaultReader<Uint8Array>

/** Reads and drops the rest of a body until it ends (true) or passes `bound` bytes or the time limit (false). */
async function drain(reader: BodyReader, read: number, bound: number): Promise<boolean> {
  const deadline = Date.now() + DRAIN_MS
  while (read <= bound) {
    const left = deadline - Date.now()
    if (left <= 0) return false
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, left, null)))
    const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer))
    if (chunk === null) return false
    if (chunk.done) return true
    read += chunk.value.byteLength
  }
  return false
}

export function requestBodyLimit(maxSize: number): MiddlewareHandler<PlatformEnv> {
  const bound = maxSize + DRAIN_BYTES
  const tooLarge = () => new OcError('OC_PAYLOAD_TOO_LARGE', `the request body is over the limit of ${maxSize} bytes`)
  /** Drains what is within the bound, then throws the 413. */
  const refuse = async (c: Context, reader: BodyReader | undefined, read: number): Promise<never> => {
    const whole = reader !== undefined && read <= bound && (await drain(reader, read, bound).catch(() => false))
    if (!whole) c.header('connection', 'close')
    throw tooLarge()
  }
  const streamed: MiddlewareHandler<PlatformEnv> = async (c, next) => {
    const body = c.req.raw.body
    if (!body) return next()
    const reader = body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxSize) return refuse(c, reader, size)
      chunks.push(value)
    }
    const whole = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) whole.set(chunk, offset), (offset += chunk.byteLength)
    c.req.raw = new Request(c.req.raw, { body: whole })
    return next()
  }
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const declared = c.req.header('content-length')
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    const length = Number(declared)
    if (!(length > maxSize)) return next()
    return refuse(c, length <= bound ? c.req.raw.body?.getReader() : undefined, 0)
  }
}
