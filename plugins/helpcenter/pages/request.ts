/**
 * One page request as the presenters see it: the service, its help-center settings, the
 * visitor, the language and layout the page is shown in, its links, and which menus are on
 * (a switched-off menu is hidden from every page and its pages answer 404).
 */
import type { PlatformContext, Service, TenantTx } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import type { HelpCenterSettings } from '../settings.ts'
import type { Device } from '../default-theme/mod.ts'
import type { Menu } from '../render/page-types.ts'
import type { Visitor } from '../visitors/member.ts'
import { currentVisitor, helpCenterBase } from '../visitors/visitor.ts'
import { PageLinks, type Query } from './links.ts'
import { pageDevice, requestLanguage } from './locale.ts'

export interface PageRequest {
  readonly c: PlatformContext
  readonly ctx: HelpCenterContext
  readonly tx: TenantTx
  readonly service: Service
  readonly settings: HelpCenterSettings
  readonly visitor: Visitor
  readonly device: Device
  readonly language: string
  readonly links: PageLinks
  /** The page's path under the help center (`/faq/3`) and its own query (without lang and device), for its canonical, alternate and layout-switch links. */
  readonly path: string
  readonly query: Query
}

/** The menus on for this service (W4), by the switch each one has. */
export function menusOn(settings: HelpCenterSettings): Record<Menu, boolean> {
  return { notices: settings.notices, faq: settings.faq, inquiry: settings.inquiry, history: settings.inquiryHistory }
}

/** What a page is shown as, from the request alone: the language, the layout and the links (a pick by query is kept in its cookie). */
export interface PageView {
  readonly language: string
  readonly device: Device
  readonly links: PageLinks
}

/** The view of `c`; read it once per request (a pick by query sets its cookie). */
export function pageView(c: PlatformContext): PageView {
  const language = requestLanguage(c, c.var.tenant.service)
  return { language, device: pageDevice(c), links: new PageLinks(helpCenterBase(c), new URL(c.req.url).origin, language) }
}

/**
 * The page request of `c` inside `tx`; `path` and `query` name the page as its links will.
 * `known` passes what the caller has already: the view, and the settings from the page state.
 */
export async function pageRequest(c: PlatformContext, ctx: HelpCenterContext, tx: TenantTx, path: string, query: Query = {}, known: { view?: PageView; settings?: HelpCenterSettings } = {}): Promise<PageRequest> {
  const view = known.view ?? pageView(c)
  const settings = known.settings ?? (await ctx.settings(tx))
  return { c, ctx, tx, service: c.var.tenant.service, settings, visitor: currentVisitor(c), ...view, path, query }
}
