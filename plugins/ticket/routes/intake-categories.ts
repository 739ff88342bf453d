/** Intake categories (T2): the tree customers pick from in the help center, up to five levels, switchable. */
import type { PluginApp } from '../../../core/mod.ts'
import { registerCategoryRoutes } from '../categories/routes.ts'

export function registerIntakeCategoryRoutes(app: PluginApp): void {
  registerCategoryRoutes(app, 'intake')
}
