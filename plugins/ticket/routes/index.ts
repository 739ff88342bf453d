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
import { registerTicketResourceRoutes } from './tickets.ts'
import { registerTicketEntryRoutes } from './tickets-entries.ts'
import { registerTicketAttachmentRoutes } from './tickets-attachments.ts'
import { registerMailInboundRoutes } from './mail-inbound.ts'
import { registerMailSettingsRoutes } from './mail-settings.ts'
import { registerTriggerRoutes } from './triggers.ts'

export function registerTicketRoutes(app: PluginApp, ctx: PluginContext): void {
  registerIntakeCategoryRoutes(app)
  registerProcessingCategoryRoutes(app)
  registerFieldRoutes(app)
  registerAgentFieldRoutes(app)
  registerCategoryFieldRoutes(app)
  registerAnswerTemplateRoutes(app)
  registerCategoryAnswerTemplateRoutes(app)
  registerBannedWordRoutes(app)
  registerTicketResourceRoutes(app, ctx)
  registerTicketEntryRoutes(app)
  registerTicketAttachmentRoutes(app)
  registerMailInboundRoutes(app, ctx)
  registerMailSettingsRoutes(app, ctx)
  registerTriggerRoutes(app, ctx)
}
