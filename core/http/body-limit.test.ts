/**
 * The body limit on a real Node server: a declared Content-Length is judged by the header, a
 * chunked body by counting it as it streams; under the limit the handler reads the body whole.
 */
import { request } from 'node:http'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveNode, type RunningServer } from '../runtime/node.ts'
import { createLogger } from '../log.ts'
import { errorHandler } from './errors-middleware.ts'
import { requestBodyLimit } from './body-limit.ts'

const LIMIT = 1000

let server: RunningServer
beforeAll(async () => {
  const app = new Hono()
  app.onError(errorHandler(createLogger('error')))
  app.use('*', requestBodyLimit(LIMIT) as never)
  app.post('/echo', async (c) => c.json({ length: JSON.stringify(await c.req.json()).length }))
  app.get('/echo', (c) => c.json({ get: true }))
  server = await serveNode(app)
})
afterAll(() => server.close())

/** One POST over a fresh connection; `chunked` sends the body without a Content-Length. */
function post(body: string, chunked: boolean): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/echo', server.url)
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }) } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    if (chunked) {
      // Two writes, so the body really arrives in chunks.
      req.write(body.slice(0, body.length >> 1))
      req.end(body.slice(body.length >> 1))
    } else req.end(body)
  })
}

const json = (size: number) => JSON.stringify({ text: 'x'.repeat(size - 11) })

describe('requestBodyLimit', () => {
  it.each([false, true])('lets a body up to the limit through whole (chunked: %s)', async (chunked) => {
    const answer = await post(json(LIMIT), chunked)
    expect(answer).toEqual({ status: 200, body: { length: LIMIT } })
  })

  it.each([false, true])('refuses a body over the limit with 413 OC_PAYLOAD_TOO_LARGE (chunked: %s)', async (chunked) => {
    const answer = await post(json(LIMIT + 1), chunked)
    expect(answer.status).toBe(413)
    expect(answer.body.error.code).toBe('OC_PAYLOAD_TOO_LARGE')
    expect(answer.body.error.message).toContain(`${LIMIT} bytes`)
  })

  it('does not look at GET requests', async () => {
    const res = await fetch(new URL('/echo', server.url))
    expect(await res.json()).toEqual({ get: true })
  })
})
