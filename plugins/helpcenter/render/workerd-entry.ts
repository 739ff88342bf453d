/**
 * A module worker for the engine's workerd test (workerd.test.ts): renders a page of the default
 * theme (or of the templates posted) with the page type's sample data, and runs the save-time
 * checks, exactly as the help center does on Node.
 */
import { uncachedTheme, TemplateError } from './engine.ts'
import { themeIssues } from './check.ts'
import { isPageType } from './page-types.ts'
import { samplePage } from './samples.ts'
import { resolveFrom } from '../strings/resolve.ts'
import { DEFAULT_THEMES, type Device } from '../default-theme/mod.ts'

interface RenderRequest {
  device: Device
  pageType: string
  templates?: Record<string, string>
}

export default {
  async fetch(request: Request): Promise<Response> {
    const body = (await request.json()) as RenderRequest
    const templates = { ...DEFAULT_THEMES[body.device].templates, ...body.templates }
    if (new URL(request.url).pathname === '/check') return Response.json(await themeIssues(templates))
    if (!isPageType(body.pageType)) return new Response('unknown page type', { status: 400 })
    const data = samplePage(body.pageType, { device: body.device, language: 'en', strings: resolveFrom([], 'en', 'ko'), assets: { css: ['/a.css'], script: null } })
    try {
      return new Response(await uncachedTheme(templates).render(body.pageType, data))
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      return Response.json({ message: error.message, limit: error.limit }, { status: 422 })
    }
  },
}
