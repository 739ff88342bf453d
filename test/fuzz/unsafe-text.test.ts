/**
 * A sweep over every operation of the platform and service OpenAPI documents, generated from
 * the documents themselves so a new route is covered the day it is declared. Into every string
 * place of each JSON body (schema-places.ts), every query parameter and every path parameter,
 * and into an undeclared query parameter of each operation, it puts text PostgreSQL cannot
 * store or that is not text at all: a NUL, a lone surrogate (in JSON the `\ud800` escape, in a
 * URL the bytes `%ED%A0%80`) and bytes that are not UTF-8. Every answer must be a 4xx: API
 * input is refused, never stored and never a 500. Mail (`message/rfc822`) is not API input: it
 * is cleaned where it arrives (README, T9), so there a 2xx is right and only a 5xx is wrong.
 *
 * Each operation is called with the credential it takes: operator routes with an operator
 * token, an organization's routes with a signed-in owner's token, a service's routes with the
 * operator token, signed compat routes (`/openapi/v1`) with a signature made from the service
 * key, public ones with none. A control call per credential shows each one gets through, so a
 * refusal is the poison's and not a missing credential's. Failures are gathered into one list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../support/databases.ts'
import { addMember, signIn } from '../support/identity.ts'
import { CLIENT_IP, compatBed, type CompatBed } from '../oc-compat/harness.ts'
import { signature } from '../oc-compat/client.ts'
import { SchemaWalker, type Schema } from './schema-places.ts'

const ORIGIN = 'http://opencontact.test'

interface Poison {
  name: string
  /** The text in a JSON string (serialized by JSON.stringify: a lone surrogate becomes its escape). */
  json: string
  /** The same in a URL. */
  url: string
}

/** `BYTES` in a JSON text is replaced by bytes that are not UTF-8 (a lead byte without its follower). */
const BYTES = 'NOT-UTF-8-HERE'
const POISONS: Poison[] = [
  { name: 'NUL', json: 'a\u0000b', url: 'a%00b' },
  { name: 'lone surrogate', json: 'a\ud800b', url: 'a%ED%A0%80b' },
  { name: 'invalid UTF-8', json: BYTES, url: 'a%C3%28b' },
]

function jsonBytes(value: unknown): Uint8Array {
  const text = JSON.stringify(value)
  const at = text.indexOf(BYTES)
  if (at === -1) return new TextEncoder().encode(text)
  const before = new TextEncoder().encode(text.slice(0, at))
  const after = new TextEncoder().encode(text.slice(at + BYTES.length))
  return new Uint8Array([...before, 0x61, 0xc3, 0x28, 0x62, ...after])
}

interface Operation {
  doc: 'platform' | 'service'
  method: string
  /** The path as the document writes it (`/ticket/tickets/{id}`). */
  path: string
  /** Where it is served: the document's (or the path's own) server URL. */
  server: string
  op: Schema
}

function operations(doc: Schema, which: Operation['doc']): Operation[] {
  const found: Operation[] = []
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    const server = String((item.servers ?? doc.servers)?.[0]?.url ?? '/').replace(/\/$/, '')
    for (const [method, op] of Object.entries<Schema>(item)) if (op && typeof op === 'object' && op.responses) found.push({ doc: which, method: method.toUpperCase(), path, server, op })
  }
  return found
}

type Credential = 'operator' | 'member' | 'signed' | 'none'

function credentialOf(o: Operation): Credential {
  if (o.path.startsWith('/openapi/v1/')) return 'signed'
  if (!o.op.security?.length) return 'none'
  return o.doc === 'platform' && o.path.startsWith('/o/{org}/org/') ? 'member' : 'operator'
}

describe.each(DRIVERS)('unsafe text in every operation of the documents on %s', (driver) => {
  let bed: CompatBed
  let memberToken: string
  let send: (o: Operation, url: string, body?: { type: string; bytes: Uint8Array | FormData }) => Promise<{ status: number; text: string }>
  const docs: Record<Operation['doc'], Schema> = { platform: {}, service: {} }

  beforeAll(async () => {
    bed = await compatBed(driver)
    const owner = await addMember(bed.t, 'acme', 'fuzz-owner@example.com', 'owner')
    memberToken = (await signIn(bed.t, 'acme', owner)).accessToken
    docs.platform = (await bed.call('/openapi.json')).body
    docs.service = (await bed.call(`${bed.api}/openapi.json`)).body
    const fetchFrom = bed.fetchFrom(CLIENT_IP)
    send = async (o, url, body) => {
      const headers: Record<string, string> = {}
      const credential = credentialOf(o)
      if (credential === 'operator') headers.authorization = `Bearer ${bed.t.operatorToken}`
      if (credential === 'member') headers.authorization = `Bearer ${memberToken}`
      if (body && !(body.bytes instanceof FormData)) headers['content-type'] = body.type
      if (credential === 'signed') {
        // The documented signature, over what the server reads: decoded query values and the body as text.
        const parsed = new URL(url)
        const values = [...parsed.searchParams.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v).join('&')
        const file = body?.bytes instanceof FormData ? (body.bytes.get('file') as File) : null
        const signed = file ? await md5(file) : values
        const text = body && !(body.bytes instanceof FormData) ? new TextDecoder().decode(body.bytes) : ''
        const timestamp = String(Date.now())
        headers['X-TC-Timestamp'] = timestamp
        headers.Authorization = signature(bed.securityKey, `${bed.orgId}${parsed.pathname}${signed}${signed && text ? '&' : ''}${text}${timestamp}`)
      }
      const response = await fetchFrom(new Request(url, { method: o.method, headers, body: body?.bytes as BodyInit | undefined }))
      return { status: response.status, text: await response.text() }
    }
  }, 180_000)
  afterAll(() => bed?.t.close())

  /** A valid-looking value for each path parameter, so only the poisoned one is wrong. */
  const pathValue = (name: string, schema: Schema): string =>
    ({ org: 'acme', service: 'desk', plugin: 'ticket', usercode: 'fuzz-user', ticketId: 'T1658199661153IXTfw' })[name] ??
    (schema.example !== undefined ? String(schema.example) : schema.format === 'uuid' ? crypto.randomUUID() : schema.type === 'integer' || schema.pattern?.includes('\\d') ? '1' : 'sample')

  const urlOf = (o: Operation, poisoned: { path?: string; query?: string } = {}, poison = '') => {
    const params: Schema[] = o.op.parameters ?? []
    const path = o.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === poisoned.path ? poison : encodeURIComponent(pathValue(name, params.find((p) => p.name === name)?.schema ?? {}))))
    const query = poisoned.query ? `?${encodeURIComponent(poisoned.query)}=${poison}` : ''
    return `${o.server.startsWith('http') ? o.server : ORIGIN + o.server}${path}${query}`
  }

  it('answers only 4xx, on every operation, to a NUL, a lone surrogate or bytes that are not UTF-8 in any string input', async () => {
    const all = [...operations(docs.platform, 'platform'), ...operations(docs.service, 'service')]
    expect(all.length).toBeGreaterThan(150)
    const failures: string[] = []
    const tried = new Map<string, number>()
    const expectRefused = async (o: Operation, where: string, poison: Poison, answer: Promise<{ status: number; text: string }>, mail = false) => {
      const key = `${o.method} ${o.server.replace(ORIGIN, '')}${o.path}`
      tried.set(key, (tried.get(key) ?? 0) + 1)
      const { status, text } = await answer
      const fine = mail ? status < 500 : status >= 400 && status < 500
      if (!fine) failures.push(`${key} ${where} (${poison.name}) answered ${status}: ${text.slice(0, 200)}`)
    }
    for (const o of all) {
      const walker = new SchemaWalker(docs[o.doc])
      const params: Schema[] = o.op.parameters ?? []
      const content: Record<string, Schema> = o.op.requestBody?.content ?? {}
      for (const poison of POISONS) {
        for (const p of params.filter((p) => p.in === 'path' || p.in === 'query')) {
          const where = `${p.in === 'path' ? 'path' : 'query'}.${p.name}`
          const url = urlOf(o, p.in === 'path' ? { path: p.name } : { query: p.name }, poison.url)
          await expectRefused(o, where, poison, send(o, url, bodyFor(o, walker)))
        }
        // An undeclared parameter reaches every route, those without inputs of their own included.
        await expectRefused(o, 'query.probe', poison, send(o, urlOf(o, { query: 'probe' }, poison.url), bodyFor(o, walker)))
        if (content['application/json']) {
          for (const place of walker.places(content['application/json'].schema, 'body')) {
            await expectRefused(o, place.at, poison, send(o, urlOf(o), { type: 'application/json', bytes: jsonBytes(place.fill(poison.json)) }))
          }
        }
        if (content['multipart/form-data']) {
          const form = new FormData()
          form.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), `${poison.json === BYTES ? 'a\ufffdb' : poison.json}.png`)
          if (poison.json !== BYTES) await expectRefused(o, 'body.file (name)', poison, send(o, urlOf(o), { type: 'multipart/form-data', bytes: form }))
        }
        if (content['message/rfc822']) {
          await expectRefused(o, 'body (message)', poison, send(o, urlOf(o), { type: 'message/rfc822', bytes: poisonedMail(poison) }), true)
        }
      }
    }
    expect(failures).toEqual([])
    // Every operation was called, each more than once (every poison at least in `probe`).
    expect(all.filter((o) => !tried.has(`${o.method} ${o.server.replace(ORIGIN, '')}${o.path}`)).map((o) => `${o.method} ${o.path}`)).toEqual([])
  }, 600_000)

  it('gets through with each credential it uses, so the refusals above are the poison\'s', async () => {
    const find = (doc: Operation['doc'], method: string, path: string) => operations(docs[doc], doc).find((o) => o.method === method && o.path === path)!
    const controls: Array<[Operation, string]> = [
      [find('platform', 'GET', '/operator/v1/organizations'), 'operator'],
      [find('platform', 'GET', '/o/{org}/org/v1/me'), 'member'],
      [find('service', 'GET', '/ticket/tickets'), 'operator'],
      [find('service', 'GET', '/openapi/v1/ticket/enduser/{usercode}/list.json'), 'signed'],
      [find('service', 'GET', '/api/v2/ticket/categories.json'), 'none'],
    ]
    for (const [o, credential] of controls) {
      expect(credentialOf(o)).toBe(credential)
      const answer = await send(o, urlOf(o))
      expect(answer.status, `${o.method} ${o.path}: ${answer.text.slice(0, 300)}`).toBe(200)
    }
  })
})

/** A sample body for an operation whose poison is elsewhere (a parameter), or none. */
function bodyFor(o: Operation, walker: SchemaWalker): { type: string; bytes: Uint8Array } | undefined {
  const json = o.op.requestBody?.content?.['application/json']
  return json ? { type: 'application/json', bytes: jsonBytes(walker.sample(json.schema)) } : undefined
}

/** A mail with the poison in its subject and in a base64 text body. */
function poisonedMail(poison: Poison): Uint8Array {
  const text = poison.json === BYTES ? new Uint8Array([0x61, 0xc3, 0x28, 0x62]) : new TextEncoder().encode(poison.json)
  const head = ['From: Fuzz <fuzz@example.com>', 'To: desk@acme.example', `Subject: ${poison.json === BYTES ? 'bytes' : poison.json}`, `Message-ID: <${crypto.randomUUID()}@example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', ''].join('\r\n')
  return new Uint8Array([...new TextEncoder().encode(head), ...new TextEncoder().encode(Buffer.from(text).toString('base64')), 13, 10])
}

async function md5(file: File): Promise<string> {
  const { createHash } = await import('node:crypto')
  return createHash('md5').update(new Uint8Array(await file.arrayBuffer())).digest('hex')
}
