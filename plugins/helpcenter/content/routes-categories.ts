/**
 * Notice categories (one level), FAQ categories (up to three, ordered) and notice tags (말머리):
 * list, add, change, delete. Agents read; the `helpcenter` permission writes.
 */
import { commonErrors, ErrorBody, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { changeCategory, createCategory, checkLanguages, removeCategory } from './entries.ts'
import { notFoundAt } from './errors.ts'
import { CategoryInput, CategoryPatch, CategorySchema, IdParam, TagInput, TagPatch, TagSchema } from './schemas.ts'
import type { ContentKind } from './store.ts'
import { deleteTag, findTag, listCategories, listTags, saveTag } from './taxonomy-store.ts'

const read = 'authenticated' as const
const write = { permission: 'helpcenter' } as const

export const audit = (c: PlatformContext, tx: TenantTx, action: string, target: { type: string; id: string }, states: { before?: unknown; after?: unknown }) =>
  recordAudit(tx, requestActor(c), { action: `helpcenter.${action}`, target, ...states })

function registerCategoryRoutes(app: PluginApp, kind: ContentKind, path: string, tag: string): void {
  const tags = [tag]
  const routes = {
    list: route({ method: 'get', path, tags, access: read, summary: `${tag}, parents before children, siblings by orderNo`, responses: { 200: json(z.object({ categories: z.array(CategorySchema) }), 'Categories'), ...commonErrors } }),
    create: route({ method: 'post', path, tags, access: write, summary: `Add a ${kind} category`, request: jsonBody(CategoryInput), responses: { 201: json(CategorySchema, 'Added'), ...commonErrors } }),
    patch: route({ method: 'patch', path: `${path}/{id}`, tags, access: write, summary: `Rename or reorder a ${kind} category`, request: { params: IdParam, ...jsonBody(CategoryPatch) }, responses: { 200: json(CategorySchema, 'Changed'), ...commonErrors } }),
    remove: route({ method: 'delete', path: `${path}/{id}`, tags, access: write, summary: `Delete an unused ${kind} category`, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, 409: json(ErrorBody, 'Still has sub-categories or entries'), ...commonErrors } }),
  }
  const target = (id: string) => ({ type: `helpcenter-${kind}-category`, id })

  app.openapi(routes.list, async (c) => c.json({ categories: await c.var.db.tx((tx) => listCategories(tx, kind)) }, 200))

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const created = await c.var.db.tx(async (tx) => {
      const category = await createCategory(tx, c.var.tenant.service, kind, input)
      await audit(c, tx, `${kind}-category.created`, target(category.id), { after: category })
      return category
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const changed = await c.var.db.tx(async (tx) => {
      const category = await changeCategory(tx, c.var.tenant.service, kind, id, c.req.valid('json'))
      await audit(c, tx, `${kind}-category.updated`, target(id), { after: category })
      return category
    })
    return c.json(changed, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => audit(c, tx, `${kind}-category.deleted`, target(id), { before: await removeCategory(tx, kind, id) }))
    return c.body(null, 204)
  })
}

function registerTagRoutes(app: PluginApp): void {
  const tags = ['Help center notice tags']
  const routes = {
    list: route({ method: 'get', path: '/notice-tags', tags, access: read, summary: "Notice heading tags (말머리), by orderNo", responses: { 200: json(z.object({ tags: z.array(TagSchema) }), 'Tags'), ...commonErrors } }),
    create: route({ method: 'post', path: '/notice-tags', tags, access: write, summary: 'Add a notice tag', request: jsonBody(TagInput), responses: { 201: json(TagSchema, 'Added'), ...commonErrors } }),
    patch: route({ method: 'patch', path: '/notice-tags/{id}', tags, access: write, summary: 'Rename or reorder a notice tag', request: { params: IdParam, ...jsonBody(TagPatch) }, responses: { 200: json(TagSchema, 'Changed'), ...commonErrors } }),
    remove: route({ method: 'delete', path: '/notice-tags/{id}', tags, access: write, summary: 'Delete a notice tag (notices lose it)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  }
  const existing = async (tx: TenantTx, id: string) => {
    const tag = await findTag(tx, id)
    if (!tag) throw notFoundAt('path.id', 'notice tag', id)
    return tag
  }
  const target = (id: string) => ({ type: 'helpcenter-notice-tag', id })

  app.openapi(routes.list, async (c) => c.json({ tags: await c.var.db.tx((tx) => listTags(tx)) }, 200))

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    checkLanguages(c.var.tenant.service, input.names, 'body.names')
    const created = await c.var.db.tx(async (tx) => {
      const orderNo = input.orderNo ?? (await listTags(tx)).reduce((last, tag) => Math.max(last, tag.orderNo + 1), 0)
      const tag = await saveTag(tx, null, { names: input.names, orderNo })
      await audit(c, tx, 'notice-tag.created', target(tag.id), { after: tag })
      return tag
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const patch = c.req.valid('json')
    if (patch.names) checkLanguages(c.var.tenant.service, patch.names, 'body.names')
    const changed = await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id)
      const tag = await saveTag(tx, id, { names: patch.names ?? before.names, orderNo: patch.orderNo ?? before.orderNo })
      await audit(c, tx, 'notice-tag.updated', target(id), { before, after: tag })
      return tag
    })
    return c.json(changed, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id)
      await deleteTag(tx, id)
      await audit(c, tx, 'notice-tag.deleted', target(id), { before })
    })
    return c.body(null, 204)
  })
}

/** Categories of both kinds and notice tags. */
export function registerContentTaxonomyRoutes(app: PluginApp): void {
  registerCategoryRoutes(app, 'notice', '/notice-categories', 'Help center notice categories')
  registerCategoryRoutes(app, 'faq', '/faq-categories', 'Help center FAQ categories')
  registerTagRoutes(app)
}
