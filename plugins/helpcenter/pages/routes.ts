/**
 * The help center's pages on the `/hc` mount (`/o/{org}/{service}/hc/...` and, on the
 * organization's host, `/{service}/hc/...`): home, notices, FAQ (with its "was this helpful?"
 * form), search and the sitemap. Every page is a GET that works without a script; each names
 * the menu whose switch it needs, so a switched-off menu's pages answer 404.
 */
import { getCookie } from 'hono/cookie'
import { commonErrors, json, route, z, type PlatformContext, type PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { faqDetail } from '../content/public-read.ts'
import { recordVote } from '../content/votes.ts'
import { CSRF_COOKIE, requireCsrf } from '../visitors/csrf.ts'
import { sessionTokenOf } from '../visitors/visitor.ts'
import { Done, done } from '../visitors/routes.ts'
import { presentFaqDetail, presentFaqList, presentHome, presentNoticeDetail, presentNoticeList, presentSearch } from './presenters.ts'
import { servePage } from './respond.ts'
import { pageRequest } from './request.ts'
import { sitemap } from './sitemap.ts'

const tags = ['Help center pages']
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } })
const pageResponses = { ...commonErrors, 200: html('The page'), 304: { description: 'Unchanged since the ETag the browser sent' }, 404: html('No such page, or its menu is switched off') }

const Shown = z.object({
  lang: z.string().max(20).optional().openapi({ description: 'The page language (one of the service\'s); kept for the next pages' }),
  device: z.enum(['pc', 'mobile']).optional().openapi({ description: 'The layout; kept for the next pages (default: by the browser)' }),
})
const Page = z.coerce.number().int().min(1).max(100_000).default(1)
const NumberParam = z.object({ number: z.string().max(20).openapi({ param: { name: 'number', in: 'path' }, description: 'The entry\'s number' }) })

const routes = {
  home: route({ method: 'get', path: '', tags, access: 'public', summary: 'The help center\'s home page', request: { query: Shown }, responses: pageResponses }),
  notices: route({ method: 'get', path: '/notices', tags, access: 'public', summary: 'Notices, pinned first', request: { query: Shown.extend({ page: Page, tag: z.uuid().optional() }) }, responses: pageResponses }),
  notice: route({ method: 'get', path: '/notices/{number}', tags, access: 'public', summary: 'One notice', request: { params: NumberParam, query: Shown }, responses: pageResponses }),
  faqs: route({ method: 'get', path: '/faq', tags, access: 'public', summary: 'FAQ by category, with search', request: { query: Shown.extend({ page: Page, category: z.uuid().optional().or(z.literal('')), q: z.string().max(200).optional() }) }, responses: pageResponses }),
  faq: route({ method: 'get', path: '/faq/{number}', tags, access: 'public', summary: 'One FAQ entry, with its "was this helpful?" form', request: { params: NumberParam, query: Shown.extend({ voted: z.enum(['1']).optional() }) }, responses: pageResponses }),
  vote: route({
    method: 'post',
    path: '/faq/{number}/votes',
    tags,
    access: 'public',
    summary: 'Vote whether a FAQ entry helped (the detail page\'s form)',
    middleware: [requireCsrf()] as const,
    request: { params: NumberParam, query: Shown, body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: z.object({ csrf: z.string().optional(), helpful: z.enum(['yes', 'no']) }) } } } },
    responses: { ...commonErrors, 200: json(Done, 'Counted, for a script that asked for JSON: where the browser would go'), 303: { description: 'Counted; back to the entry, which thanks the visitor' }, 404: html('No such entry, or the FAQ is switched off') },
  }),
  search: route({ method: 'get', path: '/search', tags, access: 'public', summary: 'Search notices and FAQ', request: { query: Shown.extend({ q: z.string().max(200).default(''), page: Page }) }, responses: pageResponses }),
  sitemap: route({ method: 'get', path: '/sitemap.xml', tags, access: 'public', summary: 'Every page of the help center in every language', responses: { 200: { description: 'The sitemap', content: { 'application/xml': { schema: z.string() } } }, ...commonErrors } }),
}

/** An entry number out of the path; anything else is no entry (the 404 page). */
const entryNumber = (text: string) => (/^[1-9]\d{0,9}$/.test(text) ? Number(text) : null)
const nothing = async () => null

/** Who votes: the member's session, else the anonymous visitor's own CSRF cookie (both per browser). */
const voterKey = (c: PlatformContext) => {
  const session = sessionTokenOf(c)
  return session ? `session:${session}` : `anonymous:${getCookie(c, CSRF_COOKIE)}`
}

export function registerPageRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  app.openapi(routes.home, (c) => servePage(c, ctx, { type: 'home', path: '/', present: presentHome }) as never)

  app.openapi(routes.notices, (c) => {
    const { page, tag } = c.req.valid('query')
    return servePage(c, ctx, { type: 'notice_list', path: '/notices', query: { page: page === 1 ? null : page, tag }, menu: 'notices', present: presentNoticeList(page, tag) }) as never
  })

  app.openapi(routes.notice, (c) => {
    const number = entryNumber(c.req.valid('param').number)
    return servePage(c, ctx, { type: 'notice_detail', path: `/notices/${number}`, menu: 'notices', present: number ? presentNoticeDetail(number) : nothing }) as never
  })

  app.openapi(routes.faqs, (c) => {
    const { page, category, q } = c.req.valid('query')
    return servePage(c, ctx, { type: 'faq_list', path: '/faq', query: { page: page === 1 ? null : page, category, q }, menu: 'faq', present: presentFaqList(page, category || undefined, q ?? '') }) as never
  })

  app.openapi(routes.faq, (c) => {
    const number = entryNumber(c.req.valid('param').number)
    const voted = c.req.valid('query').voted === '1'
    return servePage(c, ctx, { type: 'faq_detail', path: `/faq/${number}`, query: { voted: voted ? 1 : null }, menu: 'faq', present: number ? presentFaqDetail(number, voted) : nothing }) as never
  })

  app.openapi(routes.vote, async (c) => {
    const number = entryNumber(c.req.valid('param').number)
    const helpful = c.req.valid('form').helpful === 'yes'
    const target = await c.var.db.tx(async (tx) => {
      const req = await pageRequest(c, ctx, tx, '/faq')
      const entry = req.settings.faq && number ? await faqDetail(tx, req.service, { number }, req.language, { countRead: false }) : null
      if (!entry) return null
      await recordVote(tx, req.service, { entryId: entry.id, language: req.language, helpful, voterKey: voterKey(c) })
      return req.links.to(`/faq/${number}`, { voted: 1 })
    })
    if (!target) return servePage(c, ctx, { type: 'faq_detail', path: `/faq/${number}`, menu: 'faq', present: nothing }) as never
    return done(c, target) as never
  })

  app.openapi(routes.search, (c) => {
    const { q, page } = c.req.valid('query')
    return servePage(c, ctx, { type: 'search_results', path: '/search', query: { q, page: page === 1 ? null : page }, present: presentSearch(q, page) }) as never
  })

  app.openapi(routes.sitemap, async (c) => {
    const xml = await c.var.db.tx(async (tx) => sitemap(await pageRequest(c, ctx, tx, '/')))
    return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8', 'x-content-type-options': 'nosniff' }) as never
  })
}
