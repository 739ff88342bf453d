/** Wire schemas of answer templates: the template, create and edit bodies, the search page. */
import { z } from '../../../core/mod.ts'

const title = z.string().trim().min(1).max(200)
const content = z.string().min(1).max(20_000).refine((v) => v.trim() !== '', 'write some content')
const categoryIds = z.array(z.uuid()).max(100).openapi({ description: 'Processing categories to link the template to (replaces the links on edit)' })

export const AnswerTemplateSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    content: z.string(),
    categoryIds: z.array(z.uuid()).openapi({ description: 'Processing categories it is linked to' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TicketAnswerTemplate')
export type AnswerTemplateView = z.infer<typeof AnswerTemplateSchema>

export const AnswerTemplateCreate = z.strictObject({ title, content, categoryIds: categoryIds.optional() }).openapi('TicketAnswerTemplateCreate')
export const AnswerTemplatePatch = z.strictObject({ title: title.optional(), content: content.optional(), categoryIds: categoryIds.optional() }).openapi('TicketAnswerTemplatePatch')

export const AnswerTemplateQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Text in the title or content; any case, full- or half-width' }),
  categoryId: z.uuid().optional().openapi({ description: 'Only templates linked to this processing category' }),
  cursor: z.string().max(40).optional().openapi({ description: '`nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

export const AnswerTemplatePage = z.object({ templates: z.array(AnswerTemplateSchema), nextCursor: z.string().nullable() }).openapi('TicketAnswerTemplatePage')

export const CategoryTemplates = z.object({ categoryId: z.uuid(), templates: z.array(AnswerTemplateSchema) }).openapi('TicketCategoryAnswerTemplates')
