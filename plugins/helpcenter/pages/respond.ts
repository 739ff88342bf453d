/**
 * How a page is answered: with the service's page state (pages/page-state.ts: version, settings,
 * theme in use; kept in memory, else read in the page's transaction), a switched-off menu's page
 * becomes the 404 page, an anonymous visitor's page comes from the page cache by its key (a hit
 * opens no transaction; a miss is presented, rendered and cached), its read is counted in memory
 * (pages/read-counts.ts), and it
 * leaves with the pages' safety headers, its ETag (304 when the browser has it) and the visitor's
 * CSRF token. A tenant theme that fails to render shows the page in the default theme instead
 * (and logs why), so a broken template never takes the help center down.
 */
import type { PlatformContext } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import type { Menu, PageData, PageType } from '../render/page-types.ts'
import { pageSecurityHeaders } from '../render/headers.ts'
import { defaultPageTheme, renderPage, type PageTheme } from '../themes/in-use.ts'
import { csrfToken } from '../visitors/csrf.ts'
import { currentVisitor } from '../visitors/visitor.ts'
import type { Query } from './links.ts'
import { menusOn, pageRequest, pageView, type PageRequest, type PageView } from './request.ts'
import { sharedData } from './shared.ts'
import { cachedPage, cachePage, CSRF_STAND_IN, pageETag, type CachedPage } from './cache.ts'
import { pageStates, type PageState } from './page-state.ts'
import { readCountsOf } from './read-counts.ts'
import type { PageEffects, Presenter } from './presenters.ts'

export interface PageSpec<T extends PageType> {
  readonly type: T
  /** The page's path under the help center and its own query, as its links name it. */
  readonly path: string
  readonly query?: Query
  /** The menu whose switch must be on, else the page answers 404. */
  readonly menu?: Menu
  readonly present: Presenter<T>
  /** The answer's status when the page is shown (a form sent back with its errors: 422). */
  readonly status?: 200 | 422
  /** False for a page that shows what this visitor sent (never cached, whoever they are). */
  readonly cacheable?: boolean
}

const notFoundPresenter: Presenter<'not_found'> = async () => ({})

async function render<T extends PageType>(req: PageRequest, theme: PageTheme, type: T, present: Presenter<T>, csrf: string, effects: PageEffects, status: 200 | 422 = 200): Promise<Omit<CachedPage, 'readEntryId'> | null> {
  const shared = await sharedData(req, type, theme, csrf)
  const own = await present(req, shared.data, effects)
  if (!own) return null
  const data = { ...shared.data, ...own } as PageData<T>
  let html: string
  let assets = data.assets
  try {
    html = await renderPage(theme, type, data)
  } catch (error) {
    req.ctx.log.warn('the theme in use failed to render a page; showing it in the default theme', { theme: theme.key, page: type, error: String(error) })
    const fallback = defaultPageTheme(req.device)
    assets = (await sharedData(req, type, fallback, csrf)).data.assets
    html = await renderPage(fallback, type, { ...data, assets })
  }
  const origin = req.links.origin
  const headers = {
    ...pageSecurityHeaders({ origin, scriptPath: assets.script ? new URL(assets.script, origin).pathname : null, stylePaths: assets.css, extraScriptPaths: shared.slotScripts }),
    'content-type': 'text/html; charset=utf-8',
    'content-language': req.language,
    vary: 'Cookie, Accept-Language, User-Agent',
  }
  return { status: type === 'not_found' ? 404 : status, html, headers }
}

/** The cache key of an anonymous visitor's page: everything it is made of. */
function pageKey(c: PlatformContext, spec: PageSpec<PageType>, state: PageState, view: PageView): string {
  const query = new URLSearchParams(Object.entries(spec.query ?? {}).flatMap(([k, v]) => (v === undefined || v === null || v === '' ? [] : [[k, String(v)]])))
  return [c.var.tenant.service.id, state.themes[view.device].key, view.device, view.language, JSON.stringify(state.settings), state.version, view.links.origin + view.links.base, spec.type, spec.path, query.toString()].join('\n')
}

/**
 * The page `spec` answers for this request, as a Response. An anonymous visitor's page found in
 * the cache with the kept page state is answered without a transaction.
 */
export async function servePage<T extends PageType>(c: PlatformContext, ctx: HelpCenterContext, spec: PageSpec<T>): Promise<Response> {
  const csrf = await csrfToken(c)
  const view = pageView(c)
  const { org, service } = c.var.tenant
  const scope = { orgId: org.id, serviceId: service.id }
  const states = pageStates(ctx.db)
  const cacheable = currentVisitor(c).kind !== 'member' && spec.cacheable !== false
  const kept = states.kept(service.id)
  if (kept && cacheable) {
    const key = pageKey(c, spec, kept, view)
    const page = cachedPage(key)
    if (page) return send(c, ctx, scope, page, key, csrf)
  }
  const { answer, keep } = await c.var.db.tx(async (tx) => {
    const read = kept ? { state: kept, keep: () => {} } : await states.read(ctx, tx, service.id)
    const { state } = read
    const req = await pageRequest(c, ctx, tx, spec.path, spec.query, { view, settings: state.settings })
    const theme = state.themes[req.device]
    const off = spec.menu !== undefined && !menusOn(req.settings)[spec.menu]
    const renderOrNotFound = async (effects: PageEffects) =>
      (!off && (await render(req, theme, spec.type, spec.present, CSRF_STAND_IN, effects, spec.status))) || (await render(req, theme, 'not_found', notFoundPresenter, CSRF_STAND_IN, effects))!
    if (!cacheable) {
      const effects: PageEffects = {}
      const page = await renderOrNotFound(effects)
      return { answer: { page: { ...page, readEntryId: effects.readEntryId }, key: null }, keep: read.keep }
    }
    const key = pageKey(c, spec, state, view)
    let page = cachedPage(key)
    if (!page) {
      const effects: PageEffects = {}
      page = { ...(await renderOrNotFound(effects)), readEntryId: effects.readEntryId }
      cachePage(key, page)
    }
    return { answer: { page, key }, keep: read.keep }
  })
  // Kept only now that the transaction that read it has committed.
  keep()
  return send(c, ctx, scope, answer.page, answer.key, csrf)
}

/** Sends `page` to this visitor (their CSRF token in its forms), counting its read; `key` null: never cached. */
async function send(c: PlatformContext, ctx: HelpCenterContext, scope: { orgId: string; serviceId: string }, page: CachedPage, key: string | null, csrf: string): Promise<Response> {
  if (page.readEntryId) readCountsOf(ctx).count(scope, page.readEntryId)
  const html = page.html.replaceAll(CSRF_STAND_IN, csrf)
  const headers = new Headers(page.headers)
  for (const cookie of c.res.headers.getSetCookie()) headers.append('set-cookie', cookie)
  if (!key) {
    headers.set('cache-control', 'private, no-store')
    return new Response(html, { status: page.status, headers })
  }
  // Revalidated on every view, so a change shows on the next request; unchanged, the answer is a 304.
  headers.set('cache-control', 'private, no-cache')
  const etag = await pageETag(key, csrf)
  headers.set('etag', etag)
  const sent = c.req.header('if-none-match')
  if (sent && sent.split(',').some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers: { etag, 'cache-control': 'private, no-cache', vary: page.headers.vary! } })
  return new Response(html, { status: page.status, headers })
}
