/**
 * Themes (W2) under `/helpcenter/themes`: register, edit (each save a new version), delete
 * (not the one in use), activate or deactivate, set in use per device type, list and read
 * versions and roll back to one (as a new version), preview an unsaved theme, and read the
 * default theme and the page-type catalogue a theme is written against.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { themeError } from '../render/errors.ts'
import { PAGE_VARIABLES, SharedVariables } from '../render/page-types.ts'
import { DEFAULT_THEMES, DEVICES } from '../default-theme/mod.ts'
import { resolveStrings } from '../strings/resolve.ts'
import { servicePathOf } from './assets.ts'
import { assertTemplatesValid, mergeTemplates } from './compose.ts'
import { renderPreview } from './preview.ts'
import {
  DefaultThemeSchema, DeviceQuery, InUse, InUseBody, PageTypeCatalogue, PreviewBody, ThemeCreate, ThemeIdParam, ThemeList, ThemePatch, ThemeQuery, ThemeSchema, ThemeVersionList, ThemeVersionSchema, VersionParams,
} from './schemas.ts'
import { deleteTheme, findTheme, findVersion, insertTheme, listThemes, listVersions, lockDeviceThemes, lockTheme, saveVersion, setActive, setInUse, themeInUse, type Theme, type ThemeContent } from './store.ts'

const tags = ['Help center themes']
const admin = { permission: 'helpcenter' } as const
/** The largest theme body (templates, CSS and script together) a save or preview takes. */
const THEME_BODY_LIMIT = 4_000_000
const conflict = { 409: json(ErrorBody, 'The theme is in use, or inactive') }

const routes = {
  pageTypes: route({ method: 'get', path: '/themes/page-types', tags, access: admin, summary: 'The page types and the variables each template gets (JSON Schema)', responses: { 200: json(PageTypeCatalogue, 'The catalogue'), ...commonErrors } }),
  defaults: route({ method: 'get', path: '/themes/default', tags, access: admin, summary: 'The default theme of a device type, to start a theme from', request: { query: DeviceQuery }, responses: { 200: json(DefaultThemeSchema, 'Its templates and CSS'), ...commonErrors } }),
  preview: route({
    method: 'post',
    path: '/themes/preview',
    tags,
    access: admin,
    summary: 'Render one page of an unsaved theme with sample data, under the pages\' Content-Security-Policy',
    request: jsonBody(PreviewBody),
    // A whole theme may be posted, as on create and edit.
    bodyLimit: THEME_BODY_LIMIT,
    responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } }, ...commonErrors },
  }),
  inUse: route({ method: 'get', path: '/themes/in-use', tags, access: admin, summary: 'The theme in use per device type (null: the default theme)', responses: { 200: json(InUse, 'In use'), ...commonErrors } }),
  setInUse: route({ method: 'put', path: '/themes/in-use', tags, access: admin, summary: 'Set the theme in use for a device type', request: jsonBody(InUseBody), responses: { 200: json(InUse, 'In use'), ...conflict, ...commonErrors } }),
  list: route({ method: 'get', path: '/themes', tags, access: admin, summary: 'Themes, newest first', request: { query: ThemeQuery }, responses: { 200: json(ThemeList, 'Themes'), ...commonErrors } }),
  create: route({ method: 'post', path: '/themes', tags, access: admin, summary: 'Register a theme (its version 1)', request: jsonBody(ThemeCreate), bodyLimit: THEME_BODY_LIMIT, responses: { 201: json(ThemeSchema, 'Registered'), ...commonErrors } }),
  get: route({ method: 'get', path: '/themes/{id}', tags, access: admin, summary: 'One theme, its current version', request: { params: ThemeIdParam }, responses: { 200: json(ThemeSchema, 'The theme'), ...commonErrors } }),
  patch: route({ method: 'patch', path: '/themes/{id}', tags, access: admin, summary: 'Edit a theme (a content change saves a new version) or (de)activate it', request: { params: ThemeIdParam, ...jsonBody(ThemePatch) }, bodyLimit: THEME_BODY_LIMIT, responses: { 200: json(ThemeSchema, 'Updated'), ...conflict, ...commonErrors } }),
  remove: route({ method: 'delete', path: '/themes/{id}', tags, access: admin, summary: 'Delete a theme that is not in use, with its versions', request: { params: ThemeIdParam }, responses: { 204: { description: 'Deleted' }, ...conflict, ...commonErrors } }),
  versions: route({ method: 'get', path: '/themes/{id}/versions', tags, access: admin, summary: 'A theme\'s versions, newest first', request: { params: ThemeIdParam }, responses: { 200: json(ThemeVersionList, 'Versions'), ...commonErrors } }),
  version: route({ method: 'get', path: '/themes/{id}/versions/{version}', tags, access: admin, summary: 'One version of a theme', request: { params: VersionParams }, responses: { 200: json(ThemeVersionSchema, 'The version'), ...commonErrors } }),
  rollback: route({ method: 'post', path: '/themes/{id}/versions/{version}/rollback', tags, access: admin, summary: 'Save an earlier version\'s content as the theme\'s new version', request: { params: VersionParams }, responses: { 200: json(ThemeSchema, 'Rolled back'), ...commonErrors } }),
}

const summary = (theme: Theme) => ({ id: theme.id, device: theme.device, title: theme.title, description: theme.description, active: theme.active, inUse: theme.inUse, version: theme.version, createdAt: theme.createdAt, updatedAt: theme.updatedAt })
const auditState = (theme: Theme) => ({ ...summary(theme), templates: Object.keys(theme.templates).sort(), cssLength: theme.css.length, scriptLength: theme.script.length })
const contentOf = (theme: ThemeContent): ThemeContent => ({ title: theme.title, description: theme.description, templates: theme.templates, css: theme.css, script: theme.script })
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as Record<string, unknown>

export function registerThemeRoutes(app: PluginApp): void {
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `helpcenter.theme.${verb}`, target: { type: 'helpcenter-theme', id }, ...states })
  const themeOf = async (tx: TenantTx, id: string, lock = false) => {
    if (lock) await lockTheme(tx, id)
    const theme = await findTheme(tx, id)
    if (!theme) throw errors.notFound(`theme ${id}`)
    return theme
  }
  const inUseView = async (tx: TenantTx) => {
    const [pc, mobile] = await Promise.all(DEVICES.map((device) => themeInUse(tx, device)))
    return { pc: pc ? summary(pc) : null, mobile: mobile ? summary(mobile) : null }
  }
  const inUseConflict = (theme: Theme, doing: string) =>
    themeError('HELPCENTER_THEME_IN_USE', `theme '${theme.title}' (${theme.id}) is in use for ${theme.device} pages, so it cannot be ${doing}; set another theme in use first (PUT /helpcenter/themes/in-use; themeId null for the default theme)`)

  app.openapi(routes.pageTypes, (c) =>
    c.json({ pageTypes: Object.entries(PAGE_VARIABLES).map(([name, schema]) => ({ name, variables: jsonSchemaOf(schema) })), shared: jsonSchemaOf(SharedVariables) }, 200),
  )

  app.openapi(routes.defaults, (c) => {
    const { device } = c.req.valid('query')
    return c.json({ device, templates: { ...DEFAULT_THEMES[device].templates }, css: [...DEFAULT_THEMES[device].css] }, 200)
  })

  app.openapi(routes.preview, async (c) => {
    const body = c.req.valid('json')
    const service = c.var.tenant.service
    const language = body.language ?? service.defaultLanguage
    if (!service.languages.includes(language)) throw errors.invalid([{ path: 'body.language', message: `'${language}' is not a language of this service; use one of ${service.languages.join(', ')}` }])
    const strings = await c.var.db.tx((tx) => resolveStrings(tx, service, language))
    const { html, headers } = await renderPreview({
      origin: new URL(c.req.url).origin,
      servicePath: servicePathOf(c.req.path),
      serviceName: service.name,
      device: body.device,
      pageType: body.pageType,
      language,
      strings,
      templates: body.templates,
      css: body.css,
      script: body.script,
    })
    // The typed handler expects the JSON answers it declares; an HTML body needs the cast.
    return c.body(html as unknown as ArrayBuffer, 200, headers) as never
  })

  app.openapi(routes.inUse, async (c) => c.json(await c.var.db.tx((tx) => inUseView(tx)), 200))

  app.openapi(routes.setInUse, async (c) => {
    const { device, themeId } = c.req.valid('json')
    const view = await c.var.db.tx(async (tx) => {
      await lockDeviceThemes(tx, device)
      const before = await inUseView(tx)
      if (themeId) {
        const theme = await themeOf(tx, themeId)
        if (theme.device !== device) throw errors.invalid([{ path: 'body.themeId', message: `theme '${theme.title}' is a ${theme.device} theme; set it in use for ${theme.device} (PUT /helpcenter/themes/in-use with device ${theme.device})` }])
        if (!theme.active) throw themeError('HELPCENTER_THEME_INACTIVE', `theme '${theme.title}' (${theme.id}) is inactive; activate it (PATCH /helpcenter/themes/${theme.id} with active true) before setting it in use`)
      }
      await setInUse(tx, device, themeId)
      const after = await inUseView(tx)
      await audit(c, tx, 'in-use', themeId ?? `default-${device}`, { before: before[device], after: after[device] })
      return after
    })
    return c.json(view, 200)
  })

  app.openapi(routes.list, async (c) => {
    const { device } = c.req.valid('query')
    return c.json({ themes: (await c.var.db.tx((tx) => listThemes(tx, device))).map(summary) }, 200)
  })

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json')
    const templates = mergeTemplates(body.device, null, body.templates)
    await assertTemplatesValid(templates)
    const created = await c.var.db.tx(async (tx) => {
      const id = await insertTheme(tx, body.device, { title: body.title, description: body.description ?? '', templates, css: body.css ?? '', script: body.script ?? '' })
      if (body.active === false) await setActive(tx, id, false)
      const theme = await themeOf(tx, id)
      await audit(c, tx, 'created', id, { after: auditState(theme) })
      return theme
    })
    return c.json(created, 201)
  })

  app.openapi(routes.get, async (c) => c.json(await c.var.db.tx((tx) => themeOf(tx, c.req.valid('param').id)), 200))

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const changesContent = body.title !== undefined || body.description !== undefined || body.templates !== undefined || body.css !== undefined || body.script !== undefined
    const updated = await c.var.db.tx(async (tx) => {
      const before = await themeOf(tx, id, true)
      if (body.active === false && before.inUse) throw inUseConflict(before, 'deactivated')
      if (changesContent) {
        const templates = body.templates ? mergeTemplates(before.device, before.templates, body.templates) : before.templates
        if (body.templates) await assertTemplatesValid(templates)
        await saveVersion(tx, id, { title: body.title ?? before.title, description: body.description ?? before.description, templates, css: body.css ?? before.css, script: body.script ?? before.script })
      }
      if (body.active !== undefined && body.active !== before.active) await setActive(tx, id, body.active)
      const after = await themeOf(tx, id)
      await audit(c, tx, 'updated', id, { before: auditState(before), after: auditState(after) })
      return after
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await themeOf(tx, id, true)
      if (before.inUse) throw inUseConflict(before, 'deleted')
      await deleteTheme(tx, id)
      await audit(c, tx, 'deleted', id, { before: auditState(before) })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.versions, async (c) => {
    const { id } = c.req.valid('param')
    const versions = await c.var.db.tx(async (tx) => {
      await themeOf(tx, id)
      return listVersions(tx, id)
    })
    return c.json({ versions: versions.map(({ templates: _t, css: _c, script: _s, ...rest }) => rest) }, 200)
  })

  app.openapi(routes.version, async (c) => {
    const { id, version } = c.req.valid('param')
    const found = await c.var.db.tx(async (tx) => {
      await themeOf(tx, id)
      return findVersion(tx, id, version)
    })
    if (!found) throw errors.notFound(`version ${version} of theme ${id}`)
    return c.json(found, 200)
  })

  app.openapi(routes.rollback, async (c) => {
    const { id, version } = c.req.valid('param')
    const rolledBack = await c.var.db.tx(async (tx) => {
      const before = await themeOf(tx, id, true)
      const earlier = await findVersion(tx, id, version)
      if (!earlier) throw errors.notFound(`version ${version} of theme ${id}`)
      // The catalogue may have changed since that version was saved: it is checked again.
      await assertTemplatesValid(earlier.templates, `path.version(${version}).templates`)
      await saveVersion(tx, id, contentOf(earlier), version)
      const after = await themeOf(tx, id)
      await audit(c, tx, 'rolled-back', id, { before: auditState(before), after: { ...auditState(after), restoredFrom: version } })
      return after
    })
    return c.json(rolledBack, 200)
  })
}
