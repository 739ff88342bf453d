/**
 * The one LiquidJS setup for tenant templates. A theme's templates are code a tenant wrote,
 * run on a server every tenant shares, so the engine is set so that a template can only print
 * the plain data of its page:
 * - `ownPropertyOnly`: `x.constructor`, `x.__proto__`, `x.toString` read nothing;
 * - `strictFilters`: an unknown filter fails when the template is parsed (that is, on save);
 * - `outputEscape: 'escape'`: every `{{ }}` is HTML-escaped; `raw` prints unescaped only a
 *   {@link SanitisedHtml} value (sanitised by the platform, marked by the presenter) and
 *   escapes anything else, so a tenant string never becomes markup;
 * - the file system holds the theme's own templates only ({@link themeFs}); no `root` on disk;
 * - `parseLimit`, `renderLimit` and `memoryLimit` bound what one template may cost, so a loop
 *   of a million or a string doubled forty times ends with a limit error, not a stuck worker;
 * - no `globals`: the context is exactly the data the page is given.
 * Interpreted (no `new Function`), so it renders on Node, Deno and workerd alike. A theme
 * version is parsed once and kept ({@link compiledTheme}); a new version is a new key.
 */
import { Liquid, type Template } from 'liquidjs'
import { SanitisedHtml } from './safe-html.ts'
import { themeFs } from './theme-fs.ts'

/** What one template may cost: characters parsed, milliseconds rendering, bytes built. */
export const RENDER_LIMITS = { parseLimit: 200_000, renderLimit: 250, memoryLimit: 8_000_000 } as const

/** How many parsed theme versions one process keeps (least recently used ones go first). */
const CACHED_THEMES = 200

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!)

/** A template that failed to parse or render: its name, line and column and the engine's message. */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
    /** True when a render limit (time, memory, length) stopped it. */
    readonly limit: boolean,
  ) {
    super(`${template}${line === null ? '' : ` line ${line}`}: ${reason}`)
    this.name = 'TemplateError'
  }
}

interface LiquidFailure {
  message?: string
  name?: string
  token?: { file?: string; getPosition?: () => [number, number] }
  originalError?: unknown
}

/** The engine's error as a {@link TemplateError} naming `fallbackName` when the engine names no file. */
export function templateError(error: unknown, fallbackName: string): TemplateError {
  if (error instanceof TemplateError) return error
  const failure = (error ?? {}) as LiquidFailure
  const [line, column] = failure.token?.getPosition?.() ?? [null, null]
  const original = failure.originalError as LiquidFailure | undefined
  const limit = failure.name === 'LimitError' || original?.name === 'LimitError' || /limit exceeded/i.test(failure.message ?? '')
  // The engine appends ", line:N, col:M" (and for a missing file the lookup path); the issue names them itself.
  const reason = String(failure.message ?? error)
    .replace(/(, file:[^,]*)?(, line:\d+, col:\d+)?$/, '')
    .replace(/^(?:ENOENT: )?Failed to lookup "(.*)" in .*$/, "'$1' is not a template of this theme (a theme includes only its own templates, by name)")
  return new TemplateError(failure.token?.file || fallbackName, line, column, reason, limit)
}

/** A theme version parsed and ready: renders any of its templates with a page's data. */
export interface CompiledTheme {
  /** The engine, for the save-time checks' static analysis and the benchmark's bare baseline. */
  readonly liquid: Liquid
  /** The template `name`, parsed (once), or a {@link TemplateError}. */
  parsed(name: string): Template[]
  /** Renders template `name` with `data` as its whole context. Throws {@link TemplateError}. */
  render(name: string, data: object): Promise<string>
}

export function createEngine(templates: Readonly<Record<string, string>>): Liquid {
  const sources = new Map(Object.entries(templates))
  const liquid = new Liquid({
    fs: themeFs(sources),
    root: ['.'],
    partials: ['.'],
    layouts: ['.'],
    extname: '',
    relativeReference: false,
    cache: true,
    ownPropertyOnly: true,
    strictFilters: true,
    outputEscape: 'escape',
    globals: {},
    ...RENDER_LIMITS,
  })
  liquid.registerFilter('raw', { raw: true, handler: (value: unknown) => (value instanceof SanitisedHtml ? value.toString() : escapeHtml(value == null ? '' : String(value))) })
  return liquid
}

function compile(templates: Readonly<Record<string, string>>): CompiledTheme {
  const liquid = createEngine(templates)
  const parsedByName = new Map<string, Template[]>()
  const parsed = (name: string) => {
    let found = parsedByName.get(name)
    if (!found) {
      const source = Object.hasOwn(templates, name) ? templates[name] : undefined
      if (source === undefined) throw new TemplateError(name, null, null, 'the theme has no such template', false)
      try {
        found = liquid.parse(source, name)
      } catch (error) {
        throw templateError(error, name)
      }
      parsedByName.set(name, found)
    }
    return found
  }
  return {
    liquid,
    parsed,
    async render(name, data) {
      const template = parsed(name)
      try {
        return await liquid.render(template, data)
      } catch (error) {
        throw templateError(error, name)
      }
    },
  }
}

const compiled = new Map<string, CompiledTheme>()

/**
 * The parsed theme of `key` (a theme version: `<theme id>@<version>`), made from `templates`
 * on first use. A key names one version for good, so a cached entry never goes stale.
 */
export function compiledTheme(key: string, templates: Readonly<Record<string, string>>): CompiledTheme {
  let theme = compiled.get(key)
  if (theme) {
    compiled.delete(key)
  } else {
    theme = compile(templates)
    if (compiled.size >= CACHED_THEMES) compiled.delete(compiled.keys().next().value!)
  }
  compiled.set(key, theme)
  return theme
}

/** A theme parsed for one use only (a preview, a save-time check): never cached. */
export const uncachedTheme = (templates: Readonly<Record<string, string>>): CompiledTheme => compile(templates)
