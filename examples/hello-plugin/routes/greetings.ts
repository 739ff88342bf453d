/** Greetings: create one (a row and an event in one transaction) and list them. */
import { commonErrors, json, jsonBody, route, z, type PluginApp } from 'opencontact'
import type { HelloContext } from '../context.ts'
import { addGreeting, type GreetingRow } from '../greet.ts'

const Greeting = z.object({ id: z.string(), name: z.string(), text: z.string(), createdAt: z.string() }).openapi('HelloGreeting')
const GreetingCreate = z.strictObject({ name: z.string().min(1).max(100) }).openapi('HelloGreetingCreate')

const createGreeting = route({
  method: 'post',
  path: '/greetings',
  access: { permission: 'hello' },
  tags: ['Hello'],
  summary: 'Greet someone',
  request: jsonBody(GreetingCreate),
  responses: { 201: json(Greeting, 'The greeting'), ...commonErrors },
})

const listGreetings = route({
  method: 'get',
  path: '/greetings',
  access: 'authenticated',
  tags: ['Hello'],
  summary: 'Greetings of this service, newest first',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: { 200: json(z.object({ greetings: z.array(Greeting) }), 'Greetings'), ...commonErrors },
})

const ping = route({
  method: 'get',
  path: '/ping',
  access: 'public',
  tags: ['Hello'],
  summary: 'A public route: no credentials read',
  responses: { 200: json(z.object({ pong: z.literal(true), service: z.string() }), 'Pong') },
})

const toGreeting = (r: GreetingRow) => ({ id: r.id, name: r.name, text: r.text, createdAt: new Date(r.created_at).toISOString() })

export function greetingRoutes(app: PluginApp, ctx: HelloContext): void {
  app.openapi(createGreeting, async (c) => {
    const { name } = c.req.valid('json')
    const { loud } = ctx.features(c)
    const greeting = await c.var.db.tx(async (tx) => toGreeting((await addGreeting(ctx, tx, await ctx.settings(tx), name, { loud }))!))
    return c.json(greeting, 201)
  })

  app.openapi(listGreetings, async (c) => {
    const { limit } = c.req.valid('query')
    const rows = await c.var.db.tx((tx) => tx.sql<GreetingRow>`SELECT * FROM hello_greetings ORDER BY created_at DESC, id LIMIT ${limit}`)
    return c.json({ greetings: rows.map(toGreeting) }, 200)
  })

  app.openapi(ping, (c) => c.json({ pong: true as const, service: c.var.tenant.service.code }, 200))
}
