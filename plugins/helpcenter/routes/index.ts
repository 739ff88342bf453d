/** Registers every help-center resource's management routes (under `/api/v1/helpcenter`). */
import type { PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { registerFileRoutes } from '../files/routes.ts'
import { registerMenuRoutes } from '../menus/routes.ts'
import { registerContentRoutes } from '../content/routes.ts'
import { registerThemeRoutes } from '../themes/routes.ts'
import { registerStringRoutes } from '../strings/routes.ts'
import { pageStates } from '../pages/page-state.ts'

export function registerHelpCenterRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  // After a change committed and before the answer: this instance's next page must not use the
  // kept page state (NOTIFY tells the other instances, and this one, a moment later).
  const states = pageStates(ctx.db)
  app.use('*', async (c, next) => {
    await next()
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') states.forget(c.var.tenant.service.id)
  })
  registerFileRoutes(app, ctx)
  registerMenuRoutes(app, ctx)
  registerContentRoutes(app)
  registerThemeRoutes(app)
  registerStringRoutes(app)
}
