/**
 * The seed product's public help-center content calls (C16, VENDOR-APIS.md §1b), GET at
 * `/{serviceId}/api/v2/...`: notice categories, tags, list, detail and attachments; FAQ
 * (helpdoc) categories, list, detail and attachments; the service's overview. They show what the
 * help center's pages show (published entries whose time has come), through public-read.ts, in
 * the documented envelope. The group shares `/api/v2` with the ticket plugin's calls: each
 * route keeps its own plugin's contract gate and error shape.
 */
import { fileResponse, route, z, type PlatformContext, type PluginApp, type PluginContext, type PluginMount, type Queryable, type Service } from '../../../../core/mod.ts'
import { categoryList, faqDetail, faqList, noticeDetail, noticeList, noticeTags, visibleAttachment, type PublicCategory } from '../public-read.ts'
import type { ContentKind } from '../store.ts'
import { answer, ContentCompatError, contentCompatErrorHandler, listOf, oneOf, pageOf, refusals } from './envelope.ts'
import {
  CompatContentCategory,
  CompatHelpDoc,
  CompatHelpDocDetail,
  CompatNotice,
  CompatNoticeDetail,
  CompatService,
  CompatTag,
  DownloadQuery,
  HelpDocListQuery,
  LanguageQuery,
  NoticeListQuery,
  TAG,
} from './schemas.ts'
import { compatCategoryView, compatHelpDocDetailView, compatHelpDocView, compatNoticeDetailView, compatNoticeView, compatServiceView, parseCompatSort } from './views.ts'

const tags = [TAG]
const ok = (schema: z.ZodType, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...refusals })
// Declared by hand: the router reads `{id}.json` as one segment named `id.json` (see numberBefore).
const idDotJson = [{ name: 'id', in: 'path' as const, required: true, schema: { type: 'integer' as const } }]
const fileAnswer = { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, 404: refusals[404] }
const attachmentParams = z.object({ attachmentId: z.string().openapi({ param: { name: 'attachmentId', in: 'path' } }) })

const routes = {
  noticeCategories: route({ method: 'get', path: '/notice/categories.json', tags, access: 'public', summary: 'Notice categories (one level)', request: { query: LanguageQuery }, responses: ok(listOf(CompatContentCategory, 'HelpCenterCompatNoticeCategories'), 'By orderNo') }),
  noticeTags: route({ method: 'get', path: '/notice/tags.json', tags, access: 'public', summary: 'Notice heading tags', request: { query: LanguageQuery }, responses: ok(listOf(CompatTag, 'HelpCenterCompatNoticeTags'), 'By orderNo') }),
  noticeList: route({ method: 'get', path: '/notice/list.json', tags, access: 'public', summary: 'Published notices (default sort isTop:desc,displayDt:desc,updatedDt:desc)', request: { query: NoticeListQuery }, responses: ok(pageOf(CompatNotice, 'HelpCenterCompatNoticeList'), 'One page') }),
  noticeDetail: route({ method: 'get', path: '/notice/detail/{id}.json', tags, access: 'public', summary: 'One published notice (counts a read)', parameters: idDotJson, request: { query: LanguageQuery }, responses: ok(oneOf(CompatNoticeDetail, 'HelpCenterCompatNoticeDetailAnswer'), 'The notice') }),
  noticeFile: route({ method: 'get', path: '/notice/attachments/{attachmentId}', tags, access: 'public', summary: "A published notice's attachment", request: { params: attachmentParams, query: DownloadQuery }, responses: fileAnswer }),
  docCategories: route({ method: 'get', path: '/helpdoc/categories.json', tags, access: 'public', summary: 'FAQ categories, flat: parents before children, siblings by orderNo', request: { query: LanguageQuery }, responses: ok(listOf(CompatContentCategory, 'HelpCenterCompatHelpDocCategories'), 'Categories') }),
  docList: route({ method: 'get', path: '/helpdoc/list.json', tags, access: 'public', summary: 'Published FAQ entries (default sort isTop:desc,isRecommend:desc,updatedDt:desc in a category, isTop:desc,updatedDt:desc without)', request: { query: HelpDocListQuery }, responses: ok(pageOf(CompatHelpDoc, 'HelpCenterCompatHelpDocList'), 'One page') }),
  docDetail: route({ method: 'get', path: '/helpdoc/detail/{id}.json', tags, access: 'public', summary: 'One published FAQ entry (counts a read)', parameters: idDotJson, request: { query: LanguageQuery }, responses: ok(oneOf(CompatHelpDocDetail, 'HelpCenterCompatHelpDocDetailAnswer'), 'The entry') }),
  docFile: route({ method: 'get', path: '/helpdoc/attachments/{attachmentId}', tags, access: 'public', summary: "A published FAQ entry's attachment", request: { params: attachmentParams, query: DownloadQuery }, responses: fileAnswer }),
  service: route({ method: 'get', path: '/service.json', tags, access: 'public', summary: "The help center's name and languages", responses: ok(oneOf(CompatService, 'HelpCenterCompatServiceAnswer'), 'The service') }),
}

/** The language asked for, or the service's default; one the service does not have is refused. */
function languageOf(service: Service, language: string | undefined): string {
  if (language === undefined || language === '') return service.defaultLanguage
  if (!service.languages.includes(language)) throw new ContentCompatError(400, `language '${language}' is not one of this help center's (${service.languages.join(', ')})`)
  return language
}

/** The number in a `{n}.json` segment, which the router names `<param>.json`. */
function numberBefore(c: PlatformContext, param: string, noun: string): number {
  const segment = c.req.param(`${param}.json` as never) as string | undefined
  const match = /^(\d{1,15})\.json$/.exec(segment ?? '')
  if (!match) throw new ContentCompatError(404, `no ${noun} '${segment}': the path ends in /{id}.json with a numeric id`)
  return Number(match[1])
}

/** The category of a kind with this number, or a refusal naming the parameter. */
function categoryByNumber(categories: readonly PublicCategory[], number: number | undefined): string | undefined {
  if (number === undefined) return undefined
  const found = categories.find((category) => category.number === number)
  if (!found) throw new ContentCompatError(404, `no category ${number} (categoryId) in this help center`)
  return found.id
}

export function registerContentCompatRoutes(app: PluginApp, ctx: PluginContext): void {
  app.onError(contentCompatErrorHandler(ctx.log) as never)
  const read = <T>(c: PlatformContext, fn: (tx: Queryable, service: Service) => Promise<T>) => c.var.db.tx((tx) => fn(tx, c.var.tenant.service))

  app.openapi(routes.noticeCategories, async (c) => {
    const language = languageOf(c.var.tenant.service, c.req.valid('query').language)
    return answer(c, { contents: (await read(c, (tx, service) => categoryList(tx, service, 'notice', language))).map(compatCategoryView) })
  })

  app.openapi(routes.noticeTags, async (c) => {
    const language = languageOf(c.var.tenant.service, c.req.valid('query').language)
    const found = await read(c, (tx, service) => noticeTags(tx, service, language))
    return answer(c, { contents: found.map((tag) => ({ tagId: tag.number, tag: tag.name, languages: tag.names })) })
  })

  app.openapi(routes.noticeList, async (c) => {
    const query = c.req.valid('query')
    const language = languageOf(c.var.tenant.service, query.language)
    const sort = parseCompatSort(query.sort, ['isTop', 'createdDt', 'updatedDt', 'displayDt'])
    const page = await read(c, async (tx, service) => {
      const categoryId = categoryByNumber(await categoryList(tx, service, 'notice', language), query.categoryId)
      const tagId = query.tagId === undefined ? undefined : (await noticeTags(tx, service, language)).find((tag) => tag.number === query.tagId)?.id
      if (query.tagId !== undefined && !tagId) throw new ContentCompatError(404, `no notice tag ${query.tagId} (tagId) in this help center`)
      return noticeList(tx, service, { language, categoryId, tagId, sort, q: query.query, page: query.page, pageSize: query.pageSize })
    })
    return answer(c, { contents: page.items.map(compatNoticeView), total: page.total, pages: page.pages, pageNum: page.page, pageSize: page.pageSize })
  })

  app.openapi(routes.noticeDetail, async (c) => {
    const number = numberBefore(c, 'id', 'notice')
    const language = languageOf(c.var.tenant.service, c.req.valid('query').language)
    const notice = await read(c, (tx, service) => noticeDetail(tx, service, { number }, language))
    if (!notice) throw new ContentCompatError(404, `no published notice ${number} in '${language}'`)
    return answer(c, { content: compatNoticeDetailView(notice) })
  })

  app.openapi(routes.docCategories, async (c) => {
    const language = languageOf(c.var.tenant.service, c.req.valid('query').language)
    return answer(c, { contents: (await read(c, (tx, service) => categoryList(tx, service, 'faq', language))).map(compatCategoryView) })
  })

  app.openapi(routes.docList, async (c) => {
    const query = c.req.valid('query')
    const language = languageOf(c.var.tenant.service, query.language)
    const sort = parseCompatSort(query.sort, ['isTop', 'isRecommend', 'createdDt', 'updatedDt'])
    const page = await read(c, async (tx, service) => {
      const categoryId = categoryByNumber(await categoryList(tx, service, 'faq', language), query.categoryId)
      return faqList(tx, service, { language, categoryId, sort, q: query.query, page: query.page, pageSize: query.pageSize })
    })
    return answer(c, { contents: page.items.map(compatHelpDocView), total: page.total, pages: page.pages, pageNum: page.page, pageSize: page.pageSize })
  })

  app.openapi(routes.docDetail, async (c) => {
    const number = numberBefore(c, 'id', 'FAQ entry')
    const language = languageOf(c.var.tenant.service, c.req.valid('query').language)
    const shown = await read(c, async (tx, service) => {
      const doc = await faqDetail(tx, service, { number }, language)
      return doc && compatHelpDocDetailView(doc, await categoryList(tx, service, 'faq', language))
    })
    if (!shown) throw new ContentCompatError(404, `no published FAQ entry ${number} in '${language}'`)
    return answer(c, { content: shown })
  })

  const serveFile = async (c: PlatformContext, kind: ContentKind, attachmentId: string, type: 'open' | 'download') => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(attachmentId)
    const row = uuid ? await c.var.db.tx((tx) => visibleAttachment(tx, kind, attachmentId)) : null
    const blob = row && (await c.var.blobs.get(row.blobKey))
    if (!row || !blob) throw new ContentCompatError(404, `no attachment '${attachmentId}' of a published ${kind === 'faq' ? 'FAQ entry' : 'notice'}`)
    // `open` is a wish: the core serves inline only what a browser shows without running anything.
    return fileResponse({ body: blob.body, contentType: row.contentType, fileName: row.fileName }, { disposition: type === 'open' ? 'inline' : 'attachment' }) as never
  }
  app.openapi(routes.noticeFile, (c) => serveFile(c, 'notice', c.req.valid('param').attachmentId, c.req.valid('query').type))
  app.openapi(routes.docFile, (c) => serveFile(c, 'faq', c.req.valid('param').attachmentId, c.req.valid('query').type))

  app.openapi(routes.service, (c) => answer(c, { content: compatServiceView(c.var.tenant.service) }))
}

/** The help center's groups outside `/api/v1`: the content calls under the seed product's `/api/v2`. */
export const contentMounts: readonly PluginMount[] = [{ path: '/api/v2', routes: registerContentCompatRoutes }]
