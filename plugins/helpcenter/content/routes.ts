/** Registers the content area's routes: management (categories, tags, notices, FAQ) and the visitors' vote. */
import type { PluginApp } from '../../../core/mod.ts'
import { registerContentTaxonomyRoutes } from './routes-categories.ts'
import { registerContentEntryRoutes } from './routes-entries.ts'
import { registerContentPublicRoutes } from './routes-public.ts'

export function registerContentRoutes(app: PluginApp): void {
  registerContentTaxonomyRoutes(app)
  registerContentEntryRoutes(app)
  registerContentPublicRoutes(app)
}
