/**
 * Sample data of every page type, for a theme preview (an unsaved theme rendered before it is
 * published), the theme tests and the render benchmark. Built from the catalogue's types, so a
 * change of a page's variables that the samples miss fails the typecheck.
 */
import { SanitisedHtml } from './safe-html.ts'
import { MENU_OF_PAGE, type PageData, type PageType, type SharedData } from './page-types.ts'

export interface SampleOptions {
  readonly device: 'pc' | 'mobile'
  readonly language: string
  readonly strings: Readonly<Record<string, string>>
  /** The theme's CSS and script URLs (a preview's own). */
  readonly assets: SharedData['assets']
  readonly serviceName?: string
}

const base = '/support/hc'
const at = '2026-03-02T20:00:00.000Z'
const u = (path: string) => `${base}${path}`

function pagination(pages: number): PageData<'notice_list'>['pagination'] {
  return {
    page: 1,
    pages,
    firstUrl: u('?page=1'),
    prevUrl: null,
    nextUrl: pages > 1 ? u('?page=2') : null,
    lastUrl: u(`?page=${pages}`),
    numbers: Array.from({ length: pages }, (_, i) => ({ number: i + 1, url: u(`?page=${i + 1}`), current: i === 0 })),
  }
}

function shared(page: PageType, options: SampleOptions): SharedData {
  return {
    hc: {
      serviceName: options.serviceName ?? 'Example',
      language: options.language,
      timezone: 'Asia/Seoul',
      languages: [
        { code: 'ko', name: '한국어', url: u('?lang=ko'), current: options.language === 'ko' },
        { code: 'en', name: 'English', url: u('?lang=en'), current: options.language === 'en' },
      ],
      device: options.device,
      page,
      currentMenu: MENU_OF_PAGE[page],
      deviceSwitchUrl: u(`?device=${options.device === 'pc' ? 'mobile' : 'pc'}`),
      canonicalUrl: u(''),
      alternates: [{ language: 'ko', url: u('?lang=ko') }, { language: 'en', url: u('?lang=en') }],
      urls: { home: u(''), notices: u('/notices'), faq: u('/faq'), search: u('/search'), inquiry: u('/inquiry'), inquiryHistory: u('/inquiries'), signIn: u('/sign-in'), signOut: u('/sign-out') },
      menus: { notices: true, faq: true, inquiry: true, inquiryHistory: true, chat: false },
      menuItems: [],
      externalMenus: [{ title: 'Shop', url: 'https://shop.example.com/' }],
      slots: { head: [], bodyEnd: [] },
    },
    visitor: { signedIn: false, displayName: null },
    strings: options.strings,
    csrf: 'sample-csrf-token',
    assets: options.assets,
  }
}

const notices = [
  { id: 'n2', number: 2, title: 'Service hours over the holidays', url: u('/notices/n2'), tag: 'Notice', hot: true, publishedAt: at },
  { id: 'n1', number: 1, title: 'New payment methods', url: u('/notices/n1'), tag: null, hot: false, publishedAt: at },
]
const faqs = [
  { id: 'f1', title: 'How do I change my password?', url: u('/faq/f1'), category: 'Account', hot: true, publishedAt: at },
  { id: 'f2', title: 'When will my order arrive?', url: u('/faq/f2'), category: 'Delivery', hot: false, publishedAt: at },
]
const categories = [
  { id: 'c1', name: 'Account', url: u('/faq?category=c1'), current: false },
  { id: 'c2', name: 'Delivery', url: u('/faq?category=c2'), current: false },
]
const body = SanitisedHtml.trust('<p>Open <strong>Settings</strong>, then <a href="https://example.com/help">Security</a>.</p>')
const hit = (title: string, section: string) => ({ title, url: u('/faq/f1'), excerpt: 'Open Settings, then Security…', publishedAt: at, section })
const field = (name: string, label: string, type: PageData<'inquiry_form'>['fields'][number]['type'], required: boolean) => ({ name, label, type, required, value: '', options: [], help: null, error: null })

const own: { [T in PageType]: Omit<PageData<T>, keyof SharedData> } = {
  home: { banner: { title: 'How can we help?', subtitle: 'Search our answers or ask us', imageUrl: null }, recentNotices: notices, popularFaqs: faqs },
  notice_list: { notices, pagination: pagination(3) },
  notice_detail: { notice: { ...notices[0]!, body }, previous: null, next: { title: notices[1]!.title, url: notices[1]!.url }, listUrl: u('/notices') },
  faq_list: { categories, faqs, query: '', searchUrl: u('/faq'), pagination: pagination(2) },
  faq_detail: { faq: { id: 'f1', title: faqs[0]!.title, category: 'Account', publishedAt: at, body }, categories, vote: { action: u('/faq/f1/votes'), voted: false }, listUrl: u('/faq') },
  search_results: { query: 'password', total: 2, notices: { total: 1, hits: [hit('New payment methods', 'notices')] }, faqs: { total: 1, hits: [hit('How do I change my password?', 'faq')] }, pagination: pagination(1) },
  inquiry_form: {
    action: u('/inquiry'),
    categories: [{ id: 'i1', name: 'Orders', selected: true }, { id: 'i2', name: 'Account', selected: false }],
    categoryUrl: u('/inquiry'),
    fields: [
      field('title', 'Title', 'text', true),
      field('content', 'Your question', 'textarea', true),
      { ...field('order_type', 'Order type', 'select', false), options: [{ value: 'online', label: 'Online', selected: false }, { value: 'store', label: 'In store', selected: false }] },
    ],
    requester: { name: field('name', 'Name', 'text', true), email: field('email', 'Email', 'email', true) },
    attachments: { allowed: true, maxFiles: 3, maxBytes: 10_485_760, accept: 'image/*,application/pdf' },
    consent: { required: true, text: 'I agree that my name and address are kept to answer me.', checked: false, error: null },
    errors: [],
  },
  inquiry_done: { ticketNumber: '20260302-0001', historyUrl: u('/inquiries') },
  inquiry_history: { inquiries: [{ id: 't1', number: '20260302-0001', title: 'Where is my parcel?', status: 'new', statusLabel: 'Received', createdAt: at, url: u('/inquiries/t1') }], pagination: pagination(1) },
  inquiry_detail: {
    inquiry: {
      number: '20260302-0001',
      title: 'Where is my parcel?',
      statusLabel: 'Answered',
      createdAt: at,
      fields: [{ label: 'Order type', value: 'Online' }],
      entries: [
        { fromAgent: false, authorName: 'Ada', body: SanitisedHtml.trust('<p>It has not arrived.</p>'), createdAt: at, attachments: [] },
        { fromAgent: true, authorName: 'Support', body: SanitisedHtml.trust('<p>It arrives tomorrow.</p>'), createdAt: at, attachments: [{ name: 'tracking.pdf', url: u('/files/x') }] },
      ],
    },
    reply: { allowed: true, action: u('/inquiries/t1/replies') },
    historyUrl: u('/inquiries'),
  },
  signin_required: { signInUrl: u('/sign-in') },
  not_found: {},
}

/** Sample data of a page of `type`: what a preview of a theme renders that page with. */
export function samplePage<T extends PageType>(type: T, options: SampleOptions): PageData<T> {
  return { ...shared(type, options), ...own[type] } as PageData<T>
}
