/**
 * How a page is answered: in one tenant transaction, the request's settings and theme are read,
 * a switched-off menu's page becomes the 404 page, an anonymous visitor's page comes from the
 * page cache when its versions are unchanged (else it is presented, rendered and cached), and it
 * leaves with the pages' safety headers, its ETag (304 when the browser has it) and the visitor's
 * CSRF token. A tenant theme that fails to render shows the page in the default theme instead
 * (and logs why), so a broken template never takes the help center down.
 */
import type { PlatformContext } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import type { Menu, PageData, PageType } from '../render/page-types.ts'
import { pageSecurityHeaders } from '../render/headers.ts'
import { defaultPageTheme, pageTheme, renderPage, type PageTheme } from '../themes/in-use.ts'
import { csrfToken } from '../visitors/csrf.ts'
import { countRead } from '../content/store.ts'
import type { Query } from './links.ts'
import { menusOn, pageRequest, type PageRequest } from './request.ts'
import { sharedData } from './shared.ts'
import { cachedPage, cachePage, CSRF_STAND_IN, pagesVersion, pageETag, type CachedPage } from './cache.ts'
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

/** The page `spec` answers for this request, as a Response. */
export async function servePage<T extends PageType>(c: PlatformContext, ctx: HelpCenterContext, spec: PageSpec<T>): Promise<Response> {
  const csrf = await csrfToken(c)
  const answer = await c.var.db.tx(async (tx) => {
    const req = await pageRequest(c, ctx, tx, spec.path, spec.query)
    const theme = await pageTheme(tx, req.device)
    const off = spec.menu !== undefined && !menusOn(req.settings)[spec.menu]
    const renderOrNotFound = async (effects: PageEffects) =>
      (!off && (await render(req, theme, spec.type, spec.present, CSRF_STAND_IN, effects, spec.status))) || (await render(req, theme, 'not_found', notFoundPresenter, CSRF_STAND_IN, effects))!
    if (req.visitor.kind === 'member' || spec.cacheable === false) {
      const effects: PageEffects = {}
      const page = await renderOrNotFound(effects)
      if (effects.readEntryId) await countRead(tx, effects.readEntryId)
      return { page, key: null }
    }
    const query = new URLSearchParams(Object.entries(spec.query ?? {}).flatMap(([k, v]) => (v === undefined || v === null || v === '' ? [] : [[k, String(v)]])))
    const key = [req.service.id, theme.key, req.device, req.language, JSON.stringify(req.settings), await pagesVersion(tx), req.links.origin + req.links.base, spec.type, spec.path, query.toString()].join('\n')
    let page = cachedPage(key)
    if (!page) {
      const effects: PageEffects = {}
      page = { ...(await renderOrNotFound(effects)), readEntryId: effects.readEntryId }
      cachePage(key, page)
    }
    if (page.readEntryId) await countRead(tx, page.readEntryId)
    return { page, key }
  })
  const { page, key } = answer
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
