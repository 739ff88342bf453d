/**
 * Answer templates (T6): search (title and content, any case and width, Korean included) with a
 * cursor, read, add, edit and delete; each template may be linked to processing categories.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError } from '../shared/errors.ts'
import { lockCategoryTree } from '../categories/store.ts'
import { processingCategoryIssues } from '../answer-templates/category-refs.ts'
import { linkCount, linkedCategoryIds, MAX_TEMPLATES_PER_CATEGORY, setTemplateCategories } from '../answer-templates/links-store.ts'
import { AnswerTemplateCreate, AnswerTemplatePage, AnswerTemplatePatch, AnswerTemplateQuery, AnswerTemplateSchema, type AnswerTemplateView } from '../answer-templates/schemas.ts'
import { deleteTemplate, findTemplate, insertTemplate, searchTemplates, updateTemplate } from '../answer-templates/store.ts'
import { decodeCursor, encodeCursor, templateViews } from '../answer-templates/views.ts'

const tags = ['Answer templates']
const admin = { role: 'admin' } as const

const routes = {
  list: route({
    method: 'get',
    path: '/answer-templates',
    tags,
    access: 'authenticated',
    summary: 'Search answer templates, newest first',
    request: { query: AnswerTemplateQuery },
    responses: { 200: json(AnswerTemplatePage, 'A page of templates'), ...commonErrors },
  }),
  get: route({ method: 'get', path: '/answer-templates/{id}', tags, access: 'authenticated', summary: 'One answer template', request: { params: IdParam }, responses: { 200: json(AnswerTemplateSchema, 'The template'), ...commonErrors } }),
  create: route({
    method: 'post',
    path: '/answer-templates',
    tags,
    access: admin,
    summary: 'Add an answer template',
    request: jsonBody(AnswerTemplateCreate),
    responses: { 201: json(AnswerTemplateSchema, 'Added'), 409: json(ErrorBody, 'A category holds the most templates it may'), ...commonErrors },
  }),
  patch: route({
    method: 'patch',
    path: '/answer-templates/{id}',
    tags,
    access: admin,
    summary: 'Edit an answer template (categoryIds replaces its links)',
    request: { params: IdParam, ...jsonBody(AnswerTemplatePatch) },
    responses: { 200: json(AnswerTemplateSchema, 'Updated'), 409: json(ErrorBody, 'A category holds the most templates it may'), ...commonErrors },
  }),
  remove: route({ method: 'delete', path: '/answer-templates/{id}', tags, access: admin, summary: 'Delete an answer template (and its links)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
}

export function registerAnswerTemplateRoutes(app: PluginApp): void {
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `ticket.answer-template.${verb}`, target: { type: 'ticket-answer-template', id }, ...states })
  const auditState = (v: AnswerTemplateView) => ({ title: v.title, content: v.content, categoryIds: v.categoryIds })
  const viewOf = async (tx: TenantTx, id: string) => {
    const template = await findTemplate(tx, id)
    if (!template) throw notFoundAt('path.id', 'answer template', id)
    return (await templateViews(tx, [template]))[0]!
  }
  /** Checks and sets a template's links; the processing tree is locked so a category cannot be deleted meanwhile. */
  const link = async (tx: TenantTx, templateId: string, categoryIds: readonly string[], current: readonly string[]) => {
    await lockCategoryTree(tx, 'processing')
    const issues = await processingCategoryIssues(tx, categoryIds, 'body.categoryIds')
    if (issues.length) throw errors.invalid(issues)
    for (const categoryId of categoryIds.filter((id) => !current.includes(id))) {
      if ((await linkCount(tx, categoryId)) >= MAX_TEMPLATES_PER_CATEGORY) throw ticketError('TICKET_LIMIT_REACHED', `processing category ${categoryId} already has ${MAX_TEMPLATES_PER_CATEGORY} templates linked, the most it may hold; unlink one first`)
    }
    await setTemplateCategories(tx, templateId, categoryIds)
  }

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query')
    const afterSeq = query.cursor === undefined ? null : decodeCursor(query.cursor)
    if (query.cursor !== undefined && afterSeq === null) throw errors.invalid([{ path: 'query.cursor', message: 'not a cursor from this list; pass nextCursor unchanged' }])
    const page = await c.var.db.tx(async (tx) => {
      const { templates, more } = await searchTemplates(tx, { query: query.q, categoryId: query.categoryId, afterSeq, limit: query.limit })
      return { templates: await templateViews(tx, templates), nextCursor: more ? encodeCursor(templates.at(-1)!.seq) : null }
    })
    return c.json(page, 200)
  })

  app.openapi(routes.get, async (c) => c.json(await c.var.db.tx((tx) => viewOf(tx, c.req.valid('param').id)), 200))

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json')
    const created = await c.var.db.tx(async (tx) => {
      const template = await insertTemplate(tx, { title: body.title, content: body.content })
      if (body.categoryIds?.length) await link(tx, template.id, body.categoryIds, [])
      const view = await viewOf(tx, template.id)
      await audit(c, tx, 'created', template.id, { after: auditState(view) })
      return view
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const updated = await c.var.db.tx(async (tx) => {
      const before = await viewOf(tx, id)
      await updateTemplate(tx, id, { title: body.title ?? before.title, content: body.content ?? before.content })
      if (body.categoryIds) await link(tx, id, body.categoryIds, (await linkedCategoryIds(tx, [id])).get(id) ?? [])
      const after = await viewOf(tx, id)
      await audit(c, tx, 'updated', id, { before: auditState(before), after: auditState(after) })
      return after
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await viewOf(tx, id)
      await deleteTemplate(tx, id)
      await audit(c, tx, 'deleted', id, { before: auditState(before) })
    })
    return c.body(null, 204)
  })
}
