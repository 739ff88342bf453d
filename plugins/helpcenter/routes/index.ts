/** Registers every help-center resource's management routes (under `/api/v1/helpcenter`). */
import type { PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { registerFileRoutes } from '../files/routes.ts'
import { registerMenuRoutes } from '../menus/routes.ts'
import { registerContentRoutes } from '../content/routes.ts'
import { registerThemeRoutes } from '../themes/routes.ts'
import { registerStringRoutes } from '../strings/routes.ts'

export function registerHelpCenterRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  registerFileRoutes(app, ctx)
  registerMenuRoutes(app, ctx)
  registerContentRoutes(app)
  registerThemeRoutes(app)
  registerStringRoutes(app)
}
