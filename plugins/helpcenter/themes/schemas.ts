/** Wire schemas of themes: the theme, its versions, create and edit bodies, preview, in use. */
import { z } from '../../../core/mod.ts'
import { RENDER_LIMITS } from '../render/engine.ts'
import { PageTypeSchema } from '../render/page-types.ts'
import { TEMPLATE_NAME } from '../render/theme-fs.ts'

export const MAX_TEMPLATES = 60
const MAX_ASSET = 500_000

export const DeviceSchema = z.enum(['pc', 'mobile']).openapi({ description: 'The layout type a theme is for: PC or mobile' })
const templateName = z.string().regex(TEMPLATE_NAME, 'a template name is 1 to 40 lower-case letters, digits and _, starting with a letter (a page type, layout, or a partial)')
const templateSource = z.string().max(RENDER_LIMITS.parseLimit, `a template is at most ${RENDER_LIMITS.parseLimit} characters`)
const Templates = z.record(templateName, templateSource).openapi({
  description: 'Liquid templates by name: one per page type (see GET /helpcenter/themes/page-types), `layout`, and partials they include. Templates left out are the default theme\'s.',
})
const title = z.string().trim().min(1).max(100)
const description = z.string().max(1_000)
const css = z.string().max(MAX_ASSET).openapi({ description: 'The theme\'s CSS, linked after the default style sheets (so it overrides them)' })
const script = z.string().max(MAX_ASSET).openapi({ description: 'The theme\'s script, served from the theme\'s own path (the only script a page runs)' })

export const ThemeIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
export const VersionParams = ThemeIdParam.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) })
export const DeviceQuery = z.object({ device: DeviceSchema })

export const ThemeSchema = z
  .object({
    id: z.uuid(),
    device: DeviceSchema,
    title: z.string(),
    description: z.string(),
    active: z.boolean().openapi({ description: 'An inactive theme cannot be set in use' }),
    inUse: z.boolean(),
    version: z.number().int(),
    templates: z.record(z.string(), z.string()),
    css: z.string(),
    script: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('HelpCenterTheme')
export const ThemeSummary = ThemeSchema.omit({ templates: true, css: true, script: true }).openapi('HelpCenterThemeSummary')
export const ThemeList = z.object({ themes: z.array(ThemeSummary) }).openapi('HelpCenterThemeList')
export const ThemeQuery = z.object({ device: DeviceSchema.optional() })

export const ThemeCreate = z
  .strictObject({ device: DeviceSchema, title, description: description.optional(), templates: Templates.optional(), css: css.optional(), script: script.optional(), active: z.boolean().optional() })
  .openapi('HelpCenterThemeCreate')
export const ThemePatch = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    templates: z.record(templateName, templateSource.nullable()).optional().openapi({ description: 'Templates to change; null removes a partial (page types and `layout` go back to the default theme\'s)' }),
    css: css.optional(),
    script: script.optional(),
    active: z.boolean().optional(),
  })
  .openapi('HelpCenterThemePatch')

export const ThemeVersionSchema = z
  .object({ version: z.number().int(), title: z.string(), description: z.string(), templates: z.record(z.string(), z.string()), css: z.string(), script: z.string(), restoredFrom: z.number().int().nullable(), createdAt: z.string() })
  .openapi('HelpCenterThemeVersion')
export const ThemeVersionList = z.object({ versions: z.array(ThemeVersionSchema.omit({ templates: true, css: true, script: true })) }).openapi('HelpCenterThemeVersionList')

export const InUse = z.object({ pc: ThemeSummary.nullable(), mobile: ThemeSummary.nullable() }).openapi('HelpCenterThemesInUse')
export const InUseBody = z.strictObject({ device: DeviceSchema, themeId: z.uuid().nullable().openapi({ description: 'The theme to use; null returns to the default theme' }) }).openapi('HelpCenterThemeInUseBody')

export const PreviewBody = z
  .strictObject({
    device: DeviceSchema,
    pageType: PageTypeSchema,
    language: z.string().max(16).optional().openapi({ description: 'Defaults to the service\'s default language' }),
    templates: Templates.optional(),
    css: css.optional(),
    script: script.optional(),
  })
  .openapi('HelpCenterThemePreview')

export const DefaultThemeSchema = z
  .object({ device: DeviceSchema, templates: z.record(z.string(), z.string()), css: z.array(z.object({ name: z.string(), text: z.string() })) })
  .openapi('HelpCenterDefaultTheme')

export const PageTypeCatalogue = z
  .object({ pageTypes: z.array(z.object({ name: z.string(), variables: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of the variables' }) })), shared: z.record(z.string(), z.unknown()) })
  .openapi('HelpCenterPageTypes')
