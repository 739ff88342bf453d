/** Registers every help-center resource's management routes (under `/api/v1/helpcenter`). */
import type { PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { registerThemeRoutes } from '../themes/routes.ts'
import { registerStringRoutes } from '../strings/routes.ts'

export function registerHelpCenterRoutes(app: PluginApp, _ctx: HelpCenterContext): void {
  registerThemeRoutes(app)
  registerStringRoutes(app)
}
