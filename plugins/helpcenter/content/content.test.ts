/**
 * Notices and FAQ through the management API, on both drivers: categories and their levels,
 * tags, translations per service language, HTML cleaned on save, pinning and the documented
 * orders, publishing and scheduled publishing (what visitors read, public-read.ts), attachments
 * on the blob store, read counts, "was this helpful?" votes, access and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestAgent, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import type { Service } from '../../../core/mod.ts'
import helpcenter from '../mod.ts'
import { contentVersion, faqCategoryTree, faqDetail, faqList, homeFaqs, noticeDetail, noticeList, noticeTags, searchContent } from './public-read.ts'

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

describe.each(drivers)('help-center content on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let other: TestService
  let reader: TestAgent
  let service: Service
  const read = <T>(fn: (tx: any) => Promise<T>) => tp.db.tenantTransaction({ orgId: svc.orgId, serviceId: svc.serviceId }, fn)

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver(), events: { background: false } })
    svc = await tp.service('hc-org', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    other = await tp.service('hc-other', 'desk', { plugins: ['ticket', 'helpcenter'] })
    reader = await svc.agent()
    service = { id: svc.serviceId, orgId: svc.orgId, code: 'desk', name: 'desk', defaultLanguage: 'ko', languages: ['ko', 'en'] } as unknown as Service
  }, 60_000)
  afterAll(() => tp.close())

  it('keeps notice categories to one level and FAQ categories to three, in order', async () => {
    const general = await ok(svc.call('/helpcenter/notice-categories', { body: { names: { ko: '일반', en: 'General' } } }), 201)
    expect(general).toMatchObject({ level: 1, parentId: null, orderNo: 0 })
    const nested = await svc.call('/helpcenter/notice-categories', { body: { names: { ko: '하위' }, parentId: general.id } })
    expect(nested.status).toBe(422)
    expect(nested.body.error.issues[0].path).toBe('body.parentId')
    const root = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '배송', en: 'Delivery' } } }), 201)
    const second = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '해외배송' }, parentId: root.id } }), 201)
    const third = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '관세' }, parentId: second.id } }), 201)
    expect(third.level).toBe(3)
    const fourth = await svc.call('/helpcenter/faq-categories', { body: { names: { ko: '너무 깊음' }, parentId: third.id } })
    expect(fourth.body.error.issues[0]).toMatchObject({ path: 'body.parentId', code: 'too_deep' })
    const first = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '결제' }, orderNo: 0 } }), 201)
    await ok(svc.call(`/helpcenter/faq-categories/${root.id}`, { method: 'PATCH', body: { orderNo: 5 } }))
    const list = await ok(svc.call('/helpcenter/faq-categories'))
    expect(list.categories.map((c: { names: { ko: string } }) => c.names.ko)).toEqual(['결제', '배송', '해외배송', '관세'])
    expect((await svc.call('/helpcenter/faq-categories', { body: { names: { fr: 'Livraison' } } })).body.error.issues[0]).toMatchObject({ path: 'body.names.fr', code: 'unknown_language' })
    expect((await svc.call(`/helpcenter/faq-categories/${root.id}`, { method: 'DELETE' })).status).toBe(409)
    expect((await svc.call(`/helpcenter/faq-categories/${first.id}`, { method: 'DELETE' })).status).toBe(204)
    const tree = await read((tx) => faqCategoryTree(tx, service, 'en'))
    expect(tree).toMatchObject([{ name: 'Delivery', children: [{ name: '해외배송', path: [{ name: 'Delivery' }, { name: '해외배송' }], children: [{ name: '관세', level: 3 }] }] }])
  })

  it('saves notices per language with their HTML cleaned, tags and pinning, and refuses what cannot be saved', async () => {
    const tag = await ok(svc.call('/helpcenter/notice-tags', { body: { names: { ko: '점검', en: 'Maintenance' } } }), 201)
    const notice = await ok(
      svc.call('/helpcenter/notices', {
        body: { tagIds: [tag.id], isTop: true, published: true, translations: { ko: { title: '서버 점검 안내', html: '<p onclick="x()">점검합니다<script>alert(1)</script> <a href="javascript:alert(1)">자세히</a></p>' }, en: { title: 'Maintenance', html: '<p>Down <b>tonight</b></p>' } } },
      }),
      201,
    )
    expect(notice).toMatchObject({ isTop: true, published: true, visible: true, tagIds: [tag.id], readCount: 0 })
    expect(notice.translations.ko.html).toBe('<p>점검합니다 <a>자세히</a></p>')
    expect(notice.translations.en.html).toBe('<p>Down <b>tonight</b></p>')
    const changed = await ok(svc.call(`/helpcenter/notices/${notice.id}`, { method: 'PATCH', body: { translations: { en: null } } }))
    expect(Object.keys(changed.translations)).toEqual(['ko'])
    expect((await svc.call(`/helpcenter/notices/${notice.id}`, { method: 'PATCH', body: { translations: { ko: null } } })).body.error.issues[0]).toMatchObject({ path: 'body.translations', code: 'required' })
    expect((await svc.call('/helpcenter/notices', { body: { translations: { ja: { title: 'x', html: 'y' } } } })).body.error.issues[0].path).toBe('body.translations.ja')
    expect((await svc.call('/helpcenter/notices', { body: { tagIds: [crypto.randomUUID()], translations: { ko: { title: 'x', html: 'y' } } } })).body.error.issues[0].path).toBe('body.tagIds.0')
    expect((await svc.call('/helpcenter/notices', { body: { isRecommend: true, translations: { ko: { title: 'x', html: 'y' } } } })).status).toBe(422)
    expect((await svc.call('/helpcenter/notices', { body: { translations: { ko: { title: '', html: 'y' } } } })).status).toBe(422)
    // A tag deleted is taken off its notices.
    expect((await svc.call(`/helpcenter/notice-tags/${tag.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await ok(svc.call(`/helpcenter/notices/${notice.id}`))).tagIds).toEqual([])
    expect((await svc.call(`/helpcenter/notices/${notice.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await svc.call(`/helpcenter/notices/${notice.id}`)).status).toBe(404)
  })

  it('shows visitors only published notices whose time has come, pinned first, newest shown first, in pages', async () => {
    const category = await ok(svc.call('/helpcenter/notice-categories', { body: { names: { ko: '이벤트', en: 'Events' } } }), 201)
    const tag = await ok(svc.call('/helpcenter/notice-tags', { body: { names: { ko: '신규', en: 'New' } } }), 201)
    const write = (title: string, extra: Record<string, unknown>) => ok(svc.call('/helpcenter/notices', { body: { categoryId: category.id, translations: { ko: { title, html: `<p>${title}</p>` } }, ...extra } }), 201)
    const old = await write('지난 공지', { published: true, publishAt: '2024-01-01T00:00:00Z' })
    const recent = await write('최근 공지', { published: true, publishAt: '2025-06-01T00:00:00+09:00', tagIds: [tag.id] })
    const pinned = await write('고정 공지', { published: true, isTop: true, publishAt: '2023-01-01T00:00:00Z' })
    const draft = await write('초안', { published: false })
    const scheduled = await write('예약 공지', { published: true, publishAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(scheduled).toMatchObject({ published: true, visible: false })

    const page = await read((tx) => noticeList(tx, service, { language: 'ko', categoryId: category.id, page: 1, pageSize: 2 }))
    expect(page).toMatchObject({ total: 3, pages: 2, page: 1, pageSize: 2 })
    expect(page.items.map((n) => n.title)).toEqual(['고정 공지', '최근 공지'])
    expect(page.items[1]).toMatchObject({ category: { name: '이벤트' }, tags: [{ name: '신규' }], displayAt: '2025-05-31T15:00:00.000Z', isNew: false })
    const second = await read((tx) => noticeList(tx, service, { language: 'ko', categoryId: category.id, page: 2, pageSize: 2 }))
    expect(second.items.map((n) => n.title)).toEqual(['지난 공지'])
    expect((await read((tx) => noticeList(tx, service, { language: 'ko', tagId: tag.id, page: 1, pageSize: 10 }))).items.map((n) => n.id)).toEqual([recent.id])
    // Not written in English: not shown in English.
    expect((await read((tx) => noticeList(tx, service, { language: 'en', page: 1, pageSize: 10 }))).total).toBe(0)
    expect(await read((tx) => noticeDetail(tx, service, { id: draft.id }, 'ko'))).toBeNull()
    expect(await read((tx) => noticeDetail(tx, service, { id: scheduled.id }, 'ko'))).toBeNull()
    expect((await read((tx) => noticeTags(tx, service, 'en'))).map((t) => t.name)).toContain('New')

    // Its time comes: visible without any job.
    await ok(svc.call(`/helpcenter/notices/${scheduled.id}`, { method: 'PATCH', body: { publishAt: new Date(Date.now() - 1000).toISOString() } }))
    expect((await read((tx) => noticeDetail(tx, service, { number: scheduled.number }, 'ko')))?.title).toBe('예약 공지')
    // Unpublished: gone again.
    await ok(svc.call(`/helpcenter/notices/${old.id}`, { method: 'PATCH', body: { published: false } }))
    expect(await read((tx) => noticeDetail(tx, service, { id: old.id }, 'ko'))).toBeNull()

    // Reads are counted; the management list shows drafts too, pinned first.
    const detail = await read((tx) => noticeDetail(tx, service, { id: pinned.id }, 'ko'))
    expect(detail?.readCount).toBe(1)
    expect((await read((tx) => noticeDetail(tx, service, { id: pinned.id }, 'ko')))?.readCount).toBe(2)
    const managed = await ok(reader.call(`/helpcenter/notices?categoryId=${category.id}&pageSize=10`))
    expect(managed.entries[0].id).toBe(pinned.id)
    expect(managed.total).toBe(5)
    expect((await ok(reader.call(`/helpcenter/notices?categoryId=${category.id}&published=false`))).entries.map((n: { id: string }) => n.id).sort()).toEqual([draft.id, old.id].sort())
  })

  it('orders FAQ entries pinned first, recommended next within a category, with a category and its sub-categories', async () => {
    const root = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '계정', en: 'Account' } } }), 201)
    const child = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '로그인', en: 'Sign-in' }, parentId: root.id } }), 201)
    const write = (title: string, categoryId: string, extra: Record<string, unknown> = {}) =>
      ok(svc.call('/helpcenter/faqs', { body: { categoryId, published: true, translations: { ko: { title, html: `<p>${title} 답변</p>` }, en: { title: `${title} (en)`, html: '<p>answer</p>' } }, ...extra } }), 201)
    const plain = await write('비밀번호 변경', child.id)
    const recommended = await write('아이디 찾기', child.id, { isRecommend: true })
    const top = await write('회원 탈퇴', root.id, { isTop: true })
    const list = await read((tx) => faqList(tx, service, { language: 'ko', categoryId: root.id, page: 1, pageSize: 10 }))
    expect(list.items.map((f) => f.id)).toEqual([top.id, recommended.id, plain.id])
    expect(list.items[1]!.category?.path.map((p) => p.name)).toEqual(['계정', '로그인'])
    expect((await read((tx) => homeFaqs(tx, service, 'en'))).map((f) => f.title)).toEqual(['회원 탈퇴 (en)'])
    expect((await read((tx) => faqDetail(tx, service, { id: plain.id }, 'en')))?.title).toBe('비밀번호 변경 (en)')
    expect((await svc.call('/helpcenter/faqs', { body: { tagIds: [], translations: { ko: { title: 'x', html: 'y' } } } })).status).toBe(422)
    expect((await svc.call('/helpcenter/faqs', { body: { categoryId: crypto.randomUUID(), translations: { ko: { title: 'x', html: 'y' } } } })).body.error.issues[0].path).toBe('body.categoryId')
  })

  it('counts one "was this helpful?" vote per visitor, entry and language, readable through the API', async () => {
    const faq = await ok(svc.call('/helpcenter/faqs', { body: { published: true, translations: { ko: { title: '환불 기간', html: '<p>7일</p>' }, en: { title: 'Refund period', html: '<p>7 days</p>' } } } }), 201)
    const vote = (body: Record<string, unknown>, headers?: Record<string, string>) => svc.call(`/helpcenter/public/faqs/${faq.id}/votes`, { body, token: null, headers })
    await ok(vote({ language: 'ko', helpful: true, visitorId: 'visitor-aaaa' }))
    await ok(vote({ language: 'ko', helpful: false, visitorId: 'visitor-aaaa' })) // changes that visitor's vote
    await ok(vote({ language: 'ko', helpful: true, visitorId: 'visitor-bbbb' }))
    const last = await ok(vote({ language: 'en', helpful: true, visitorId: 'visitor-aaaa' }))
    expect(last.votes).toEqual({ en: { helpful: 1, notHelpful: 0 }, ko: { helpful: 1, notHelpful: 1 } })
    expect((await ok(reader.call(`/helpcenter/faqs/${faq.id}/votes`))).votes).toEqual(last.votes)
    expect((await vote({ language: 'fr', helpful: true, visitorId: 'visitor-aaaa' })).status).toBe(422)
    const draft = await ok(svc.call('/helpcenter/faqs', { body: { translations: { ko: { title: '초안', html: '' } } } }), 201)
    expect((await svc.call(`/helpcenter/public/faqs/${draft.id}/votes`, { body: { language: 'ko', helpful: true, visitorId: 'visitor-aaaa' }, token: null })).status).toBe(404)
    expect(JSON.stringify(await tp.db.query('SELECT voter FROM helpcenter_faq_votes'))).not.toContain('visitor-aaaa')
  })

  it('stores attachments on the blob store, serves them and deletes them with their entry', async () => {
    const notice = await ok(svc.call('/helpcenter/notices', { body: { published: true, translations: { ko: { title: '첨부 공지', html: '<p>파일</p>' } } } }), 201)
    const file = await ok(svc.call(`/helpcenter/notices/${notice.id}/attachments`, { body: { fileName: 'dot.png', contentType: 'image/png', data: PNG } }), 201)
    expect(file).toMatchObject({ fileName: 'dot.png', contentType: 'image/png', size: 70 })
    const download = await svc.call(`/helpcenter/notices/${notice.id}/attachments/${file.id}`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toContain('image/png')
    expect((await read((tx) => noticeDetail(tx, service, { id: notice.id }, 'ko')))?.attachments.map((a) => a.id)).toEqual([file.id])
    const refused = await svc.call(`/helpcenter/notices/${notice.id}/attachments`, { body: { fileName: 'setup.png', contentType: 'image/png', data: btoa('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff') } })
    expect(refused.status).toBe(415) // an executable, whatever its name says
    const [stored] = await tp.db.query<{ blob_key: string }>('SELECT blob_key FROM helpcenter_entry_attachments WHERE id = $1', [file.id])
    expect((await svc.call(`/helpcenter/notices/${notice.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await tp.db.query('SELECT key FROM oc_blobs WHERE key = $1', [stored!.blob_key])).toEqual([])
  })

  it('serialises a delete with what attaches to the same row: a refusal, never a server error', async () => {
    for (let round = 0; round < 5; round++) {
      const category = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: `경합 ${round}` } } }), 201)
      const [created, deleted] = await Promise.all([
        svc.call('/helpcenter/faqs', { body: { categoryId: category.id, translations: { ko: { title: '경합', html: '' } } } }),
        svc.call(`/helpcenter/faq-categories/${category.id}`, { method: 'DELETE' }),
      ])
      // Either the entry came first (the delete is refused as in use) or the delete did (the entry names no category).
      expect([`${created.status} ${deleted.status}`]).toContainEqual(expect.stringMatching(/^(201 409|422 204)$/))
      const entry = await ok(svc.call('/helpcenter/faqs', { body: { published: true, translations: { ko: { title: '경합 첨부', html: '' } } } }), 201)
      const [uploaded, removed] = await Promise.all([
        svc.call(`/helpcenter/faqs/${entry.id}/attachments`, { body: { fileName: 'dot.png', contentType: 'image/png', data: PNG } }),
        svc.call(`/helpcenter/faqs/${entry.id}`, { method: 'DELETE' }),
      ])
      expect([uploaded.status, removed.status]).toEqual([expect.any(Number), 204])
      expect([201, 404]).toContain(uploaded.status)
    }
  })

  it('moves the content version on every visible change and when a scheduled entry comes due, not on reads', async () => {
    const version = () => read((tx) => contentVersion(tx))
    const start = await version()
    const notice = await ok(svc.call('/helpcenter/notices', { body: { published: true, publishAt: new Date(Date.now() + 1500).toISOString(), translations: { ko: { title: '곧 공개', html: '' } } } }), 201)
    const written = await version()
    expect(written).not.toBe(start)
    await new Promise((resolve) => setTimeout(resolve, 1600))
    const due = await version()
    expect(due).not.toBe(written)
    expect(await read((tx) => noticeDetail(tx, service, { id: notice.id }, 'ko'))).not.toBeNull()
    expect(await version()).toBe(due) // the read counted, the version stayed
    const tag = await ok(svc.call('/helpcenter/notice-tags', { body: { names: { ko: '버전' } } }), 201)
    const tagged = await version()
    expect(tagged).not.toBe(due)
    await svc.call(`/helpcenter/notice-tags/${tag.id}`, { method: 'DELETE' })
    expect(await version()).not.toBe(tagged)
  })

  it('lets agents read and only holders of the helpcenter permission write; another tenant sees none of it', async () => {
    const notice = await ok(svc.call('/helpcenter/notices', { body: { published: true, translations: { ko: { title: '권한 공지', html: '<p>x</p>' } } } }), 201)
    expect((await reader.call(`/helpcenter/notices/${notice.id}`)).status).toBe(200)
    expect((await reader.call('/helpcenter/notices', { body: { translations: { ko: { title: 'x', html: 'y' } } } })).status).toBe(403)
    const editor = await svc.agent({ permissions: ['helpcenter'] })
    expect((await editor.call(`/helpcenter/notices/${notice.id}`, { method: 'PATCH', body: { isTop: true } })).status).toBe(200)
    expect((await other.call(`/helpcenter/notices/${notice.id}`)).status).toBe(404)
    expect((await other.call('/helpcenter/notices')).body.total).toBe(0)
    const otherRead = await tp.db.tenantTransaction({ orgId: other.orgId, serviceId: other.serviceId }, (tx) => searchContent(tx, service, { language: 'ko', q: '권한', page: 1, pageSize: 10 }))
    expect(otherRead.total).toBe(0)
    expect((await read((tx) => searchContent(tx, service, { language: 'ko', q: '권한', page: 1, pageSize: 10 }))).items.map((i) => i.id)).toEqual([notice.id])
  })
})
