/**
 * Search over notices and FAQ measured on a small Korean and English corpus, on both drivers:
 * the entries are written through the management API, every query runs through the visitors'
 * search (`searchContent`, public-read.ts) in its language. Recall and precision are printed
 * per query and over all; every query must find every entry expected of it, the best-ranked
 * result must be the one whose title holds the words, and unpublished entries are never found.
 *
 * An entry is expected when its title or text holds every word of the query in some written
 * form: another particle (`배송이` for `배송을`), inside a compound or apart (`배송지연`, "배송
 * 지연"), part of a longer word (`번호` in `비밀번호`), an English inflection (`refunds`).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, type TestDriver, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import type { Service } from '../../../core/mod.ts'
import helpcenter from '../mod.ts'
import { searchContent } from './public-read.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

type Kind = 'notices' | 'faqs'
const ENTRIES: Record<string, { kind: Kind; language: 'ko' | 'en'; title: string; html: string; published?: false }> = {
  shipDelay: { kind: 'notices', language: 'ko', title: '설 연휴 배송지연 안내', html: '<p>연휴 기간에는 택배사 사정으로 <b>배송이</b> 늦어질 수 있습니다.</p>' },
  dawnDelivery: { kind: 'faqs', language: 'ko', title: '새벽배송은 언제 도착하나요?', html: '<p>밤 11시 전 주문은 다음 날 아침 7시 전에 도착합니다.</p>' },
  addressChange: { kind: 'faqs', language: 'ko', title: '배송지를 변경하고 싶어요', html: '<p>출고 전이라면 주문 상세에서 배송지를 바꿀 수 있습니다.</p>' },
  refundPeriod: { kind: 'faqs', language: 'ko', title: '환불은 언제 되나요?', html: '<p>반품이 확인되면 3영업일 안에 결제 수단으로 환불됩니다.</p>' },
  refundFee: { kind: 'faqs', language: 'ko', title: '반품 배송비는 누가 내나요?', html: '<p>단순 변심에 의한 반품은 고객님이 배송비를 부담합니다. 환불 금액에서 차감됩니다.</p>' },
  password: { kind: 'faqs', language: 'ko', title: '비밀번호를 잊어버렸어요', html: '<p>로그인 화면의 비밀번호 찾기에서 휴대폰 번호로 재설정하세요.</p>' },
  loginError: { kind: 'faqs', language: 'ko', title: '로그인 오류가 계속 나요', html: '<p>앱을 최신 버전으로 업데이트한 뒤 다시 로그인해 주세요.</p>' },
  maintenance: { kind: 'notices', language: 'ko', title: '서버 정기점검 안내', html: '<p>매월 첫째 주 화요일 새벽 2시부터 4시까지 서비스 점검이 있습니다.</p>' },
  appUpdate: { kind: 'notices', language: 'ko', title: '모바일앱 업데이트 안내', html: '<p>새 버전에서 로그인오류가 수정되었습니다.</p>' },
  pointPolicy: { kind: 'notices', language: 'ko', title: '적립금 정책 변경', html: '<p>적립금의 유효기간이 1년으로 바뀝니다.</p>' },
  asCenter: { kind: 'faqs', language: 'ko', title: 'AS센터 위치가 어디인가요?', html: '<p>전국 AS센터 목록은 고객센터 페이지에서 확인하세요.</p>' },
  draftRefund: { kind: 'notices', language: 'ko', title: '환불 정책 개정 초안', html: '<p>아직 공개 전입니다.</p>', published: false },
  enRefund: { kind: 'faqs', language: 'en', title: 'How are refunds processed?', html: '<p>Refunded amounts return to the original payment method.</p>' },
  enShipping: { kind: 'faqs', language: 'en', title: 'Shipping times', html: '<p>Orders are shipped within two business days.</p>' },
  enDelay: { kind: 'notices', language: 'en', title: 'Holiday delivery delays', html: '<p>Deliveries may be delayed during the holidays.</p>' },
  enPassword: { kind: 'faqs', language: 'en', title: 'Resetting your password', html: '<p>Use the <a href="https://example.com/reset">reset page</a> to choose a new password.</p>' },
  enMaintenance: { kind: 'notices', language: 'en', title: 'Scheduled maintenance', html: '<p>The service is down for maintenance on the first Tuesday.</p>' },
}
type Key = keyof typeof ENTRIES

const QUERIES: { q: string; language: 'ko' | 'en'; kind: string; expected: Key[]; best?: Key }[] = [
  { q: '배송이', language: 'ko', kind: 'particle', expected: ['shipDelay', 'dawnDelivery', 'addressChange', 'refundFee'] },
  { q: '배송 지연', language: 'ko', kind: 'compound', expected: ['shipDelay'] },
  { q: '배송지연', language: 'ko', kind: 'compound', expected: ['shipDelay'] },
  { q: '지연', language: 'ko', kind: 'partial', expected: ['shipDelay'] },
  { q: '새벽배송', language: 'ko', kind: 'compound', expected: ['dawnDelivery'] },
  // Shares syllables, not meaning: 배송지 (address) inside 배송지연 (delay) is found too, and counts against precision.
  { q: '배송지', language: 'ko', kind: 'partial', expected: ['addressChange'] },
  { q: '환불은', language: 'ko', kind: 'particle', expected: ['refundPeriod', 'refundFee'], best: 'refundPeriod' },
  { q: '번호', language: 'ko', kind: 'partial', expected: ['password'] },
  { q: '비밀번호를', language: 'ko', kind: 'particle', expected: ['password'] },
  { q: '로그인 오류', language: 'ko', kind: 'compound', expected: ['loginError', 'appUpdate'], best: 'loginError' },
  { q: '점검', language: 'ko', kind: 'partial', expected: ['maintenance'] },
  { q: '업데이트', language: 'ko', kind: 'partial', expected: ['appUpdate', 'loginError'], best: 'appUpdate' },
  { q: '적립금이', language: 'ko', kind: 'particle', expected: ['pointPolicy'] },
  { q: 'AS센터', language: 'ko', kind: 'mixed', expected: ['asCenter'] },
  { q: '센터', language: 'ko', kind: 'partial', expected: ['asCenter'] },
  { q: 'refund', language: 'en', kind: 'english', expected: ['enRefund'] },
  { q: 'delayed deliveries', language: 'en', kind: 'english', expected: ['enDelay'] },
  { q: 'shipping', language: 'en', kind: 'english', expected: ['enShipping'] },
  { q: 'passwords', language: 'en', kind: 'english', expected: ['enPassword'] },
  { q: 'maintenance', language: 'en', kind: 'english', expected: ['enMaintenance'] },
]

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole)

describe.each(drivers)('help-center search corpus on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let service: Service
  const keyOf = new Map<string, Key>()
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver(), events: { background: false } })
    svc = await tp.service('hcs-org', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    service = { id: svc.serviceId, defaultLanguage: 'ko', languages: ['ko', 'en'] } as unknown as Service
    for (const [key, entry] of Object.entries(ENTRIES)) {
      const made = await svc.call(`/helpcenter/${entry.kind}`, { body: { published: entry.published ?? true, translations: { [entry.language]: { title: entry.title, html: entry.html } } } })
      if (made.status !== 201) throw new Error(JSON.stringify(made.body))
      keyOf.set(made.body.id, key as Key)
    }
  }, 60_000)
  afterAll(() => tp.close())

  it('finds every expected entry of every query, best match first, never a draft', async () => {
    const rows: { q: string; kind: string; expected: number; found: number; relevant: number; missing: Key[]; extra: Key[]; first: Key | undefined; best?: Key }[] = []
    for (const { q, language, kind, expected, best } of QUERIES) {
      const page = await tp.db.tenantTransaction({ orgId: svc.orgId, serviceId: svc.serviceId }, (tx) => searchContent(tx as never, service, { language, q, page: 1, pageSize: 50 }))
      const found = page.items.map((item) => keyOf.get(item.id)!)
      const relevant = expected.filter((key) => found.includes(key)).length
      rows.push({ q, kind, expected: expected.length, found: found.length, relevant, missing: expected.filter((key) => !found.includes(key)), extra: found.filter((key) => !expected.includes(key)), first: found[0], best })
    }
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0)
    const recall = ratio(sum((r) => r.relevant), sum((r) => r.expected))
    const precision = ratio(sum((r) => r.relevant), sum((r) => r.found))
    const line = (cells: (string | number)[]) => cells.map((cell, i) => String(cell).padEnd(i === 0 ? 14 : 10)).join(' ')
    console.log(
      [line(['query', 'kind', 'expected', 'found', 'recall', 'precision', 'extra']), ...rows.map((r) => line([r.q, r.kind, r.expected, r.found, ratio(r.relevant, r.expected).toFixed(2), ratio(r.relevant, r.found).toFixed(2), r.extra.join(', ')]))].join('\n') +
        `\n\n${_name}: ${rows.length} queries over ${keyOf.size} entries, recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}`,
    )
    expect(rows.filter((r) => r.missing.length).map(({ q, missing }) => ({ q, missing }))).toEqual([])
    expect(rows.filter((r) => r.best && r.first !== r.best).map(({ q, first, best }) => ({ q, first, best }))).toEqual([])
    expect(rows.flatMap((r) => r.extra)).not.toContain('draftRefund')
    // Measured: 0.963 on both drivers (one entry found by shared syllables); the floor is that rounded down.
    expect(precision).toBeGreaterThanOrEqual(0.96)
  })

  it('searches only inside the tenant transaction: the owner function returns nothing outside one', async () => {
    const outside = await tp.db.query<{ ids: string[] }>(`SELECT helpcenter_search('{notice,faq}', 'ko', '''배송''', false) AS ids`)
    expect(outside).toEqual([{ ids: [] }])
    const inside = await tp.db.tenantTransaction({ orgId: svc.orgId, serviceId: svc.serviceId }, (tx) => tx.query<{ ids: string[] }>(`SELECT helpcenter_search('{notice,faq}', 'ko', '''배송''', false) AS ids`))
    expect(inside[0]!.ids.length).toBeGreaterThan(0)
  })

  it('searches the management list too, drafts included, and refuses a query with no word', async () => {
    const answer = await svc.call(`/helpcenter/notices?q=${encodeURIComponent('환불')}`)
    expect(answer.status).toBe(200)
    expect(answer.body.entries.map((e: { id: string }) => keyOf.get(e.id))).toEqual(['draftRefund'])
    const empty = await svc.call(`/helpcenter/faqs?q=${encodeURIComponent('!!!')}`)
    expect(empty.status).toBe(422)
    expect(empty.body.error.issues[0].path).toBe('query.q')
  })
})
