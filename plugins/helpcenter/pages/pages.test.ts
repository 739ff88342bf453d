/**
 * The help center's pages over HTTP with real content, on both drivers: both URL forms, every
 * content page for an anonymous visitor (the presenters' data rendered by the default theme),
 * language by URL, cookie, browser and default, with canonical and hreflang links and the
 * sitemap; the layout by user agent and by the visitor's choice; a switched-off menu gone from
 * every page and its pages answering 404; the FAQ vote form (CSRF); the page cache (ETag / 304,
 * and a change of content, strings, settings or theme shown on the next request).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'

describe.each(drivers)('help-center pages on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  const base = '/o/pages/desk/hc'
  const get = (path: string, headers: Record<string, string> = {}) => tp.fetch(new Request(`http://opencontact.test${path}`, { headers }))
  const page = async (path: string, headers: Record<string, string> = {}, status = 200) => {
    const res = await get(path, headers)
    const text = await res.text()
    if (res.status !== status) throw new Error(`${path}: expected ${status}, got ${res.status}: ${text.slice(0, 300)}`)
    return { res, text }
  }
  let faqNumber: number
  let faqId: string
  let noticeNumber: number

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver(), events: { background: false }, baseDomain: 'oc.test' })
    svc = await tp.service('pages', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    const category = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '계정', en: 'Account' } } }), 201)
    const faq = await ok(svc.call('/helpcenter/faqs', { body: { categoryId: category.id, isTop: true, published: true, translations: { ko: { title: '비밀번호 변경 방법', html: '<p>설정에서 <strong>보안</strong>을 여세요.</p>' }, en: { title: 'How to change the password', html: '<p>Open <strong>Security</strong> in settings.</p>' } } } }), 201)
    faqNumber = faq.number
    faqId = faq.id
    const notice = await ok(svc.call('/helpcenter/notices', { body: { isTop: true, published: true, translations: { ko: { title: '연휴 운영 안내', html: '<p>연휴에는 쉽니다.</p>' }, en: { title: 'Holiday hours', html: '<p>Closed on holidays.</p>' } } } }), 201)
    noticeNumber = notice.number
    await ok(svc.call('/helpcenter/faqs', { body: { published: false, translations: { ko: { title: '숨은 초안', html: '<p>x</p>' } } } }), 201)
  }, 60_000)
  afterAll(() => tp.close())

  it('serves every content page with real content, under both URL forms, with the safety headers', async () => {
    const home = await page(`${base}?lang=en`)
    expect(home.res.headers.get('content-security-policy')).toContain("script-src 'none'")
    expect(home.res.headers.get('x-frame-options')).toBe('DENY')
    expect(home.text).toContain('<html lang="en">')
    expect(home.text).toContain('Holiday hours')
    expect(home.text).toContain('How to change the password')
    expect(home.text).not.toContain('숨은 초안')
    expect(home.text).toContain(`href="${base}?lang=en"`)
    const hosted = await page(`/desk/hc/faq/${faqNumber}?lang=ko`, { host: 'pages.oc.test' })
    expect(hosted.text).toContain('비밀번호 변경 방법')
    expect(hosted.text).toContain('<strong>보안</strong>')
    // Links of the host form stay in the host form.
    expect(hosted.text).toContain('href="/desk/hc/faq?lang=ko"')
    expect((await page(`${base}/notices?lang=en`)).text).toContain(`href="${base}/notices/${noticeNumber}?lang=en"`)
    expect((await page(`${base}/notices/${noticeNumber}?lang=en`)).text).toContain('Closed on holidays.')
    const faqs = await page(`${base}/faq?lang=en&q=password`)
    expect(faqs.text).toContain('How to change the password')
    expect((await page(`${base}/faq?lang=en&q=nothing-like-this`)).text).not.toContain('How to change the password')
    const found = await page(`${base}/search?lang=ko&q=${encodeURIComponent('비밀번호')}`)
    expect(found.text).toContain(`${base}/faq/${faqNumber}?lang=ko`)
    expect(found.text).toContain('설정에서 보안을 여세요.')
    await page(`${base}/faq/99999?lang=en`, {}, 404)
    await page(`${base}/notices/abc`, {}, 404)
    expect((await get(`${base}/faq?category=not-a-uuid`)).status).toBe(422)
  })

  it('picks the language by URL, then the visitor\'s pick, then the browser, then the default, with canonical and hreflang links and a sitemap', async () => {
    expect((await page(`${base}/faq`)).text).toContain('<html lang="ko">')
    expect((await page(`${base}/faq`, { 'accept-language': 'en-US,en;q=0.8' })).text).toContain('<html lang="en">')
    const picked = await page(`${base}/faq?lang=en`, { 'accept-language': 'ko' })
    const cookie = picked.res.headers.getSetCookie().find((c) => c.startsWith('oc_hc_lang='))!.split(';')[0]!
    expect((await page(`${base}/search?q=x`, { cookie, 'accept-language': 'ko' })).text).toContain('<html lang="en">')
    expect(picked.text).toContain(`<link rel="canonical" href="http://opencontact.test${base}/faq?lang=en">`)
    expect(picked.text).toContain(`hreflang="ko" href="http://opencontact.test${base}/faq?lang=ko"`)
    const map = await get(`${base}/sitemap.xml`)
    expect(map.headers.get('content-type')).toContain('application/xml')
    const xml = await map.text()
    expect(xml).toContain(`<loc>http://opencontact.test${base}/faq/${faqNumber}?lang=en</loc>`)
    expect(xml).toContain(`<loc>http://opencontact.test${base}/notices/${noticeNumber}?lang=ko</loc>`)
  })

  it('shows the mobile layout to phones and to visitors who ask for it, and the PC layout back on request', async () => {
    const pc = await page(`${base}/faq`)
    expect(pc.text).toContain('/hc/assets/default/pc/')
    const phone = await page(`${base}/faq`, { 'user-agent': PHONE })
    expect(phone.text).toContain('/hc/assets/default/mobile/')
    const chosen = await page(`${base}/faq?device=pc`, { 'user-agent': PHONE })
    expect(chosen.text).toContain('/hc/assets/default/pc/')
    const cookie = chosen.res.headers.getSetCookie().find((c) => c.startsWith('oc_hc_device='))!.split(';')[0]!
    expect((await page(`${base}/faq`, { 'user-agent': PHONE, cookie })).text).toContain('/hc/assets/default/pc/')
  })

  it('hides a switched-off menu from every page and answers its pages with 404', async () => {
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { notices: false } }))
    try {
      const home = await page(`${base}?lang=en`)
      expect(home.text).not.toContain(`${base}/notices?`)
      expect(home.text).not.toContain('Holiday hours')
      expect((await page(`${base}/faq?lang=en`)).text).not.toContain(`${base}/notices?`)
      const gone = await page(`${base}/notices?lang=en`, {}, 404)
      expect(gone.text).toContain('Page not found')
      await page(`${base}/notices/${noticeNumber}`, {}, 404)
      expect((await page(`${base}/search?lang=en&q=holiday`)).text).not.toContain('Holiday hours')
      expect(await (await get(`${base}/sitemap.xml`)).text()).not.toContain('/notices')
    } finally {
      await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { notices: true } }))
    }
    expect((await page(`${base}/notices?lang=en`)).text).toContain('Holiday hours')
  })

  it('counts a "was this helpful?" vote posted from the FAQ page with its CSRF token, and refuses one without', async () => {
    const detail = await page(`${base}/faq/${faqNumber}?lang=en`)
    const csrf = /name="csrf" value="([^"]+)"/.exec(detail.text)![1]!
    const cookie = detail.res.headers.getSetCookie().filter((c) => c.startsWith('oc_hc_csrf=')).map((c) => c.split(';')[0]).join('; ')
    expect(cookie).not.toBe('')
    const post = (fields: Record<string, string>) => tp.fetch(new Request(`http://opencontact.test${base}/faq/${faqNumber}/votes?lang=en`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(fields).toString() }))
    expect((await post({ helpful: 'yes' })).status).toBe(403)
    const voted = await post({ csrf, helpful: 'yes' })
    expect(voted.status).toBe(303)
    expect(voted.headers.get('location')).toBe(`${base}/faq/${faqNumber}?lang=en&voted=1`)
    expect((await page(voted.headers.get('location')!, { cookie })).text).toContain('Thank you for your feedback.')
    expect((await ok(svc.call(`/helpcenter/faqs/${faqId}/votes`))).votes.en).toEqual({ helpful: 1, notHelpful: 0 })
  })

  it('answers 304 to an unchanged page and shows a change of content, strings, settings or theme on the next request', async () => {
    const first = await page(`${base}/faq/${faqNumber}?lang=en`)
    const etag = first.res.headers.get('etag')!
    const cookie = first.res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    expect(etag).toMatch(/^W\/"/)
    expect((await get(`${base}/faq/${faqNumber}?lang=en`, { cookie, 'if-none-match': etag })).status).toBe(304)
    // Another browser gets its own CSRF token in the same cached page, so another ETag.
    const other = await page(`${base}/faq/${faqNumber}?lang=en`)
    expect(/name="csrf" value="([^"]+)"/.exec(other.text)![1]).not.toBe(/name="csrf" value="([^"]+)"/.exec(first.text)![1])
    await ok(svc.call(`/helpcenter/faqs/${faqId}`, { method: 'PATCH', body: { translations: { en: { title: 'How to change the password, again', html: '<p>Changed.</p>' } } } }))
    const changed = await get(`${base}/faq/${faqNumber}?lang=en`, { cookie, 'if-none-match': etag })
    expect(changed.status).toBe(200)
    expect(await changed.text()).toContain('Changed.')
    await ok(svc.call('/helpcenter/strings/sets/hc_vote_question', { method: 'PATCH', body: { texts: { en: 'Did this help you?' } } }))
    expect((await page(`${base}/faq/${faqNumber}?lang=en`, { cookie })).text).toContain('Did this help you?')
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { faq: false } }))
    await page(`${base}/faq/${faqNumber}?lang=en`, { cookie }, 404)
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { faq: true } }))
    const theme = await ok(svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Brand', css: 'body { color: #123456 }', active: true } }), 201)
    await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: theme.id } }))
    expect((await page(`${base}/faq/${faqNumber}?lang=en`, { cookie })).text).toContain(`/hc/assets/themes/${theme.id}/`)
  })
})
