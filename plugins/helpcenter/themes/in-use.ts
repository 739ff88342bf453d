/**
 * The theme a page of a device type renders with: the service's theme in use, or the default
 * theme. Its key names the version, so the parsed templates are cached per theme version and a
 * save (a new version) is picked up on the next request on every instance.
 */
import type { Queryable } from '../../../core/mod.ts'
import { compiledTheme, type CompiledTheme } from '../render/engine.ts'
import type { PageData, PageType } from '../render/page-types.ts'
import { DEFAULT_THEMES, type Device } from '../default-theme/mod.ts'
import type { ThemeAssetSource } from './assets.ts'
import { themeInUse } from './store.ts'

export interface PageTheme extends ThemeAssetSource {
  /** The cache key of the version: `<id>@<version>`, or the default theme's. */
  readonly key: string
  readonly templates: Readonly<Record<string, string>>
}

export const defaultPageTheme = (device: Device): PageTheme => ({ id: null, version: 1, device, css: '', script: '', key: DEFAULT_THEMES[device].key, templates: DEFAULT_THEMES[device].templates })

/** The theme pages of `device` show now. */
export async function pageTheme(tx: Queryable, device: Device): Promise<PageTheme> {
  const theme = await themeInUse(tx, device)
  if (!theme) return defaultPageTheme(device)
  return { id: theme.id, version: theme.version, device, css: theme.css, script: theme.script, key: `${theme.id}@${theme.version}`, templates: theme.templates }
}

/** The parsed templates of `theme`, from the per-version cache. */
export const parsedTheme = (theme: Pick<PageTheme, 'key' | 'templates'>): CompiledTheme => compiledTheme(theme.key, theme.templates)

/**
 * The HTML of a page of `type` in `theme` with `data` (its whole context, built by the page's
 * presenter). Throws render/engine.ts's TemplateError when the template fails or hits a limit.
 */
export function renderPage<T extends PageType>(theme: Pick<PageTheme, 'key' | 'templates'>, type: T, data: PageData<T>): Promise<string> {
  return parsedTheme(theme).render(type, data)
}
