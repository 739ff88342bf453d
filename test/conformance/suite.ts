/**
 * The conformance suite (C12): one set of behaviours every runtime must show, run against a
 * server on Node, on Deno and on workerd by a thin harness each. The target has the `hello`
 * example plugin and the ticket plugin it depends on installed, `oc.test` as base domain and a 64 KiB body
 * limit. Services are made and agents signed in through the test harness (core/testing.ts)
 * over the target's fetch, as a plugin's own tests would against a platform in process.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Call, caller, type TestClient, type TestService, testClient } from '../../core/testing.ts'
import { startReceiver } from '../support/events.ts'
import { verifyWebhook } from '../support/verify-webhook.ts'
import { ticketFlowTests } from './ticket-flow.ts'
import { helloFlows } from '../../examples/hello-plugin/flows.ts'

export interface ConformanceTarget {
  fetch(request: Request): Promise<Response>
  operatorToken: string
  close(): Promise<void>
}

export const CONFORMANCE_BASE_DOMAIN = 'oc.test'
/** The release every runtime's `/healthz` must report: package.json's, read here in Node. */
const PACKAGE_JSON_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
export const CONFORMANCE_BODY_LIMIT = 64 * 1024

export function conformanceSuite(runtime: string, start: () => Promise<ConformanceTarget>): void {
  describe(`conformance on ${runtime}`, () => {
    let target: ConformanceTarget
    let call: Call
    let client: TestClient
    let desk: TestService
    const org = `conf-${crypto.randomUUID().slice(0, 8)}`
    const svc = (code: string) => `/o/${org}/${code}/api/v1`

    beforeAll(async () => {
      target = await start()
      client = testClient({ fetch: target.fetch, operatorToken: target.operatorToken, baseUrl: 'http://127.0.0.1' })
      call = client.call
      await client.service(org, 'svc', { name: 'With hello', languages: ['ko', 'en'], plugins: ['ticket', 'hello'] })
      await client.service(org, 'bare', { name: 'Without plugins' })
      desk = await client.service(org, 'desk', { name: 'Help desk', languages: ['ko', 'en'], plugins: ['ticket'] })
    }, 120_000)
    afterAll(async () => target?.close())

    ticketFlowTests(() => desk)
    // The example plugin's own API tests, unchanged, on this runtime.
    helloFlows(() => client)

    it('answers /healthz with the database driver', async () => {
      const res = await call('/healthz', { token: null })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ status: 'ok', version: PACKAGE_JSON_VERSION })
    })

    it('serves both docs pages with and without a trailing slash, each naming its own document', async () => {
      const spec = (page: { body: string }) => /data-spec="([^"]+)"/.exec(page.body)?.[1]
      for (const path of ['/docs', '/docs/', `${svc('svc')}/docs`, `${svc('svc')}/docs/`]) {
        const page = await call(path, { token: null })
        expect(page.status, path).toBe(200)
        expect(page.headers.get('content-type'), path).toContain('text/html')
        // The document the page loads, resolved as a browser would against the page's URL.
        const document = new URL(spec(page)!, `http://127.0.0.1${path}`).pathname
        expect(document, path).toBe(path.startsWith('/docs') ? '/openapi.json' : `${svc('svc')}/openapi.json`)
        expect((await call(document, { token: null })).body.openapi, path).toBe('3.1.0')
      }
    })

    it('publishes the platform OpenAPI 3.1 document and an offline docs page', async () => {
      const doc = await call('/openapi.json', { token: null })
      expect(doc.body.openapi).toBe('3.1.0')
      expect(Object.keys(doc.body.paths)).toContain('/operator/v1/organizations')
      const page = await call('/docs', { token: null })
      expect(page.headers.get('content-type')).toContain('text/html')
      expect(page.body).toContain('/docs/assets/swagger-ui-bundle.js')
      const bundle = await call('/docs/assets/swagger-ui-bundle.js', { token: null })
      expect(bundle.status).toBe(200)
      expect(String(bundle.body).length).toBeGreaterThan(100_000)
      expect((await call('/docs/assets/init.js', { token: null })).body).toContain('SwaggerUIBundle')
    })

    it('refuses the operator API without an operator token', async () => {
      const anonymous = await call('/operator/v1/organizations', { token: null })
      expect(anonymous.status).toBe(401)
      expect(anonymous.body.error.code).toBe('OC_UNAUTHENTICATED')
      const forged = await call('/operator/v1/organizations', { token: 'oco_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      expect(forged.status).toBe(401)
    })

    it('serves a contracted plugin and hides it where it is not contracted', async () => {
      expect((await call(`${svc('svc')}/hello/ping`, { token: null })).body).toEqual({ pong: true, service: 'svc' })
      const hidden = await call(`${svc('bare')}/hello/ping`, { token: null })
      expect(hidden.status).toBe(404)
      expect(hidden.body.error.code).toBe('OC_NOT_FOUND')
      const svcDoc = await call(`${svc('svc')}/openapi.json`, { token: null })
      const bareDoc = await call(`${svc('bare')}/openapi.json`, { token: null })
      expect(Object.keys(svcDoc.body.paths)).toContain('/hello/greetings')
      expect(Object.keys(bareDoc.body.paths)).not.toContain('/hello/greetings')
      expect(svcDoc.body.servers[0].url).toMatch(new RegExp(`/o/${org}/svc/api/v1$`))
    })

    it('applies a contract change at once, without a restart', async () => {
      const put = await call(`/operator/v1/organizations/${org}/services/bare/contract`, { method: 'PUT', body: { plugins: { ticket: {}, hello: { features: { loud: true } } } } })
      expect(put.status).toBe(200)
      expect((await call(`${svc('bare')}/hello/ping`, { token: null })).status).toBe(200)
      const greeting = await call(`${svc('bare')}/hello/greetings`, { body: { name: 'Ada' } })
      expect(greeting.body.text).toBe('HELLO, ADA!')
      await call(`/operator/v1/organizations/${org}/services/bare/contract`, { method: 'PUT', body: { plugins: {} } })
      expect((await call(`${svc('bare')}/hello/ping`, { token: null })).status).toBe(404)
    })

    it('writes through a plugin route and reads settings with secrets redacted', async () => {
      const put = await call(`${svc('svc')}/settings/hello`, { method: 'PUT', body: { greeting: 'Hi', signingKey: 'very-secret-key' } })
      expect(put.status).toBe(200)
      expect(put.body.values).toEqual({ greeting: 'Hi', punctuation: '!', retentionDays: 365 })
      expect(put.body.secretsSet).toEqual(['signingKey'])
      expect(JSON.stringify(put.body)).not.toContain('very-secret-key')
      const created = await call(`${svc('svc')}/hello/greetings`, { body: { name: 'Grace' } })
      expect(created.status).toBe(201)
      expect(created.body.text).toBe('Hi, Grace!')
      const list = await call(`${svc('svc')}/hello/greetings`)
      expect(list.body.greetings.map((g: { name: string }) => g.name)).toContain('Grace')
    })

    it('resolves the organization from the host name under the base domain', async () => {
      const viaHost = await caller(target.fetch, 'http://127.0.0.1', null)('/svc/api/v1/hello/ping', { headers: { host: `${org}.${CONFORMANCE_BASE_DOMAIN}` } })
      expect(viaHost.status).toBe(200)
      expect(viaHost.body.service).toBe('svc')
    })

    it('answers client mistakes with the JSON error shape, never a 500', async () => {
      const unknownOrg = await call('/o/no-such-org/svc/api/v1/hello/ping', { token: null })
      expect(unknownOrg.status).toBe(404)
      expect(unknownOrg.body.error.code).toBe('OC_TENANT_NOT_FOUND')
      const unknownService = await call(`/o/${org}/nope/api/v1/hello/ping`, { token: null })
      expect(unknownService.status).toBe(404)

      const malformed = await call(`${svc('svc')}/hello/greetings`, { body: '{"name": "x",' })
      expect(malformed.status).toBe(400)
      expect(malformed.body.error.code).toBe('OC_MALFORMED_JSON')
      expect(malformed.body.error.message).toMatch(/not valid JSON/)

      const wrongType = await call(`${svc('svc')}/hello/greetings`, { body: 'name=x', headers: { 'content-type': 'text/plain' } })
      expect(wrongType.status).toBe(415)
      expect(wrongType.body.error.code).toBe('OC_UNSUPPORTED_MEDIA_TYPE')

      const tooLarge = await call(`${svc('svc')}/hello/greetings`, { body: { name: 'x'.repeat(CONFORMANCE_BODY_LIMIT + 10) } })
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.body.error.code).toBe('OC_PAYLOAD_TOO_LARGE')

      const unknownField = await call(`${svc('svc')}/hello/greetings`, { body: { name: 'x', nickname: 'y' } })
      expect(unknownField.status).toBe(422)
      expect(unknownField.body.error.issues).toEqual([expect.objectContaining({ path: 'body.nickname', code: 'unknown_field' })])

      const invalid = await call(`${svc('svc')}/hello/greetings`, { body: { name: '' } })
      expect(invalid.status).toBe(422)
      expect(invalid.body.error.issues[0].path).toBe('body.name')

      for (const res of [malformed, wrongType, tooLarge, unknownField, invalid]) expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |\.ts:\d+/)
    })

    it('delivers an event to a signed web hook after the change commits', async () => {
      const receiver = await startReceiver()
      try {
        const hook = await call(`${svc('svc')}/webhooks`, { body: { url: receiver.url, eventTypes: ['hello.*'] } })
        expect(hook.status).toBe(201)
        const greeting = await call(`${svc('svc')}/hello/greetings`, { body: { name: 'Hooked' } })
        expect(greeting.status).toBe(201)
        const deadline = Date.now() + 20_000
        while (!receiver.calls.some((c) => c.body.includes('Hooked')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
        const delivered = receiver.calls.find((c) => c.body.includes('Hooked'))
        expect(delivered, 'the web hook call arrived').toBeDefined()
        const event = (await verifyWebhook(hook.body.secret, new Headers(delivered!.headers), delivered!.body)) as { type: string; payload: { greetingId: string } }
        expect(event.type).toBe('hello.greeted')
        expect(event.payload.greetingId).toBe(greeting.body.id)
      } finally {
        await receiver.close()
      }
    })

    it('echoes a sane request id and makes one otherwise', async () => {
      const given = await call('/healthz', { token: null, headers: { 'x-request-id': 'trace-123' } })
      expect(given.headers.get('x-request-id')).toBe('trace-123')
      const made = await call('/o/no-such-org/svc/api/v1/x', { token: null, headers: { 'x-request-id': 'bad id with spaces' } })
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(made.body.error.requestId).toBe(made.headers.get('x-request-id'))
    })
  })
}
