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
import { formCache } from '../fields/form-cache.ts'

/** Requests that may change a form ticket creates validate against (fields, category fields, categories). */
const FORM_CHANGE = /\/ticket\/(fields|agent-fields|intake-categories|processing-categories)(\/|$)/

export function registerTicketRoutes(app: PluginApp, ctx: PluginContext): void {
  // After the change committed and before the answer: this instance's next create must not use
  // the old form (NOTIFY tells the other instances a moment later).
  const forms = formCache(ctx.db)
  app.use('*', async (c, next) => {
    await next()
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && FORM_CHANGE.test(c.req.path)) forms.clear()
  })
  registerIntakeCategoryRoutes(app)
  registerProcessingCategoryRoutes(app)
  registerFieldRoutes(app)
  registerAgentFieldRoutes(app)
  registerCategoryFieldRoutes(app)
  registerAnswerTemplateRoutes(app)
  registerCategoryAnswerTemplateRoutes(app)
  registerBannedWordRoutes(app)
  registerTicketResourceRoutes(app, ctx)
  registerTicketEntryRoutes(app, ctx)
  registerTicketAttachmentRoutes(app)
  registerMailInboundRoutes(app, ctx)
  registerMailSettingsRoutes(app, ctx)
  registerTriggerRoutes(app, ctx)
}
