/**
 * Serves theme assets at `<service>/hc/assets/…` (public): the default theme's style sheets
 * (`default/<device>/<file>`) and each theme version's own CSS and script
 * (`themes/<id>/<version>/theme.css|theme.js`), typed, `nosniff`, and cached for good (a path
 * names one version, which never changes).
 */
import { errors, route, z, type PluginMount, type PluginTypesOf } from '../../../core/mod.ts'
import { themeAssetResponse } from '../render/headers.ts'
import { DEFAULT_THEMES } from '../default-theme/mod.ts'
import type { HelpCenterSchemas } from '../context.ts'
import { ASSETS_MOUNT } from './assets.ts'
import { DeviceSchema } from './schemas.ts'
import { findVersion } from './store.ts'

const tags = ['Help center assets']
const asset = (type: string) => ({ description: 'The file', content: { [type]: { schema: z.string() } } })
const notFound = { 404: { description: 'No such file' } }

const defaultCss = route({
  method: 'get',
  path: '/default/{device}/{file}',
  tags,
  access: 'public',
  summary: 'A style sheet of the default theme',
  request: { params: z.object({ device: DeviceSchema.openapi({ param: { name: 'device', in: 'path' } }), file: z.string().max(40).openapi({ param: { name: 'file', in: 'path' }, example: 'main.css' }) }) },
  responses: { 200: asset('text/css'), ...notFound },
})

const themeFile = route({
  method: 'get',
  path: '/themes/{id}/{version}/{file}',
  tags,
  access: 'public',
  summary: 'A theme version\'s CSS (theme.css) or script (theme.js)',
  request: {
    params: z.object({
      id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
      version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }),
      file: z.enum(['theme.css', 'theme.js']).openapi({ param: { name: 'file', in: 'path' } }),
    }),
  },
  responses: { 200: asset('text/css'), ...notFound },
})

export const themeAssetsMount: PluginMount<PluginTypesOf<HelpCenterSchemas>> = {
  path: ASSETS_MOUNT,
  routes(app) {
    app.openapi(defaultCss, (c) => {
      const { device, file } = c.req.valid('param')
      const sheet = DEFAULT_THEMES[device].css.find((s) => s.name === file)
      if (!sheet) throw errors.notFound(`default style sheet '${file}'`)
      return themeAssetResponse('css', sheet.text, { immutable: false }) as never
    })
    app.openapi(themeFile, async (c) => {
      const { id, version, file } = c.req.valid('param')
      const found = await c.var.db.tx((tx) => findVersion(tx, id, version))
      const kind = file === 'theme.css' ? 'css' : 'script'
      const body = found ? (kind === 'css' ? found.css : found.script) : ''
      if (!found || !body.trim()) throw errors.notFound(`${file} of version ${version} of theme ${id}`)
      return themeAssetResponse(kind, body, { immutable: true }) as never
    })
  },
}
