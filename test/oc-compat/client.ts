/**
 * A client of the Online Contact OPEN API written from its public documentation only (the API
 * guide's overview, inquiry and inquiry-history pages), as an existing integration would be: it
 * knows the URLs `https://{domain}/{serviceId}/openapi/v1/...` and `/api/v2/...`, computes the
 * `Authorization` signature itself, and reads the documented envelope. It imports nothing from
 * the server's code; only a `fetch` is handed in (the test harness's, or a real one).
 *
 *   Authorization  = Base64(HmacSHA256(key = service key, orgId + requestURI + parameter values
 *                    sorted by parameter name joined with '&' + ('&' if both) + body + timestamp))
 *   X-TC-Timestamp = new Date().getTime()
 *   multipart upload: the file's MD5 hex where the parameter values go
 */
import { createHash, createHmac } from 'node:crypto'

export interface Envelope<R = any> {
  header: { resultCode: number; resultMessage: string; isSuccessful: boolean }
  result: R
}

export interface ClientConfig {
  /** `https://{domain}`; the service id follows it in every path. */
  origin: string
  serviceId: string
  /** The organization id shown with the service's OPEN API settings. */
  orgId: string
  securityKey: string
  fetch(request: Request): Promise<Response>
  /** Epoch ms; tests move it to make expired timestamps. */
  now?: () => number
}

export interface Answer<R = any> {
  status: number
  body: Envelope<R>
}

export function signature(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64')
}

export function ocClient(config: ClientConfig) {
  const now = config.now ?? (() => Date.now())
  const url = (path: string, query: Record<string, string | string[]> = {}) => {
    const u = new URL(`${config.origin}/${config.serviceId}${path}`)
    for (const [name, value] of Object.entries(query)) for (const v of [value].flat()) u.searchParams.append(name, v)
    return u
  }
  const parameterValues = (u: URL) =>
    [...u.searchParams.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, v]) => v)
      .join('&')

  async function send<R>(method: string, path: string, options: { query?: Record<string, string | string[]>; json?: unknown; file?: { name: string; type: string; bytes: Uint8Array }; headers?: Record<string, string>; sign?: boolean } = {}): Promise<Answer<R>> {
    const u = url(path, options.query)
    const timestamp = String(now())
    const headers: Record<string, string> = { 'X-TC-Timestamp': timestamp, ...options.headers }
    let body: BodyInit | undefined
    let message: string
    if (options.file) {
      const form = new FormData()
      form.append('file', new Blob([options.file.bytes as Uint8Array<ArrayBuffer>], { type: options.file.type }), options.file.name)
      body = form
      message = config.orgId + u.pathname + createHash('md5').update(options.file.bytes).digest('hex') + timestamp
    } else {
      const text = options.json === undefined ? '' : JSON.stringify(options.json)
      if (options.json !== undefined) {
        body = text
        headers['Content-Type'] = 'application/json'
      }
      const values = parameterValues(u)
      message = config.orgId + u.pathname + values + (values && text ? '&' : '') + text + timestamp
    }
    if (options.sign !== false) headers.Authorization = signature(config.securityKey, message)
    const response = await config.fetch(new Request(u, { method, headers, body }))
    return { status: response.status, body: (await response.json()) as Envelope<R> }
  }

  return {
    send,
    categories: (query: Record<string, string> = {}) => send<{ contents: any[] }>('GET', '/api/v2/ticket/categories.json', { query, sign: false }),
    fields: (categoryId: number, language?: string) => send<{ contents: any[] }>('GET', `/api/v2/ticket/field/user/${categoryId}.json`, { query: language ? { language } : {}, sign: false }),
    download: (attachmentId: string, type: 'download' | 'open' = 'download') => config.fetch(new Request(url(`/api/v2/ticket/attachments/${attachmentId}`, { type }))),
    upload: (file: { name: string; type: string; bytes: Uint8Array }) => send<{ content: any }>('POST', '/openapi/v1/ticket/attachments/upload.json', { file }),
    createTicket: (ticket: unknown, headers?: Record<string, string>) => send<{ content: any; contents?: any[] }>('POST', '/openapi/v1/ticket.json', { json: ticket, headers }),
    list: (usercode: string, query: Record<string, string> = {}) => send<{ contents: any[]; total: number; pages: number; pageNum: number; pageSize: number }>('GET', `/openapi/v1/ticket/enduser/${encodeURIComponent(usercode)}/list.json`, { query }),
    detail: (usercode: string, ticketId: string) => send<{ content: any }>('GET', `/openapi/v1/ticket/enduser/${encodeURIComponent(usercode)}/${ticketId}/detail.json`),
    comment: (usercode: string, ticketId: string, comment: string, attachments: string[] = []) =>
      send<{ content: any }>('POST', `/openapi/v1/ticket/enduser/${encodeURIComponent(usercode)}/${ticketId}/comment.json`, { json: { comment }, query: attachments.length ? { attachments: attachments.join(',') } : {} }),
  }
}
