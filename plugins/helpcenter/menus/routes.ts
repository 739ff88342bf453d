/** External menu management (W7) under `/api/v1/helpcenter/menus`: list, add, edit, delete, reorder. */
import { commonErrors, errors, json, jsonBody, route, z, type PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { addMenu, checkLanguages, deleteMenu, editMenu, ExternalMenu, listMenus, MenuInput, MenuOrder, MenuPatch, reorderMenus } from './store.ts'

const tags = ['Help center menus']
const access = { permission: 'helpcenter' } as const
const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const MenuList = z.object({ menus: z.array(ExternalMenu) })

const routes = {
  list: route({ method: 'get', path: '/menus', tags, access, summary: 'External menus, in order', responses: { 200: json(MenuList, 'In order'), ...commonErrors } }),
  add: route({ method: 'post', path: '/menus', tags, access, summary: 'Add an external menu (last in the order)', request: jsonBody(MenuInput), responses: { 201: json(ExternalMenu, 'Added'), ...commonErrors } }),
  edit: route({ method: 'patch', path: '/menus/{id}', tags, access, summary: 'Edit an external menu', request: { params: IdParam, ...jsonBody(MenuPatch) }, responses: { 200: json(ExternalMenu, 'Edited'), ...commonErrors } }),
  remove: route({ method: 'delete', path: '/menus/{id}', tags, access, summary: 'Delete an external menu', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  reorder: route({ method: 'put', path: '/menus/order', tags, access, summary: 'Reorder the external menus (every id once)', request: jsonBody(MenuOrder), responses: { 200: json(MenuList, 'In the new order'), ...commonErrors } }),
}

export function registerMenuRoutes(app: PluginApp, _ctx: HelpCenterContext): void {
  app.openapi(routes.list, async (c) => c.json({ menus: await c.var.db.tx((tx) => listMenus(tx)) }, 200))
  app.openapi(routes.add, async (c) => {
    const input = c.req.valid('json')
    checkLanguages(input.titles, c.var.tenant.service.languages)
    return c.json(await c.var.db.tx((tx) => addMenu(tx, input)), 201)
  })
  app.openapi(routes.edit, async (c) => {
    const { id } = c.req.valid('param')
    const patch = c.req.valid('json')
    checkLanguages(patch.titles, c.var.tenant.service.languages)
    const menu = await c.var.db.tx((tx) => editMenu(tx, id, patch))
    if (!menu) throw errors.notFound(`external menu '${id}'`)
    return c.json(menu, 200)
  })
  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    if (!(await c.var.db.tx((tx) => deleteMenu(tx, id)))) throw errors.notFound(`external menu '${id}'`)
    return c.body(null, 204) as never
  })
  app.openapi(routes.reorder, async (c) => c.json({ menus: await c.var.db.tx((tx) => reorderMenus(tx, c.req.valid('json').ids)) }, 200))
}
