/**
 * The fused router must answer every request exactly as Hono's own router and compose do: the
 * same app is built twice, once on each, and asked the same requests.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { describe, expect, it } from 'vitest'
import { fusedRouter } from './fused-router.ts'

const onError = (error: Error, c: { text(body: string, status: 500): Response }) => c.text(`handled: ${error.message}`, 500)
const onNotFound = (c: { text(body: string, status: 404): Response }) => c.text('nothing here', 404)

/** An app that exercises compose's rules: sync and async steps, errors at several levels, fall-through. */
function build(fused: boolean) {
  const app = new Hono(fused ? { router: fusedRouter(() => ({ onError, onNotFound })) as never } : {})
  app.onError(onError)
  app.notFound(onNotFound)
  const trail: MiddlewareHandler = async (c, next) => {
    await next()
    c.res.headers.set('x-trail', `${c.res.status}`)
  }
  app.use('*', (c, next) => {
    c.set('seen' as never, 'root' as never)
    return next()
  })
  app.use('/a/*', trail)
  app.use('/a/:id/*', (c, next) => (c.req.param('id') === 'stop' ? Promise.resolve(c.text('stopped by middleware', 403)) : next()))
  app.get('/a/:id/sync', (c) => c.text(`sync ${c.req.param('id')} ${c.get('seen' as never)}`))
  app.get('/a/:id/async', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    return c.json({ id: c.req.param('id') }, 201)
  })
  app.get('/a/:id/throws', () => {
    throw new Error('handler broke')
  })
  app.get('/a/:id/rejects', async () => {
    throw new Error('handler rejected')
  })
  app.get('/a/:id/falls-through', (_c, next) => next() as never)
  app.get('/a/:id/twice', async (_c, next) => {
    await next()
    await next()
  })
  app.use('/b/*', () => {
    throw new Error('middleware broke')
  })
  app.get('/b/x', (c) => c.text('never'))
  app.get('/c/plain', (c) => c.text('plain'))
  return app
}

const paths = ['/a/1/sync', '/a/2/async', '/a/stop/sync', '/a/3/throws', '/a/4/rejects', '/a/5/falls-through', '/a/6/twice', '/a/7/missing', '/b/x', '/c/plain', '/none']

async function answer(app: Hono, path: string) {
  const res = await app.fetch(new Request(`http://x${path}`))
  return { status: res.status, trail: res.headers.get('x-trail'), type: res.headers.get('content-type'), body: await res.text() }
}

describe('fusedRouter', () => {
  it.each(paths)('answers %s as Hono does', async (path) => {
    expect(await answer(build(true), path)).toEqual(await answer(build(false), path))
  })

  it('answers without a promise when every step does', () => {
    const app = build(true)
    const res = app.fetch(new Request('http://x/c/plain'))
    expect(res).toBeInstanceOf(Response)
  })
})
