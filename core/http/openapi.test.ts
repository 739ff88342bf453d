/** Operation ids: derived from method and path, kept when a route sets one, never twice in one app. */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createPluginApp, route, type RouteGuards } from '../plugin/app.ts'
import { operationIdOf } from './openapi.ts'

const pass = () => (_c: unknown, next: () => Promise<void>) => next()
const guards = { contractGate: pass, access: pass, bodyLimit: pass } as unknown as RouteGuards
const ok = { 200: { description: 'OK', content: { 'application/json': { schema: z.object({}) } } } }

describe('operationIdOf', () => {
  it.each([
    ['get', '/ticket/tickets', 'ticket.listTickets'],
    ['get', '/ticket/tickets/{id}', 'ticket.getTickets'],
    ['post', '/ticket/tickets/{id}/notes', 'ticket.createTicketsByIdNotes'],
    ['patch', '/ticket/intake-categories/{id}', 'ticket.updateIntakeCategories'],
    ['delete', '/ticket/tickets/:id', 'ticket.deleteTickets'],
    ['put', '/openapi/v1/ticket/enduser/{usercode}/list.json', 'ticket.putOpenapiEnduserByUsercodeList'],
  ])('%s %s is %s', (method, path, id) => expect(operationIdOf('ticket', method, path)).toBe(id))

  it('keeps a declared id, under the namespace', () => {
    expect(operationIdOf('hello', 'get', '/hello/ping', 'ping')).toBe('hello.ping')
  })
})

describe('registering routes', () => {
  it('writes the id into the document and refuses a second route with the same id, naming the plugin and both routes', () => {
    const app = createPluginApp('hello', guards)
    app.openapi(route({ method: 'get', path: '/hello/greetings', access: 'public', responses: ok }), (c) => c.json({}))
    app.openapi(route({ method: 'get', path: '/hello/ping', access: 'public', operationId: 'ping', responses: ok }), (c) => c.json({}))
    const ids = app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route.operationId] : []))
    expect(ids).toEqual(['hello.listGreetings', 'hello.ping'])
    expect(() => app.openapi(route({ method: 'get', path: '/hello/other', access: 'public', operationId: 'listGreetings', responses: ok }), (c) => c.json({}))).toThrow(
      "OC_PLUGIN_OPERATION_ID: plugin 'hello' registers GET /hello/other with operationId 'hello.listGreetings', which GET /hello/greetings already has",
    )
  })
})
