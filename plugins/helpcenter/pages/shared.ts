/**
 * The variables every page gets (render/page-types.ts `SharedVariables`): the service, its
 * languages and the page in each (hreflang), the links of the menus that are on, what other
 * plugins contribute (menu items, page slots: the help center writes their elements itself),
 * the external menus, the visitor, the string sets, the CSRF token and the theme's assets.
 */
import { SanitisedHtml } from '../render/safe-html.ts'
import { MENU_OF_PAGE, type PageType, type SharedData } from '../render/page-types.ts'
import { listMenus } from '../menus/store.ts'
import { visibleContributions } from '../menus/contributions.ts'
import { nameIn } from '../content/public-read.ts'
import { resolveStrings } from '../strings/resolve.ts'
import { pageAssets } from '../themes/assets.ts'
import type { PageTheme } from '../themes/in-use.ts'
import { signInUrl } from '../visitors/visitor.ts'
import { languageName } from './locale.ts'
import { menusOn, type PageRequest } from './request.ts'

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export interface SharedPart {
  readonly data: SharedData
  /** Scripts other plugins' slots load: the page's CSP allows exactly these. */
  readonly slotScripts: readonly string[]
}

/** The shared variables of a page of `type` rendered with `theme`; `csrf` is the forms' token (or the cache's stand-in for it). */
export async function sharedData(req: PageRequest, type: PageType, theme: PageTheme, csrf: string): Promise<SharedPart> {
  const { tx, ctx, service, settings, links, language } = req
  // The base always ends in the mount's `/hc`; what is before it is the service's prefix.
  const servicePath = links.base.slice(0, -'/hc'.length)
  const [strings, menus, contributions] = await Promise.all([
    resolveStrings(tx, service, language),
    listMenus(tx),
    visibleContributions(ctx, tx, { servicePrefix: servicePath, language }),
  ])
  const on = menusOn(settings)
  const script = (url: string) => SanitisedHtml.trust(`<script src="${escapeAttribute(url)}" defer></script>`)
  const slots = { head: contributions.slots.filter((s) => s.position === 'header').map((s) => script(s.scriptUrl)), bodyEnd: contributions.slots.filter((s) => s.position !== 'header').map((s) => script(s.scriptUrl)) }
  const requestPath = new URL(req.c.req.url).pathname
  const data: SharedData = {
    hc: {
      serviceName: service.name,
      language,
      timezone: service.timezone,
      languages: service.languages.map((code) => ({ code, name: languageName(code), url: links.to(req.path, req.query, code), current: code === language })),
      device: req.device,
      page: type,
      currentMenu: MENU_OF_PAGE[type],
      deviceSwitchUrl: links.to(req.path, { ...req.query, device: req.device === 'pc' ? 'mobile' : 'pc' }),
      canonicalUrl: links.absolute(req.path, req.query),
      alternates: service.languages.map((code) => ({ language: code, url: links.absolute(req.path, req.query, code) })),
      urls: {
        home: links.to('/'),
        notices: links.to('/notices'),
        faq: links.to('/faq'),
        search: links.to('/search'),
        inquiry: links.to('/inquiry'),
        inquiryHistory: links.to('/inquiries'),
        // Without a login page of the tenant there is nowhere to sign in; the link stays on the help center.
        signIn: signInUrl(req.c, settings) ?? links.to('/'),
        signOut: `${links.base}/sign-out`,
      },
      menus: { notices: on.notices, faq: on.faq, inquiry: on.inquiry, inquiryHistory: on.history, chat: settings.chat },
      menuItems: contributions.menuItems.map((item) => ({ title: item.title, url: item.url, external: false, current: requestPath === item.url })),
      externalMenus: menus.map((menu) => ({ title: nameIn(menu.titles, language, service), url: menu.url })),
      slots,
    },
    visitor: req.visitor.kind === 'member' ? { signedIn: true, displayName: req.visitor.member.name ?? req.visitor.member.usercode } : { signedIn: false, displayName: null },
    strings,
    csrf,
    assets: pageAssets(servicePath, theme),
  }
  return { data, slotScripts: contributions.slots.map((s) => new URL(s.scriptUrl, links.origin).pathname) }
}
