/** Registers every help-center resource's management routes (under `/api/v1/helpcenter`). */
import type { PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { registerContentRoutes } from '../content/routes.ts'

export function registerHelpCenterRoutes(_app: PluginApp, _ctx: HelpCenterContext): void {
  registerContentRoutes(_app)
}
