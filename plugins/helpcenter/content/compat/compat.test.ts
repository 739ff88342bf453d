/**
 * The seed product's help-center content calls (C16, VENDOR-APIS.md §1b) on both drivers: the
 * documented shapes and envelope, the default and requested sorts, paging, languages, search,
 * attachments, refusals in the envelope, and the ticket plugin's `/api/v2` calls still answering
 * beside them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import helpcenter from '../../mod.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const ok = async (answer: Promise<{ status: number; body: any }>, status = 200) => {
  const res = await answer
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const SUCCESS = { resultCode: 200, resultMessage: 'SUCCESS', isSuccessful: true }

describe.each(drivers)('help-center content compat API on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  const v2 = (path: string) => tp.call(`/o/cc-org/desk/api/v2${path}`, { token: null })
  const ids: Record<string, any> = {}

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver(), events: { background: false } })
    svc = await tp.service('cc-org', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko', name: '데스크' })
    const api = (path: string, body: unknown, status = 201) => ok(svc.call(`/helpcenter${path}`, { body }), status)
    ids.events = await api('/notice-categories', { names: { ko: '이벤트', en: 'Events' } })
    ids.news = await api('/notice-categories', { names: { ko: '소식', en: 'News' } })
    ids.tag = await api('/notice-tags', { names: { ko: '점검', en: 'Maintenance' } })
    const notice = (title: string, extra: Record<string, unknown>) => api('/notices', { published: true, translations: { ko: { title, html: `<p>${title} 본문</p>` }, en: { title: `${title} en`, html: '<p>en</p>' } }, ...extra })
    ids.old = await notice('오래된 공지', { categoryId: ids.events.id, publishAt: '2024-01-01T00:00:00Z' })
    ids.recent = await notice('최근 공지', { categoryId: ids.events.id, publishAt: '2025-01-01T00:00:00Z', tagIds: [ids.tag.id] })
    ids.top = await notice('배송 지연 고정 공지', { categoryId: ids.news.id, isTop: true, publishAt: '2023-01-01T00:00:00Z' })
    await notice('예약 공지', { publishAt: new Date(Date.now() + 86_400_000).toISOString() })
    await api(`/notices/${ids.recent.id}/attachments`, { fileName: 'dot.png', contentType: 'image/png', data: PNG })
    ids.root = await api('/faq-categories', { names: { ko: '배송', en: 'Delivery' } })
    ids.child = await api('/faq-categories', { names: { ko: '해외배송', en: 'Abroad' }, parentId: ids.root.id })
    const faq = (title: string, extra: Record<string, unknown>) => api('/faqs', { published: true, translations: { ko: { title, html: `<p>${title} 답변</p>` } }, ...extra })
    ids.plain = await faq('관세는 누가 내나요?', { categoryId: ids.child.id })
    ids.recommended = await faq('해외배송 기간', { categoryId: ids.child.id, isRecommend: true })
    ids.topFaq = await faq('배송 조회 방법', { categoryId: ids.root.id, isTop: true })
  }, 90_000)
  afterAll(() => tp.close())

  it('serves notice categories and tags in the envelope, named in the language asked for', async () => {
    const categories = await ok(v2('/notice/categories.json?language=en'))
    expect(categories.header).toEqual(SUCCESS)
    expect(categories.result.contents).toEqual([
      { categoryId: ids.events.number, parent: 0, name: 'Events', level: 1, path: '\\', orderNo: 0, languages: { ko: '이벤트', en: 'Events' } },
      { categoryId: ids.news.number, parent: 0, name: 'News', level: 1, path: '\\', orderNo: 1, languages: { ko: '소식', en: 'News' } },
    ])
    expect((await ok(v2('/notice/tags.json'))).result.contents).toEqual([{ tagId: ids.tag.number, tag: '점검', languages: { ko: '점검', en: 'Maintenance' } }])
  })

  it('lists published notices pinned first then newest shown first, in pages, by category, tag, search and sort', async () => {
    const first = await ok(v2('/notice/list.json?pageSize=2'))
    expect(first.result).toMatchObject({ total: 3, pages: 2, pageNum: 1, pageSize: 2 })
    expect(first.result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.top.number, ids.recent.number])
    expect(first.result.contents[1]).toEqual({
      noticeId: ids.recent.number,
      categoryId: ids.events.number,
      categoryName: '이벤트',
      isTop: false,
      title: '최근 공지',
      content: '<p>최근 공지 본문</p>',
      displayDt: Date.parse('2025-01-01T00:00:00Z'),
      updatedDt: expect.any(Number),
      tagStr: '점검',
      isNew: false,
    })
    expect((await ok(v2('/notice/list.json?pageSize=2&page=2'))).result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.old.number])
    expect((await ok(v2('/notice/list.json?sort=displayDt:asc'))).result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.top.number, ids.old.number, ids.recent.number])
    expect((await ok(v2(`/notice/list.json?categoryId=${ids.events.number}&sort=isTop:desc,displayDt:asc`))).result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.old.number, ids.recent.number])
    expect((await ok(v2(`/notice/list.json?tagId=${ids.tag.number}`))).result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.recent.number])
    expect((await ok(v2(`/notice/list.json?query=${encodeURIComponent('지연은')}`))).result.contents.map((n: { noticeId: number }) => n.noticeId)).toEqual([ids.top.number])
    expect((await ok(v2('/notice/list.json?language=en'))).result.contents[0].title).toBe('배송 지연 고정 공지 en')
  })

  it('answers a notice detail with its attachments and tags, counts the read, and serves the file', async () => {
    const detail = await ok(v2(`/notice/detail/${ids.recent.number}.json`))
    expect(detail.result.content).toMatchObject({ noticeId: ids.recent.number, title: '최근 공지', content: '<p>최근 공지 본문</p>', readCnt: 1, attachmentYn: true, isNew: false, tags: [{ tagId: ids.tag.number, tag: '점검' }] })
    const [file] = detail.result.content.attachments
    expect(file).toEqual({ attachmentId: expect.any(String), fileName: 'dot.png', contentType: 'image/png', size: 70 })
    expect((await ok(v2(`/notice/detail/${ids.recent.number}.json`))).result.content.readCnt).toBe(2)
    const open = await v2(`/notice/attachments/${file.attachmentId}?type=open`)
    expect(open.status).toBe(200)
    expect(open.headers.get('content-disposition')).toMatch(/^inline/)
    expect((await v2(`/notice/attachments/${file.attachmentId}`)).headers.get('content-disposition')).toMatch(/^attachment/)
    expect((await v2(`/helpdoc/attachments/${file.attachmentId}`)).status).toBe(404)
  })

  it('serves FAQ categories flat with their paths, lists by the documented default orders, and details with the lineage', async () => {
    const categories = (await ok(v2('/helpdoc/categories.json'))).result.contents
    expect(categories).toEqual([
      { categoryId: ids.root.number, parent: 0, name: '배송', level: 1, path: '\\', orderNo: 0, languages: { ko: '배송', en: 'Delivery' } },
      { categoryId: ids.child.number, parent: ids.root.number, name: '해외배송', level: 2, path: `\\${ids.root.number}\\`, orderNo: 0, languages: { ko: '해외배송', en: 'Abroad' } },
    ])
    const inCategory = (await ok(v2(`/helpdoc/list.json?categoryId=${ids.root.number}`))).result
    expect(inCategory.contents.map((d: { helpDocId: number }) => d.helpDocId)).toEqual([ids.topFaq.number, ids.recommended.number, ids.plain.number])
    expect(inCategory.contents[1]).toEqual({ helpDocId: ids.recommended.number, title: '해외배송 기간', content: '<p>해외배송 기간 답변</p>', categoryId: ids.child.number, categoryName: '해외배송', isTop: false, isRecommend: true, isNew: true, createdDt: expect.any(Number), updatedDt: expect.any(Number) })
    // Without a category the default is isTop:desc,updatedDt:desc: the recommendation does not count.
    await ok(svc.call(`/helpcenter/faqs/${ids.plain.id}`, { method: 'PATCH', body: { translations: { ko: { title: '관세는 누가 내나요?', html: '<p>고객님이 냅니다</p>' } } } }))
    expect((await ok(v2('/helpdoc/list.json'))).result.contents.map((d: { helpDocId: number }) => d.helpDocId)).toEqual([ids.topFaq.number, ids.plain.number, ids.recommended.number])
    expect((await ok(v2('/helpdoc/list.json?sort=createdDt:asc'))).result.contents.map((d: { helpDocId: number }) => d.helpDocId)).toEqual([ids.plain.number, ids.recommended.number, ids.topFaq.number])
    const detail = (await ok(v2(`/helpdoc/detail/${ids.plain.number}.json`))).result.content
    expect(detail).toMatchObject({ helpDocId: ids.plain.number, readCnt: 1, attachmentYn: false, categoryFullName: '배송>해외배송', category: { categoryId: ids.child.number, level: 2 }, attachments: [] })
    expect(detail.parentCategoryList.map((c: { categoryId: number }) => c.categoryId)).toEqual([ids.root.number, ids.child.number])
  })

  it("answers the service's overview", async () => {
    expect((await ok(v2('/service.json'))).result.content).toEqual({ serviceId: 'desk', name: '데스크', profile: { fileUrl: null }, language: 'ko', languages: [{ code: 'ko', name: '한국어', orderNo: 1 }, { code: 'en', name: 'English', orderNo: 2 }], multiLanguage: true })
  })

  it('refuses in the envelope: unknown language, sort, category, ids, and what is not published', async () => {
    const refused = async (path: string, code: number) => {
      const res = await v2(path)
      expect(res.status, path).toBe(code)
      expect(res.body.header, path).toMatchObject({ resultCode: code, isSuccessful: false })
      return res.body.header.resultMessage as string
    }
    expect(await refused('/notice/list.json?language=fr', 400)).toMatch(/language 'fr'/)
    expect(await refused('/notice/list.json?sort=isRecommend:desc', 400)).toMatch(/isTop, createdDt, updatedDt, displayDt/)
    expect(await refused('/notice/list.json?sort=isTop:up', 400)).toMatch(/sort 'isTop:up'/)
    expect(await refused('/notice/list.json?pageSize=500', 400)).toMatch(/pageSize/)
    expect(await refused('/notice/list.json?categoryId=999999', 404)).toMatch(/categoryId/)
    expect(await refused('/notice/detail/abc.json', 404)).toMatch(/numeric id/)
    expect(await refused('/notice/detail/999999.json', 404)).toMatch(/no published notice/)
    const scheduled = (await ok(svc.call('/helpcenter/notices?pageSize=50'))).entries.find((n: { visible: boolean }) => !n.visible)
    await refused(`/notice/detail/${scheduled.number}.json`, 404)
    await refused('/notice/attachments/not-an-id', 404)
  })

  it("leaves the ticket plugin's /api/v2 calls answering beside these", async () => {
    const categories = await v2('/ticket/categories.json')
    expect(categories.status).toBe(200)
    expect(categories.body.header.isSuccessful).toBe(true)
    const doc = (await svc.call('/openapi.json')).body
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v2/ticket/categories.json', '/api/v2/notice/list.json', '/api/v2/helpdoc/detail/{id}.json', '/api/v2/service.json']))
  })
})
