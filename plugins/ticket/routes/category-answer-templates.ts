/**
 * The answer templates of a processing category (T6 "template linking"): agents fetch them while
 * handling a ticket filed under the category; administrators set the list and its order, or
 * link and unlink one template at a time.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type FieldIssue, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { notFoundAt, ticketError, unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { categoryKindOf, lockCategoryTree } from '../categories/store.ts'
import { linkedTemplateIds, MAX_TEMPLATES_PER_CATEGORY, replaceCategoryTemplates } from '../answer-templates/links-store.ts'
import { CategoryTemplates } from '../answer-templates/schemas.ts'
import { findTemplate, templatesByIds } from '../answer-templates/store.ts'
import { templateViews } from '../answer-templates/views.ts'

const tags = ['Answer templates']
const admin = { role: 'admin' } as const

const CategoryParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Processing category id' }) })
const LinkParams = CategoryParam.extend({ templateId: z.uuid().openapi({ param: { name: 'templateId', in: 'path' } }) })

const routes = {
  get: route({
    method: 'get',
    path: '/processing-categories/{id}/answer-templates',
    tags,
    access: { permission: 'ticket' },
    summary: 'The answer templates of a processing category, in order',
    request: { params: CategoryParam },
    responses: { 200: json(CategoryTemplates, 'Templates'), ...commonErrors },
  }),
  replace: route({
    method: 'put',
    path: '/processing-categories/{id}/answer-templates',
    tags,
    access: admin,
    summary: 'Replace the linked templates (link, unlink and reorder at once)',
    request: { params: CategoryParam, ...jsonBody(z.strictObject({ templateIds: z.array(z.uuid()).max(MAX_TEMPLATES_PER_CATEGORY) }).openapi('TicketCategoryTemplatesPut')) },
    responses: { 200: json(CategoryTemplates, 'Templates'), ...commonErrors },
  }),
  link: route({
    method: 'post',
    path: '/processing-categories/{id}/answer-templates',
    tags,
    access: admin,
    summary: 'Link one template (at the end unless a position is given)',
    request: { params: CategoryParam, ...jsonBody(z.strictObject({ templateId: z.uuid(), position: z.number().int().min(1).optional() }).openapi('TicketCategoryTemplateLink')) },
    responses: { 200: json(CategoryTemplates, 'Templates'), 409: json(ErrorBody, 'Already linked, or the category is full'), ...commonErrors },
  }),
  unlink: route({
    method: 'delete',
    path: '/processing-categories/{id}/answer-templates/{templateId}',
    tags,
    access: admin,
    summary: 'Unlink one template (the template stays)',
    request: { params: LinkParams },
    responses: { 204: { description: 'Unlinked' }, ...commonErrors },
  }),
}

export function registerCategoryAnswerTemplateRoutes(app: PluginApp): void {
  const processingCategory = async (tx: TenantTx, id: string) => {
    if ((await categoryKindOf(tx, id)) !== 'processing') throw notFoundAt('path.id', 'processing category', id)
  }
  const listOf = async (tx: TenantTx, categoryId: string) => ({ categoryId, templates: await templateViews(tx, await templatesByIds(tx, await linkedTemplateIds(tx, categoryId))) })
  const change = (c: PlatformContext, categoryId: string, fn: (tx: TenantTx, current: string[]) => Promise<string[]>) =>
    c.var.db.tx(async (tx) => {
      await lockCategoryTree(tx, 'processing')
      await processingCategory(tx, categoryId)
      const current = await linkedTemplateIds(tx, categoryId)
      const next = await fn(tx, current)
      await replaceCategoryTemplates(tx, categoryId, next)
      await recordAudit(tx, requestActor(c), { action: 'ticket.processing-category.templates-updated', target: { type: 'ticket-processing-category', id: categoryId }, before: current, after: next })
      return listOf(tx, categoryId)
    })
  const existingTemplate = async (tx: TenantTx, id: string, path: string) => {
    if (!(await findTemplate(tx, id))) throw unknownAt(path, ticketReferences.answerTemplate, id)
  }

  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param')
    const body = await c.var.db.tx(async (tx) => {
      await processingCategory(tx, id)
      return listOf(tx, id)
    })
    return c.json(body, 200)
  })

  app.openapi(routes.replace, async (c) => {
    const { id } = c.req.valid('param')
    const { templateIds } = c.req.valid('json')
    const body = await change(c, id, async (tx) => {
      const issues: FieldIssue[] = []
      for (const [index, templateId] of templateIds.entries()) {
        await existingTemplate(tx, templateId, `body.templateIds.${index}`)
        if (templateIds.indexOf(templateId) !== index) issues.push({ path: `body.templateIds.${index}`, message: `${templateId} is listed twice; list each template once`, code: 'duplicate' })
      }
      if (issues.length) throw errors.invalid(issues)
      return templateIds
    })
    return c.json(body, 200)
  })

  app.openapi(routes.link, async (c) => {
    const { id } = c.req.valid('param')
    const { templateId, position } = c.req.valid('json')
    const body = await change(c, id, async (tx, current) => {
      await existingTemplate(tx, templateId, 'body.templateId')
      if (current.includes(templateId)) throw errors.conflict(`template ${templateId} is already linked to this category; use PUT to move it`)
      if (current.length >= MAX_TEMPLATES_PER_CATEGORY) throw ticketError('TICKET_LIMIT_REACHED', `this category already has ${MAX_TEMPLATES_PER_CATEGORY} templates linked, the most it may hold; unlink one first`)
      const place = position ?? current.length + 1
      if (place > current.length + 1) throw errors.invalid([{ path: 'body.position', message: `${current.length} templates are linked; use a position from 1 to ${current.length + 1}, or leave it out to add at the end` }])
      const next = [...current]
      next.splice(place - 1, 0, templateId)
      return next
    })
    return c.json(body, 200)
  })

  app.openapi(routes.unlink, async (c) => {
    const { id, templateId } = c.req.valid('param')
    await change(c, id, async (_tx, current) => {
      if (!current.includes(templateId)) throw notFoundAt('path.templateId', 'linked answer template', templateId)
      return current.filter((t) => t !== templateId)
    })
    return c.body(null, 204)
  })
}
