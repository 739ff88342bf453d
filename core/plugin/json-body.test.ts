/**
 * A route's required JSON body is validated by the platform (http/validation.ts
 * `jsonBodyValidator`) instead of @hono/zod-openapi: every request must get the answer
 * zod-openapi's own media-type gate and body validator give, in the same order against the path
 * parameters. Each request goes to both apps, built from the same declaration behind the same
 * JSON syntax check and error handler.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { errorHandler } from '../http/errors-middleware.ts'
import { jsonBody } from '../http/schemas.ts'
import { jsonSyntax, validationHook } from '../http/validation.ts'
import { createLogger } from '../log.ts'
import type { PlatformEnv } from '../api/context.ts'
import { createPluginApp, route, type RouteGuards } from './app.ts'

const Body = z.strictObject({ name: z.string().min(1), count: z.number().int().optional(), tags: z.array(z.string()).max(2).optional() })
const declaration = {
  method: 'post' as const,
  path: '/things/{id}',
  access: 'public' as const,
  request: { params: z.object({ id: z.uuid() }), ...jsonBody(Body) },
  responses: { 201: { description: 'made' } },
}
const asyncBody = z.strictObject({ name: z.string().refine(async (name) => name !== 'taken', 'that name is taken') })

const pass = () => (_c: unknown, next: () => Promise<void>) => next()
const guards: RouteGuards = { contractGate: pass, access: pass, bodyLimit: pass } as never
const onError = errorHandler(createLogger('silent'))
const handler = (c: any) => c.json({ got: c.req.valid('json'), id: c.req.valid('param').id }, 201)

/** zod-openapi's own validators, behind the same syntax check and error handler. */
function reference(decl: object, hook?: unknown) {
  const app = new OpenAPIHono<PlatformEnv>({ defaultHook: validationHook as never })
  app.onError(onError)
  app.openapi(route({ ...(decl as typeof declaration), middleware: [jsonSyntax] } as never) as never, handler as never, hook as never)
  return app
}

/** The platform's app, where the body is validated by the platform. */
function platform(decl: object, hook?: unknown) {
  const app = createPluginApp('demo', guards)
  app.onError(onError)
  app.openapi(route(decl as typeof declaration) as never, handler as never, hook as never)
  return app
}

const ID = '0b6c3f63-8e0e-4b7e-9a3c-3f7d2f0b6a11'
const json = { 'content-type': 'application/json' }
const requests: Array<[string, RequestInit & { path?: string }]> = [
  ['a valid body', { headers: json, body: JSON.stringify({ name: 'a', count: 2 }) }],
  ['a body with a charset', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ name: 'a' }) }],
  ['a vendor JSON type', { headers: { 'content-type': 'application/vnd.demo+json' }, body: JSON.stringify({ name: 'a' }) }],
  ['invalid values', { headers: json, body: JSON.stringify({ name: '', count: 1.5, tags: ['a', 'b', 'c'] }) }],
  ['an unknown field', { headers: json, body: JSON.stringify({ name: 'a', extra: true }) }],
  ['an array', { headers: json, body: '[1,2]' }],
  ['malformed JSON', { headers: json, body: '{"name": ' }],
  ['another content type', { headers: { 'content-type': 'text/plain' }, body: 'name=a' }],
  ['a type that only starts like JSON', { headers: { 'content-type': 'application/jsonx' }, body: '{"name":"a"}' }],
  ['no content type, a body', { body: new TextEncoder().encode('{"name":"a"}') }],
  ['no content type, no body', {}],
  ['a bad path parameter and a bad body', { path: '/things/not-a-uuid', headers: json, body: JSON.stringify({ name: '' }) }],
]

async function answer(app: { request(path: string, init: RequestInit): Response | Promise<Response> }, init: RequestInit & { path?: string }) {
  const { path = `/things/${ID}`, ...rest } = init
  const res = await app.request(path, { method: 'POST', ...rest })
  return { status: res.status, body: await res.json() }
}

describe('required JSON bodies', () => {
  it.each(requests)('answers %s as @hono/zod-openapi does', async (_what, init) => {
    const expected = await answer(reference(declaration), init)
    expect(await answer(platform(declaration), init)).toEqual(expected)
  })

  it('covers the answers that matter: success, 415, 400 and 422 all occur', async () => {
    const statuses = new Set(await Promise.all(requests.map(async ([, init]) => (await answer(platform(declaration), init)).status)))
    expect([...statuses].sort()).toEqual([201, 400, 415, 422])
  })

  it("gives a route's own hook the same result, and lets its answer through", async () => {
    const hook = (result: { success: boolean; target: string }, c: any) => (result.success ? undefined : c.json({ own: true, target: result.target }, 409))
    for (const [, init] of requests) {
      const expected = await answer(reference(declaration, hook), init)
      expect(await answer(platform(declaration, hook), init)).toEqual(expected)
    }
  })

  it('runs asynchronous refinements of the body schema', async () => {
    const decl = { ...declaration, request: { ...declaration.request, ...jsonBody(asyncBody) } }
    for (const name of ['free', 'taken']) {
      const init = { headers: json, body: JSON.stringify({ name }) }
      const expected = await answer(reference(decl), init)
      expect(await answer(platform(decl), init)).toEqual(expected)
    }
  })
})
