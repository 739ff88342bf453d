/**
 * The preview of an unsaved theme: its templates (the default's where left out) checked as on
 * save, then one page type rendered with that page's sample data, under the same
 * Content-Security-Policy as real pages. The unsaved CSS and script have no path yet, so they
 * are written inline and allowed by their hashes alone: exactly that text runs, as on a real
 * page exactly the theme's file does; an inline handler or any other script does not.
 */
import { templateError, uncachedTheme } from '../render/engine.ts'
import { themeError } from '../render/errors.ts'
import { cspHash, pageSecurityHeaders } from '../render/headers.ts'
import type { PageType } from '../render/page-types.ts'
import { samplePage } from '../render/samples.ts'
import type { Device } from '../default-theme/mod.ts'
import { pageAssets } from './assets.ts'
import { assertTemplatesValid, mergeTemplates } from './compose.ts'

export interface PreviewInput {
  readonly origin: string
  readonly servicePath: string
  readonly serviceName: string
  readonly device: Device
  readonly pageType: PageType
  readonly language: string
  readonly strings: Readonly<Record<string, string>>
  readonly templates?: Readonly<Record<string, string>> | undefined
  readonly css?: string | undefined
  readonly script?: string | undefined
}

/** Inline text that cannot end its own element early (`</style>` or `</script>` inside it). */
const inlineSafe = (text: string, tag: 'style' | 'script') => text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1')

export async function renderPreview(input: PreviewInput): Promise<{ html: string; headers: Record<string, string> }> {
  const templates = mergeTemplates(input.device, null, input.templates)
  await assertTemplatesValid(templates)
  const assets = pageAssets(input.servicePath, { id: null, version: 1, device: input.device, css: '', script: '' })
  const data = samplePage(input.pageType, { device: input.device, language: input.language, strings: input.strings, assets, serviceName: input.serviceName })
  let html: string
  try {
    html = await uncachedTheme(templates).render(input.pageType, data)
  } catch (error) {
    const failure = templateError(error, input.pageType)
    const issue = { path: `body.templates.${failure.template}`, message: failure.line === null ? failure.reason : `line ${failure.line}, column ${failure.column}: ${failure.reason}` }
    throw failure.limit
      ? themeError('HELPCENTER_RENDER_LIMIT', `${failure.message}: the template needs more time or memory than a page may use; loop over less`, [issue])
      : themeError('HELPCENTER_TEMPLATE_INVALID', failure.message, [issue])
  }
  const css = inlineSafe(input.css ?? '', 'style')
  const script = inlineSafe(input.script ?? '', 'script')
  const inline = `${css.trim() ? `<style>${css}</style>` : ''}${script.trim() ? `<script>${script}</script>` : ''}`
  const headAt = html.search(/<\/head>/i)
  const withInline = headAt >= 0 ? `${html.slice(0, headAt)}${inline}${html.slice(headAt)}` : `${inline}${html}`
  const headers = pageSecurityHeaders({
    origin: input.origin,
    scriptPath: null,
    inlineStyleHashes: css.trim() ? [await cspHash(css)] : [],
    inlineScriptHashes: script.trim() ? [await cspHash(script)] : [],
  })
  return { html: withInline, headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }
}
