/**
 * The default theme (PC and mobile): what a service shows until it sets a theme of its own in
 * use, and what a new theme starts from (a theme saved with only some templates keeps the
 * default's for the rest). Its key names its content, so an edit here is a new cached version.
 */
import { FRAME_TEMPLATES } from './layouts.ts'
import { PAGE_PARTIALS, PAGE_TEMPLATES } from './pages.ts'
import { DEFAULT_CSS, DEFAULT_CSS_FILES } from './css.ts'

export type Device = 'pc' | 'mobile'
export const DEVICES: readonly Device[] = ['pc', 'mobile']

export interface DefaultTheme {
  /** The cache key of this theme's parsed templates. */
  readonly key: string
  readonly templates: Readonly<Record<string, string>>
  /** Its style sheets, in the order the pages link them. */
  readonly css: readonly { name: string; text: string }[]
}

/** A short, stable digest of the templates (FNV-1a), so a changed default is a new cache key. */
function digest(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

function build(device: Device): DefaultTheme {
  const templates = { ...PAGE_TEMPLATES, ...PAGE_PARTIALS, ...FRAME_TEMPLATES[device] }
  return {
    key: `default-${device}@${digest(JSON.stringify(templates))}`,
    templates,
    css: DEFAULT_CSS_FILES[device].map((name) => ({ name, text: DEFAULT_CSS[name] })),
  }
}

export const DEFAULT_THEMES: Readonly<Record<Device, DefaultTheme>> = { pc: build('pc'), mobile: build('mobile') }
