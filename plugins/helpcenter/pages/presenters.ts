/**
 * The presenters of the content pages: each builds exactly its page type's own variables
 * (render/page-types.ts) out of what visitors may read (content/public-read.ts), or null when
 * the page has nothing to show (an entry that is not published in the language: 404).
 * Notice and FAQ bodies were sanitised when saved, so they are marked as such here.
 */
import { htmlText } from '../../../core/mod.ts'
import { categoryList, faqDetail, faqList, homeFaqs, noticeDetail, noticeList, searchContent, type PublicEntry } from '../content/public-read.ts'
import { SanitisedHtml } from '../render/safe-html.ts'
import type { PageData, PageType, SharedData } from '../render/page-types.ts'
import type { PageRequest } from './request.ts'

export type OwnData<T extends PageType> = Omit<PageData<T>, keyof SharedData>

/** What a presenter tells the page besides its data: the entry whose read it counts (also when the page comes from the cache). */
export interface PageEffects {
  readEntryId?: string
}

export type Presenter<T extends PageType> = (req: PageRequest, shared: SharedData, effects: PageEffects) => Promise<OwnData<T> | null>

export const LIST_SIZE = 10
const HOME_SIZE = 5
const EXCERPT_CHARS = 160

const noticeSummary = (req: PageRequest, entry: PublicEntry) => ({ id: entry.id, number: entry.number, title: entry.title, url: req.links.to(`/notices/${entry.number}`), tag: entry.tags[0]?.name ?? null, hot: entry.isTop, publishedAt: entry.displayAt })
const faqSummary = (req: PageRequest, entry: PublicEntry) => ({ id: entry.id, title: entry.title, url: req.links.to(`/faq/${entry.number}`), category: entry.category?.name ?? '', hot: entry.isTop, publishedAt: entry.displayAt })

async function faqCategories(req: PageRequest, current: string | undefined) {
  return (await categoryList(req.tx, req.service, 'faq', req.language)).map((category) => ({ id: category.id, name: category.name, url: req.links.to('/faq', { category: category.id }), current: category.id === current }))
}

export const presentHome: Presenter<'home'> = async (req, shared) => {
  const { tx, service, language, settings } = req
  const notices = settings.notices ? (await noticeList(tx, service, { language, page: 1, pageSize: HOME_SIZE })).items : []
  // The FAQ pinned for the home page; without any, the latest ones.
  let faqs = settings.faq ? await homeFaqs(tx, service, language, HOME_SIZE) : []
  if (settings.faq && !faqs.length) faqs = (await faqList(tx, service, { language, page: 1, pageSize: HOME_SIZE })).items
  return {
    banner: { title: shared.strings.hc_title ?? service.name, subtitle: shared.strings.hc_search_placeholder ?? '', imageUrl: null },
    recentNotices: notices.map((n) => noticeSummary(req, n)),
    popularFaqs: faqs.map((f) => faqSummary(req, f)),
  }
}

export const presentNoticeList = (page: number, tagId: string | undefined): Presenter<'notice_list'> => async (req) => {
  const found = await noticeList(req.tx, req.service, { language: req.language, page, pageSize: LIST_SIZE, tagId })
  return { notices: found.items.map((n) => noticeSummary(req, n)), pagination: req.links.pagination('/notices', { tag: tagId }, page, found.pages) }
}

export const presentNoticeDetail = (number: number): Presenter<'notice_detail'> => async (req, _shared, effects) => {
  const notice = await noticeDetail(req.tx, req.service, { number }, req.language, { countRead: false })
  if (!notice) return null
  effects.readEntryId = notice.id
  return {
    notice: { id: notice.id, number: notice.number, title: notice.title, tag: notice.tags[0]?.name ?? null, hot: notice.isTop, publishedAt: notice.displayAt, body: SanitisedHtml.trust(notice.html) },
    previous: null,
    next: null,
    listUrl: req.links.to('/notices'),
  }
}

export const presentFaqList = (page: number, categoryId: string | undefined, q: string): Presenter<'faq_list'> => async (req) => {
  const found = await faqList(req.tx, req.service, { language: req.language, page, pageSize: LIST_SIZE, categoryId, q })
  return {
    categories: await faqCategories(req, categoryId),
    faqs: found.items.map((f) => faqSummary(req, f)),
    query: q,
    searchUrl: req.links.base + '/faq',
    pagination: req.links.pagination('/faq', { category: categoryId, q }, page, found.pages),
  }
}

export const presentFaqDetail = (number: number, voted: boolean): Presenter<'faq_detail'> => async (req, _shared, effects) => {
  const faq = await faqDetail(req.tx, req.service, { number }, req.language, { countRead: false })
  if (!faq) return null
  effects.readEntryId = faq.id
  return {
    faq: { id: faq.id, title: faq.title, category: faq.category?.name ?? '', publishedAt: faq.displayAt, body: SanitisedHtml.trust(faq.html) },
    categories: await faqCategories(req, faq.category?.id),
    vote: { action: req.links.to(`/faq/${faq.number}/votes`), voted },
    listUrl: req.links.to('/faq'),
  }
}

/** Notices and FAQ found for `q`, each section paged alongside the other (page n shows the n-th page of both). */
export const presentSearch = (q: string, page: number): Presenter<'search_results'> => async (req) => {
  const { tx, service, language, settings } = req
  const section = async (kind: 'notice' | 'faq', on: boolean) => {
    if (!on || !q.trim()) return { total: 0, pages: 0, hits: [] }
    const found = await searchContent(tx, service, { language, page, pageSize: LIST_SIZE, q, kinds: [kind] })
    const path = kind === 'notice' ? '/notices' : '/faq'
    const hits = found.items.map((entry) => ({ title: entry.title, url: req.links.to(`${path}/${entry.number}`), excerpt: htmlText(entry.html).slice(0, EXCERPT_CHARS), publishedAt: entry.displayAt, section: kind === 'notice' ? 'notices' : 'faq' }))
    return { total: found.total, pages: found.pages, hits }
  }
  const [notices, faqs] = [await section('notice', settings.notices), await section('faq', settings.faq)]
  return {
    query: q,
    total: notices.total + faqs.total,
    notices: { total: notices.total, hits: notices.hits },
    faqs: { total: faqs.total, hits: faqs.hits },
    pagination: req.links.pagination('/search', { q }, page, Math.max(notices.pages, faqs.pages)),
  }
}
