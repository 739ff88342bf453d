/** The platform's own routes beside the areas' and plugins': `/healthz`, liveness and database reachability. */
import { z } from '@hono/zod-openapi'
import type { Db } from '../storage/db.ts'
import { createPluginApp, route, type PluginApp, type RouteGuards } from '../plugin/app.ts'
import { json } from '../http/schemas.ts'
import { PACKAGE_VERSION } from '../version.ts'

export function platformRoutes(db: Db, guards: RouteGuards): PluginApp {
  const platformApp = createPluginApp('platform', guards)
  platformApp.openapi(
    route({
      method: 'get',
      path: '/healthz',
      access: 'public',
      tags: ['Platform'],
      summary: 'Liveness and database reachability',
      responses: { 200: json(z.object({ status: z.literal('ok'), version: z.string().openapi({ description: 'The release (package.json `version`)' }), database: z.string() }), 'Healthy'), 503: json(z.object({ status: z.literal('unavailable'), version: z.string(), database: z.string() }), 'Database unreachable') },
    }),
    async (c) => {
      try {
        await db.query('SELECT 1')
        return c.json({ status: 'ok' as const, version: PACKAGE_VERSION, database: db.driver }, 200)
      } catch {
        return c.json({ status: 'unavailable' as const, version: PACKAGE_VERSION, database: db.driver }, 503)
      }
    },
  )
  return platformApp
}
