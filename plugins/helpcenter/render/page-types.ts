/**
 * The catalogue of help-center pages and, for each, the variables its template gets: one zod
 * declaration that types the presenters (which build the data), checks a theme's templates on
 * save (a variable the page does not have is refused) and documents the pages for theme authors.
 *
 * Every page gets the shared variables: `hc` (the service, its languages and menus, what other
 * plugins contribute), `visitor`, `strings` (code → text, W6), `csrf` (the forms' token) and
 * `assets` (the theme's CSS and script URLs). The layout template (`layout`) and partials get
 * the shared variables and, when a page includes them, that page's own.
 */
import { z } from '../../../core/mod.ts'
import { SanitisedHtmlSchema } from './safe-html.ts'

const text = z.string()
const url = z.string().openapi({ description: 'A URL of the help center (already built for the current language and device)' })
const time = z.string().openapi({ description: 'ISO 8601 time' })
const link = z.object({ title: text, url })

/** Every page type, in the catalogue's order (the keys of {@link PAGE_VARIABLES}). */
const PAGE_NAMES = ['home', 'notice_list', 'notice_detail', 'faq_list', 'faq_detail', 'search_results', 'inquiry_form', 'inquiry_done', 'inquiry_history', 'inquiry_detail', 'signin_required', 'not_found'] as const
const MENUS = ['notices', 'faq', 'inquiry', 'history'] as const
export type Menu = (typeof MENUS)[number]

const MenuItem = z.object({ title: text, url, external: z.boolean(), current: z.boolean() })

const Hc = z.object({
  serviceName: text,
  language: text.openapi({ description: 'The page language, e.g. `ko` (also the `lang` attribute)' }),
  timezone: text.openapi({ description: "The service's time zone (IANA), for dates: `{{ notice.publishedAt | date: '%Y-%m-%d', hc.timezone }}`" }),
  languages: z.array(z.object({ code: text, name: text, url, current: z.boolean() })),
  device: z.enum(['pc', 'mobile']),
  page: z.enum(PAGE_NAMES).openapi({ description: 'The page type being rendered' }),
  currentMenu: z.enum(MENUS).nullable().openapi({ description: 'The menu the page belongs to (`MENU_OF_PAGE`), to mark it current' }),
  deviceSwitchUrl: url.openapi({ description: 'The same page in the other layout (PC ↔ mobile)' }),
  canonicalUrl: url,
  alternates: z.array(z.object({ language: text, url })).openapi({ description: 'The page in every language (hreflang)' }),
  urls: z.object({ home: url, notices: url, faq: url, search: url, inquiry: url, inquiryHistory: url, signIn: url, signOut: url }),
  menus: z.object({ notices: z.boolean(), faq: z.boolean(), inquiry: z.boolean(), inquiryHistory: z.boolean(), chat: z.boolean() }).openapi({ description: 'Which menus are on (a switched-off one is hidden)' }),
  menuItems: z.array(MenuItem).openapi({ description: 'Menu items other plugins contribute' }),
  externalMenus: z.array(link).openapi({ description: 'External menus (W7), in order' }),
  slots: z.object({ head: z.array(SanitisedHtmlSchema), bodyEnd: z.array(SanitisedHtmlSchema) }).openapi({ description: 'Page slots other plugins contribute (e.g. the chat launcher)' }),
})

const Visitor = z.object({ signedIn: z.boolean(), displayName: text.nullable() })

/** The variables every page, the layout and every partial get. */
export const SharedVariables = z.object({
  hc: Hc,
  visitor: Visitor,
  strings: z.record(z.string(), text).openapi({ description: 'String sets (W6): code → text in the page language' }),
  csrf: text.openapi({ description: 'The CSRF token every form posts as `csrf`' }),
  assets: z.object({ css: z.array(url), script: url.nullable() }),
})

const Pagination = z.object({
  page: z.number(),
  pages: z.number(),
  firstUrl: url,
  prevUrl: url.nullable(),
  nextUrl: url.nullable(),
  lastUrl: url,
  numbers: z.array(z.object({ number: z.number(), url, current: z.boolean() })),
})

const NoticeSummary = z.object({ id: text, number: z.number(), title: text, url, tag: text.nullable(), hot: z.boolean(), publishedAt: time })
const FaqSummary = z.object({ id: text, title: text, url, category: text, hot: z.boolean(), publishedAt: time })
const Category = z.object({ id: text, name: text, url, current: z.boolean() })
const SearchHit = z.object({ title: text, url, excerpt: text, publishedAt: time, section: text })
const Option = z.object({ value: text, label: text, selected: z.boolean() })

const InquiryField = z.object({
  name: text.openapi({ description: 'The form input name' }),
  label: text,
  type: z.enum(['text', 'textarea', 'select', 'radio', 'checkbox', 'date', 'number', 'email', 'tel']),
  required: z.boolean(),
  value: text,
  options: z.array(Option),
  help: text.nullable(),
  error: text.nullable(),
})

/** Each page type's own variables (besides the shared ones). */
export const PAGE_VARIABLES = {
  home: z.object({
    banner: z.object({ title: text, subtitle: text, imageUrl: url.nullable() }),
    recentNotices: z.array(NoticeSummary),
    popularFaqs: z.array(FaqSummary),
  }),
  notice_list: z.object({ notices: z.array(NoticeSummary), pagination: Pagination }),
  notice_detail: z.object({
    notice: z.object({ id: text, number: z.number(), title: text, tag: text.nullable(), hot: z.boolean(), publishedAt: time, body: SanitisedHtmlSchema }),
    previous: link.nullable(),
    next: link.nullable(),
    listUrl: url,
  }),
  faq_list: z.object({ categories: z.array(Category), faqs: z.array(FaqSummary), query: text, searchUrl: url, pagination: Pagination }),
  faq_detail: z.object({
    faq: z.object({ id: text, title: text, category: text, publishedAt: time, body: SanitisedHtmlSchema }),
    categories: z.array(Category),
    vote: z.object({ action: url, voted: z.boolean() }),
    listUrl: url,
  }),
  search_results: z.object({
    query: text,
    total: z.number(),
    notices: z.object({ total: z.number(), hits: z.array(SearchHit) }),
    faqs: z.object({ total: z.number(), hits: z.array(SearchHit) }),
    pagination: Pagination,
  }),
  inquiry_form: z.object({
    action: url,
    categories: z.array(z.object({ id: text, name: text, selected: z.boolean() })),
    categoryUrl: url.openapi({ description: 'GET target of the category picker (reloads the form with that category\'s fields)' }),
    fields: z.array(InquiryField),
    requester: z.object({ name: InquiryField, email: InquiryField }).nullable().openapi({ description: 'Name and address fields for a visitor who is not signed in; null when signed in' }),
    attachments: z.object({ allowed: z.boolean(), maxFiles: z.number(), maxBytes: z.number(), accept: text }),
    consent: z.object({ required: z.boolean(), text: text, checked: z.boolean(), error: text.nullable() }),
    errors: z.array(text),
  }),
  inquiry_done: z.object({ ticketNumber: text.nullable(), historyUrl: url.nullable() }),
  inquiry_history: z.object({
    inquiries: z.array(z.object({ id: text, number: text, title: text, status: text, statusLabel: text, createdAt: time, url })),
    pagination: Pagination,
  }),
  inquiry_detail: z.object({
    inquiry: z.object({
      number: text,
      title: text,
      statusLabel: text,
      createdAt: time,
      fields: z.array(z.object({ label: text, value: text })),
      entries: z.array(z.object({ fromAgent: z.boolean(), authorName: text, body: SanitisedHtmlSchema, createdAt: time, attachments: z.array(z.object({ name: text, url })) })),
    }),
    reply: z.object({ allowed: z.boolean(), action: url }),
    historyUrl: url,
  }),
  signin_required: z.object({ signInUrl: url }),
  not_found: z.object({}),
} as const satisfies Record<PageType, z.ZodObject>

export type PageType = (typeof PAGE_NAMES)[number]
export const PAGE_TYPES: readonly PageType[] = PAGE_NAMES
export const PageTypeSchema = z.enum(PAGE_NAMES).openapi({ description: 'A help-center page type' })

/** The menu each page belongs to (`hc.currentMenu`), null for pages of none. */
export const MENU_OF_PAGE: Readonly<Record<PageType, Menu | null>> = {
  home: null,
  notice_list: 'notices',
  notice_detail: 'notices',
  faq_list: 'faq',
  faq_detail: 'faq',
  search_results: null,
  inquiry_form: 'inquiry',
  inquiry_done: 'inquiry',
  inquiry_history: 'history',
  inquiry_detail: 'history',
  signin_required: 'history',
  not_found: null,
}

/** The layout every page template renders into with `{% layout 'layout' %}`. */
export const LAYOUT_TEMPLATE = 'layout'

export const isPageType = (name: string): name is PageType => Object.hasOwn(PAGE_VARIABLES, name)

/** The whole context of a page of `type`: the shared variables and the page's own. */
export type PageData<T extends PageType> = z.infer<typeof SharedVariables> & z.infer<(typeof PAGE_VARIABLES)[T]>
export type SharedData = z.infer<typeof SharedVariables>

/** The schema of every variable the template `name` may read: a page's own and the shared ones; the layout and partials the shared ones. */
export function variablesOf(name: string): z.ZodObject {
  return isPageType(name) ? SharedVariables.extend(PAGE_VARIABLES[name].shape) : SharedVariables
}
