/**
 * A mount: routes at a path the plugin does not choose, here an older client's
 * `/o/{org}/{service}/hello-legacy/v0/greeting.json`, answering in that client's envelope
 * (`{ ok, data }` and `{ ok: false, error }`) with its own error handler.
 */
import { json, route, z, type PluginMount, type PluginTypesOf } from 'opencontact'
import type { HelloSchemas } from './context.ts'

const legacyGreeting = route({
  method: 'get',
  path: '/greeting.json',
  access: 'public',
  tags: ['Hello (legacy)'],
  summary: "The service's greeting, in the legacy client's envelope",
  responses: { 200: json(z.object({ ok: z.literal(true), data: z.object({ greeting: z.string() }) }), 'The greeting') },
})

export const legacyMount: PluginMount<PluginTypesOf<HelloSchemas>> = {
  path: '/hello-legacy/v0',
  routes(app, ctx) {
    app.onError((error, c) => c.json({ ok: false, error: error.message }, 500))
    app.openapi(legacyGreeting, async (c) => {
      const { greeting } = await c.var.db.tx((tx) => ctx.settings(tx))
      return c.json({ ok: true as const, data: { greeting } }, 200)
    })
  },
}
