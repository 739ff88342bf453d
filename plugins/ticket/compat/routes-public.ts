/**
 * The public compat calls, `/{serviceId}/api/v2/...` (C16): intake categories (submission
 * types), the customer fields of one, and attachment download. No key is needed, as documented:
 * they show what the help center's inquiry form shows anyway (visible categories, their forms),
 * and an attachment is reached only by its unguessable id. Files leave through the core's
 * `fileResponse`: `type=open` shows safe types inline and downloads every other type.
 */
import { fileResponse, route, z, type PluginApp, type PluginContext } from '../../../core/mod.ts'
import { intakeFormFields } from '../fields/category-fields-store.ts'
import { findAttachment } from '../tickets/store.ts'
import { CompatError, compatErrorHandler, failures, many, RESULT, success } from './envelope.ts'
import { allFieldCompatIds, intakeCategories } from './queries.ts'
import { CategoryQuery, CompatCategory, CompatField, DownloadQuery, LanguageQuery, TAG } from './schemas.ts'
import { compatCategoryView, compatFieldView } from './views.ts'

/** Attributes of the request body itself (subject, content, endUser.email, categoryId), not `userFields`. */
export const TOP_LEVEL_SYSTEM_CODES: ReadonlySet<string> = new Set(['title', 'content', 'email', 'intake_type'])

const tags = [TAG]
const FIELDS_PATH = '/ticket/field/user/{categoryId}.json'
const routes = {
  categories: route({
    method: 'get',
    path: '/ticket/categories.json',
    tags,
    access: 'public',
    summary: 'Submission types (intake categories) customers may pick',
    request: { query: CategoryQuery },
    responses: { 200: { description: 'Depth first, each parent before its children', content: { 'application/json': { schema: many(CompatCategory, 'OcCompatCategoryList') } } }, ...failures },
  }),
  fields: route({
    method: 'get',
    path: FIELDS_PATH,
    tags,
    access: 'public',
    summary: 'The customer fields of a submission type (send their values as userFields by code)',
    // Declared by hand: the router reads `{categoryId}.json` as one segment (see the handler).
    parameters: [{ name: 'categoryId', in: 'path', required: true, schema: { type: 'integer' } }],
    request: { query: LanguageQuery },
    responses: { 200: { description: 'In form order', content: { 'application/json': { schema: many(CompatField, 'OcCompatFieldList') } } }, ...failures },
  }),
  download: route({
    method: 'get',
    path: '/ticket/attachments/{attachmentId}',
    tags,
    access: 'public',
    summary: 'Download or open an attachment',
    request: { params: z.object({ attachmentId: z.string().openapi({ param: { name: 'attachmentId', in: 'path' } }) }), query: DownloadQuery },
    responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, 404: failures[404] },
  }),
}

export function registerCompatPublicRoutes(app: PluginApp, ctx: PluginContext): void {
  app.onError(compatErrorHandler(ctx.log) as never)

  app.openapi(routes.categories, async (c) => {
    const { parent, child, language } = c.req.valid('query')
    const service = c.var.tenant.service
    const categories = await c.var.db.tx((tx) => intakeCategories(tx))
    let nodes = categories.tree.depthFirst().filter((n) => n.visible)
    if (parent !== undefined) {
      const id = categories.idOfCompat.get(parent)
      nodes = nodes.filter((n) => (parent === 0 ? n.parentId === null : n.parentId !== null && n.parentId === id))
    }
    if (child !== undefined) {
      const node = categories.tree.get(categories.idOfCompat.get(child) ?? '')
      const above = new Set(node ? node.pathIds.slice(0, -1) : [])
      nodes = nodes.filter((n) => above.has(n.id))
    }
    return success(c, { contents: nodes.map((n) => compatCategoryView(n, categories, language ?? service.defaultLanguage, service.defaultLanguage)) })
  })

  app.openapi(routes.fields, async (c) => {
    // The router saw `{categoryId}.json` as one parameter named `categoryId.json`.
    const segment = c.req.param('categoryId.json' as never) as string | undefined
    const match = /^(\d{1,18})\.json$/.exec(segment ?? '')
    if (!match) throw new CompatError(RESULT.notFound, `no submission type '${segment}': the path is /ticket/field/user/{categoryId}.json with a numeric id`)
    const compatId = Number(match[1])
    const { language } = c.req.valid('query')
    const service = c.var.tenant.service
    const contents = await c.var.db.tx(async (tx) => {
      const categories = await intakeCategories(tx)
      const node = categories.tree.get(categories.idOfCompat.get(compatId) ?? '')
      if (!node || !node.visible) throw new CompatError(RESULT.notFound, `no submission type ${compatId} customers may pick in this service`)
      const form = await intakeFormFields(tx, service, node.id, { includePhoneFields: false })
      const ids = await allFieldCompatIds(tx)
      return form.filter(({ field }) => !TOP_LEVEL_SYSTEM_CODES.has(field.code)).map(({ field }) => compatFieldView(field, ids.get(field.id)!, language ?? service.defaultLanguage, service.defaultLanguage))
    })
    return success(c, { contents })
  })

  app.openapi(routes.download, async (c) => {
    const { attachmentId } = c.req.valid('param')
    const { type } = c.req.valid('query')
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(attachmentId)
    const row = uuid ? await c.var.db.tx((tx) => findAttachment(tx, attachmentId)) : null
    const blob = row && (await c.var.blobs.get(row.blob_key))
    if (!row || !blob) throw new CompatError(RESULT.notFound, `no attachment '${attachmentId}'`)
    // `open` is a wish: the core serves inline only what a browser shows without running anything.
    return fileResponse({ body: blob.body, contentType: row.content_type, fileName: row.file_name }, { disposition: type === 'open' ? 'inline' : 'attachment' }) as never
  })
}
