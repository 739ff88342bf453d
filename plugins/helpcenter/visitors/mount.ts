/**
 * The help center's visitor-facing mounts: `/hc` (pages, sign-in, files), with the visitor
 * middleware first so every route of the group knows its visitor, and `/api/v2` (the seed
 * product's server flow of member sign-in).
 *
 * Pages register on the same `/hc` group: `helpCenterMount(...registrars)` takes each area's
 * registrar, run after the visitor middleware.
 */
import type { PluginApp, PluginMount } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { registerRemoteApiRoutes } from './remote-api.ts'
import { registerVisitorRoutes } from './routes.ts'
import { visitorMiddleware } from './visitor.ts'

export type MountRegistrar = (app: PluginApp, ctx: HelpCenterContext) => void

export function helpCenterMount(...registrars: MountRegistrar[]): PluginMount {
  return {
    path: '/hc',
    routes(app, ctx) {
      app.use('*', visitorMiddleware(ctx as HelpCenterContext))
      registerVisitorRoutes(app, ctx as HelpCenterContext)
      for (const register of registrars) register(app, ctx as HelpCenterContext)
    },
  }
}

export const remoteApiMount: PluginMount = { path: '/api/v2', routes: (app, ctx) => registerRemoteApiRoutes(app, ctx as HelpCenterContext) }
