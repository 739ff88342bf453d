/** Registers every ticket resource's routes. */
import type { PluginApp, PluginContext } from '../../../core/mod.ts'
import { registerIntakeCategoryRoutes } from './intake-categories.ts'
import { registerProcessingCategoryRoutes } from './processing-categories.ts'
import { registerFieldRoutes } from './fields.ts'
import { registerAgentFieldRoutes } from './agent-fields.ts'
import { registerCategoryFieldRoutes } from './category-fields.ts'
import { registerAnswerTemplateRoutes } from './answer-templates.ts'
import { registerCategoryAnswerTemplateRoutes } from './category-answer-templates.ts'
import { registerBannedWordRoutes } from './banned-words.ts'

export function registerTicketRoutes(app: PluginApp, ctx: PluginContext): void {
  void ctx
  registerIntakeCategoryRoutes(app)
  registerProcessingCategoryRoutes(app)
  registerFieldRoutes(app)
  registerAgentFieldRoutes(app)
  registerCategoryFieldRoutes(app)
  registerAnswerTemplateRoutes(app)
  registerCategoryAnswerTemplateRoutes(app)
  registerBannedWordRoutes(app)
}
