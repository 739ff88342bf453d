/**
 * The sitemap of a service's help center (`/hc/sitemap.xml`): the home page, the search-free
 * lists and every published notice and FAQ entry, in each language they are written in, each
 * with its `hreflang` alternates; a switched-off menu's pages are left out.
 */
import { faqList, noticeList } from '../content/public-read.ts'
import type { PageRequest } from './request.ts'

const MAX_ENTRIES = 5000
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export async function sitemap(req: PageRequest): Promise<string> {
  const { tx, service, settings, links } = req
  // path → the languages it is shown in
  const pages = new Map<string, string[]>()
  const add = (path: string, language: string) => pages.set(path, [...(pages.get(path) ?? []), language])
  for (const language of service.languages) {
    add('/', language)
    if (settings.notices) {
      add('/notices', language)
      for (const notice of (await noticeList(tx, service, { language, page: 1, pageSize: MAX_ENTRIES })).items) add(`/notices/${notice.number}`, language)
    }
    if (settings.faq) {
      add('/faq', language)
      for (const faq of (await faqList(tx, service, { language, page: 1, pageSize: MAX_ENTRIES })).items) add(`/faq/${faq.number}`, language)
    }
  }
  const urls = [...pages].flatMap(([path, languages]) =>
    languages.map((language) => {
      const alternates = languages.map((other) => `<xhtml:link rel="alternate" hreflang="${escapeXml(other)}" href="${escapeXml(links.absolute(path, {}, other))}"/>`).join('')
      return `<url><loc>${escapeXml(links.absolute(path, {}, language))}</loc>${alternates}</url>`
    }),
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`
}
