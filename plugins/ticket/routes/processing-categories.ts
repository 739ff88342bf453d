/** Processing categories (T3): the tree agents pick from when they handle a ticket, up to five levels. */
import type { PluginApp } from '../../../core/mod.ts'
import { registerCategoryRoutes } from '../categories/routes.ts'

export function registerProcessingCategoryRoutes(app: PluginApp): void {
  registerCategoryRoutes(app, 'processing')
}
