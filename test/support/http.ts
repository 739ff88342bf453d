/**
 * A `fetch` over node:http for tests against real servers. Unlike the global fetch it sends
 * the `Host` header as given, which host-name tenant resolution needs.
 */
import { request as httpRequest } from 'node:http'

export function httpFetch(baseUrl: string): (request: Request) => Promise<Response> {
  const base = new URL(baseUrl)
  return async (request) => {
    const url = new URL(request.url)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const headers: Record<string, string> = {}
    request.headers.forEach((value, key) => (headers[key] = value))
    if (body) headers['content-length'] = String(body.byteLength)
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: base.hostname, port: base.port, method: request.method, path: url.pathname + url.search, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            const responseHeaders = new Headers()
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined) responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : value)
            }
            const status = res.statusCode ?? 500
            resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }))
          })
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }
}
