/**
 * The body limit on a real Node server: a declared Content-Length is judged by the header, a
 * chunked body by counting it as it streams; under the limit the handler reads the body whole.
 */
import { request } from 'node:http'
import { connect } from 'node:net'
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

/**
 * A client that sends its whole body before it reads the answer (as many do), over a raw
 * socket: it stops reading, writes the request at a modest pace (64 KiB every 25 ms, about
 * 2.5 MiB/s), then reads. A server that answers and then gives up on the unread body resets the
 * connection, and the reset throws away the answer waiting in the client's buffer.
 */
function postWholeThenRead(size: number, chunked: boolean): Promise<{ status?: number; body?: any; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1')
    let received = ''
    let settled = false
    const settle = (answer: { status?: number; body?: any; error?: string }) => {
      if (settled) return
      settled = true
      socket.destroy()
      resolve(answer)
    }
    socket.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }))
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk
      const head = received.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(received.slice(0, head))
      if (head === -1 || !length || received.length < head + 4 + Number(length[1])) return
      settle({ status: Number(received.slice(9, 12)), body: JSON.parse(received.slice(head + 4, head + 4 + Number(length[1]))) })
    })
    socket.on('end', () => settle({ error: `closed after ${JSON.stringify(received.slice(0, 80))}` }))
    socket.pause()
    const framing = chunked ? 'transfer-encoding: chunked' : `content-length: ${size}`
    socket.write(`POST /echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${framing}\r\n\r\n`)
    const piece = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    const write = () => {
      if (settled) return
      if (sent >= size) {
        if (chunked) socket.write('0\r\n\r\n')
        return void socket.resume()
      }
      const next = piece.subarray(0, Math.min(piece.length, size - sent))
      sent += next.length
      socket.write(chunked ? Buffer.concat([Buffer.from(`${next.length.toString(16)}\r\n`), next, Buffer.from('\r\n')]) : next)
      setTimeout(write, 25)
    }
    write()
  })
}

describe('requestBodyLimit on a body megabytes over the limit', () => {
  it.each([false, true])('lets a client that reads only after sending everything read the 413 JSON (chunked: %s)', async (chunked) => {
    const answer = await postWholeThenRead(LIMIT + 3 * 1024 * 1024, chunked)
    expect(answer.error).toBeUndefined()
    expect(answer.status).toBe(413)
    expect(answer.body.error.code).toBe('OC_PAYLOAD_TOO_LARGE')
  })
})
