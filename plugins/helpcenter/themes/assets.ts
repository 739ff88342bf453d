/**
 * Where a theme's CSS and script are served and what a page links: the default style sheets
 * (at `<service>/hc/assets/default/<device>/<file>`), then the theme's own CSS and its script
 * (at `<service>/hc/assets/themes/<id>/<version>/theme.css|theme.js`, immutable per version).
 * `servicePath` is the service's URL prefix (`/o/acme/support`, or `/support` on a tenant host).
 */
import type { SharedData } from '../render/page-types.ts'
import { DEFAULT_THEMES, type Device } from '../default-theme/mod.ts'

export const ASSETS_MOUNT = '/hc/assets'

export interface ThemeAssetSource {
  /** Null for the default theme. */
  readonly id: string | null
  readonly version: number
  readonly device: Device
  readonly css: string
  readonly script: string
}

export const defaultCssPath = (servicePath: string, device: Device, file: string) => `${servicePath}${ASSETS_MOUNT}/default/${device}/${file}`
export const themeAssetPath = (servicePath: string, id: string, version: number, kind: 'css' | 'script') =>
  `${servicePath}${ASSETS_MOUNT}/themes/${id}/${version}/${kind === 'css' ? 'theme.css' : 'theme.js'}`

/** The `assets` variable of a page of `theme` (a theme with no CSS or script links none of its own). */
export function pageAssets(servicePath: string, theme: ThemeAssetSource): SharedData['assets'] {
  const css = DEFAULT_THEMES[theme.device].css.map((sheet) => defaultCssPath(servicePath, theme.device, sheet.name))
  if (theme.id && theme.css.trim()) css.push(themeAssetPath(servicePath, theme.id, theme.version, 'css'))
  return { css, script: theme.id && theme.script.trim() ? themeAssetPath(servicePath, theme.id, theme.version, 'script') : null }
}

/** The service's URL prefix out of a request path under it (`/o/acme/support/api/v1/…` → `/o/acme/support`). */
export function servicePathOf(requestPath: string): string {
  for (const marker of ['/api/v1/', ASSETS_MOUNT + '/', '/hc']) {
    const at = requestPath.indexOf(marker)
    if (at >= 0) return requestPath.slice(0, at)
  }
  return ''
}
