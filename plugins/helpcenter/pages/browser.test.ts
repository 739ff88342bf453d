/**
 * The help center end to end in headless Chromium, against the platform served over HTTP on
 * loopback with real data: home → FAQ → search; an inquiry sent through the form with customer
 * fields and an attachment (the ticket has its values and file, and a trigger ran on it); a
 * signed-in member (member-integration token and JWT hand-off) seeing it in their history; a
 * switched-off menu gone and its page answering 404; the mobile layout at a phone viewport; a
 * tenant theme's CSS and script applied. Every default page, PC and mobile, is screenshotted
 * into test-results/screenshots/helpcenter-pages/ and audited by axe-core (no serious or
 * critical violation); the stored-XSS corpus in notices, FAQ, inquiry fields and names runs no
 * script (a page-level hook records any script run).
 */
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestPlatform, ok, type TestAgent, type TestPlatform, type TestService } from '../../../core/testing.ts'
import { serveNode, type RunningServer } from '../../../core/runtime/node.ts'
import { PAYLOADS } from '../../../core/html/xss-corpus.ts'
import { CHROMIUM, SCREENSHOTS } from '../../../test/support/browser.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { signMemberToken } from '../visitors/member-token.ts'

const SHOTS = join(SCREENSHOTS, 'helpcenter-pages')
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const KEY = 'member-integration-key-0123456789'
const SECRET = 'a shared secret of at least thirty-two characters'
const PHONE = { viewport: { width: 390, height: 844 }, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', isMobile: true, hasTouch: true }
const PC = { viewport: { width: 1280, height: 800 } }
// The API refuses NUL characters (unsafe text) before any of this: the rest of each payload is stored.
const CORPUS = PAYLOADS.map((payload) => payload.replace(/\u0000/g, ''))
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (ch) => ch.charCodeAt(0))

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

describe('the help center in Chromium', () => {
  let tp: TestPlatform
  let svc: TestService
  let agent: TestAgent
  let server: RunningServer
  let browser: Browser
  let origin: string
  let categoryId: string
  let faqNumber: number
  let noticeNumber: number
  const base = '/o/e2e/desk/hc'
  const at = (path: string) => `${origin}${base}${path}`

  /** A context whose pages record any script that runs (the page-level hook, dialogs). */
  async function context(options: Parameters<Browser['newContext']>[0] = PC): Promise<{ context: BrowserContext; page: Page; scripts: string[] }> {
    const ctx = await browser.newContext(options)
    const scripts: string[] = []
    await ctx.exposeBinding('__ocScriptRan', (_source, what: unknown) => void scripts.push(String(what)))
    const page = await ctx.newPage()
    page.on('dialog', (dialog) => {
      scripts.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    return { context: ctx, page, scripts }
  }

  /** Signs `page`'s browser in as a member with the member-integration token form post (browser flow). */
  async function signInWithToken(page: Page, usercode: string, username: string) {
    const fields = { service: 'desk', usercode, username, email: `${usercode}@example.com`, time: String(Date.now()) }
    const res = await page.request.post(at('/v2/enduser/remote.json'), { form: { ...fields, token: await signMemberToken(KEY, fields) }, maxRedirects: 0 })
    expect(res.status()).toBe(303)
  }

  async function sendInquiry(page: Page, values: { title: string; content: string; order: string; name?: string; file?: boolean }) {
    await page.goto(at('/inquiry?lang=en'))
    await page.selectOption('#hc-inquiry-category', categoryId)
    await Promise.all([page.waitForURL(/category=/), page.click('form.gocont button[type=submit]')])
    if (values.name !== undefined) {
      await page.fill('#hc-f-name', values.name)
      await page.fill('#hc-f-f_email', 'visitor@example.com')
    }
    await page.fill('#hc-f-f_title', values.title)
    await page.fill('#hc-f-f_content', values.content)
    await page.fill('#hc-f-f_order_no', values.order)
    if (values.file) await page.setInputFiles('#hc-f-attachments', { name: 'receipt.png', mimeType: 'image/png', buffer: Buffer.from(PNG) })
    await page.check('input[name=consent]')
    await Promise.all([page.waitForURL(/\/inquiry\/done/), page.click('button.inquiry-btn')])
    return new URL(page.url()).searchParams.get('number')!
  }

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], events: { background: false } })
    svc = await tp.service('e2e', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    agent = await svc.agent({ permissions: ['ticket'] })
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY, jwtSecret: SECRET, jwtAudience: 'help' } }))
    categoryId = (await ok(svc.call('/ticket/intake-categories', { body: { names: { ko: '주문', en: 'Orders' } } }), 201)).id
    const order = await ok(svc.call('/ticket/fields', { body: { audience: 'customer', code: 'order_no', type: 'text', required: true, names: { ko: '주문번호', en: 'Order number' } } }), 201)
    await ok(svc.call(`/ticket/intake-categories/${categoryId}/fields`, { method: 'PUT', body: { fieldIds: [order.id] } }))
    await ok(svc.call('/ticket/triggers', { body: { title: 'Orders to the agent', conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'intakeCategory', operator: 'is', value: categoryId }] }, results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: agent.id }] } }), 201)
    const faqCategory = await ok(svc.call('/helpcenter/faq-categories', { body: { names: { ko: '계정', en: 'Account' } } }), 201)
    faqNumber = (await ok(svc.call('/helpcenter/faqs', { body: { categoryId: faqCategory.id, isTop: true, published: true, translations: { ko: { title: '비밀번호 변경', html: '<p>설정 → 보안</p>' }, en: { title: 'Changing the password', html: '<p>Open <strong>Security</strong> in the settings.</p>' } } } }), 201)).number
    noticeNumber = (await ok(svc.call('/helpcenter/notices', { body: { isTop: true, published: true, translations: { ko: { title: '연휴 안내', html: '<p>쉽니다</p>' }, en: { title: 'Holiday hours', html: '<p>Closed on the 25th.</p>' } } } }), 201)).number
    server = await serveNode(tp, { port: 0, hostname: '127.0.0.1' })
    origin = `http://127.0.0.1:${server.port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
    await mkdir(SHOTS, { recursive: true })
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await tp?.close()
  })

  it('goes from the home page to the FAQ and searches it, without a script', async () => {
    const { context: ctx, page } = await context({ ...PC, javaScriptEnabled: false })
    await page.goto(at('?lang=en'))
    await Promise.all([page.waitForURL(/\/faq\?/), page.click(`#supports a[href^="${base}/faq?"]`)])
    expect(await page.textContent('table.faqData')).toContain('Changing the password')
    await page.fill('#hc-faq-q', 'password')
    await Promise.all([page.waitForURL(/q=password/), page.click('form.gocont button[type=submit]')])
    expect(await page.textContent('table.faqData')).toContain('Changing the password')
    await page.goto(at('?lang=en'))
    await page.fill('#hc-search', 'password')
    await Promise.all([page.waitForURL(/\/search\?/), page.press('#hc-search', 'Enter')])
    expect(await page.textContent('body')).toContain('Changing the password')
    await ctx.close()
  }, 60_000)

  it('files an inquiry with a customer field and an attachment; the trigger assigns it; the member sees it in history, signed in either way', async () => {
    const usercode = `m-${Math.random().toString(36).slice(2)}`
    const { context: ctx, page } = await context()
    await signInWithToken(page, usercode, 'Grace')
    const number = await sendInquiry(page, { title: 'Late parcel', content: 'Where is it?', order: 'A-100', file: true })
    expect(await page.textContent('main')).toContain(number)
    await tp.drainEvents()
    await tp.drainEvents()
    const [row] = await tp.db.query<{ id: string; channel: string; assignee_agent_id: string }>('SELECT id, channel, assignee_agent_id FROM tickets WHERE public_id = $1', [number])
    expect(row).toMatchObject({ channel: 'web', assignee_agent_id: agent.id })
    expect((await ok(svc.call(`/ticket/tickets/${row!.id}`))).fields).toMatchObject({ order_no: 'A-100', privacy_consent: true })
    expect(await tp.db.query('SELECT file_name FROM ticket_attachments WHERE ticket_id = $1', [row!.id])).toEqual([{ file_name: 'receipt.png' }])
    await page.goto(at('/inquiries?lang=en'))
    expect(await page.textContent('main')).toContain('Late parcel')
    await ctx.close()
    const jwt = await new SignJWT({ name: 'Grace' }).setProtectedHeader({ alg: 'HS256' }).setSubject(usercode).setIssuedAt().setAudience('help').setJti(crypto.randomUUID()).sign(new TextEncoder().encode(SECRET))
    const other = await context()
    await other.page.goto(at(`/sign-in/jwt?jwt=${jwt}&returnUrl=${encodeURIComponent(`${base}/inquiries?lang=en`)}`))
    expect(new URL(other.page.url()).pathname).toBe(`${base}/inquiries`)
    expect(await other.page.textContent('main')).toContain('Late parcel')
    await other.context.close()
  }, 60_000)

  it('shows the mobile layout at a phone viewport', async () => {
    const { context: ctx, page } = await context(PHONE)
    await page.goto(at('/faq?lang=en'))
    const sheets = await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => (l as HTMLLinkElement).href))
    expect(sheets.some((href) => href.includes('/hc/assets/default/mobile/'))).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
    await ctx.close()
  }, 30_000)

  it('screenshots and audits every default page, PC and mobile: no serious or critical axe violation', async () => {
    const usercode = `a11y-${Math.random().toString(36).slice(2)}`
    const setup = await context()
    await signInWithToken(setup.page, usercode, 'Ada')
    await sendInquiry(setup.page, { title: 'Broken lid', content: 'The lid broke.', order: 'B-7' })
    const [ticketRow] = await tp.db.query<{ id: string }>("SELECT id FROM tickets WHERE title = 'Broken lid'")
    await ok(svc.call(`/ticket/tickets/${ticketRow!.id}/agent-replies`, { body: { content: 'A new lid is on its way.' } }), 201)
    const memberCookies = await setup.context.cookies()
    await setup.context.close()
    const pages: [string, string, boolean][] = [
      ['home', '?lang=ko', false],
      ['notice_list', '/notices?lang=ko', false],
      ['notice_detail', `/notices/${noticeNumber}?lang=ko`, false],
      ['faq_list', '/faq?lang=ko', false],
      ['faq_detail', `/faq/${faqNumber}?lang=ko`, false],
      ['search_results', `/search?lang=ko&q=${encodeURIComponent('비밀번호')}`, false],
      ['inquiry_form', `/inquiry?lang=ko&category=${categoryId}`, false],
      ['inquiry_done', '/inquiry/done?lang=ko&number=20261208-0001', false],
      ['inquiry_history', '/inquiries?lang=ko', true],
      ['inquiry_detail', `/inquiries/${ticketRow!.id}?lang=ko`, true],
      ['signin_required', '/inquiries?lang=ko', false],
      ['not_found', '/faq/99999?lang=ko', false],
    ]
    const serious: string[] = []
    for (const [device, options] of [['pc', PC], ['mobile', PHONE]] as const) {
      for (const [type, path, member] of pages) {
        // axe is a script of its own, which the pages' CSP (rightly) refuses: the audit bypasses CSP.
        const { context: ctx, page } = await context({ ...options, bypassCSP: true })
        if (member) await ctx.addCookies(memberCookies)
        const res = await page.goto(at(path))
        expect(res!.status(), `${type} ${device}`).toBe(type === 'not_found' ? 404 : 200)
        expect(await page.evaluate(() => document.querySelector('link[rel=stylesheet]')?.getAttribute('href') ?? '')).toContain(`/default/${device}/`)
        await page.screenshot({ path: join(SHOTS, `${device}-${type}.png`), fullPage: true })
        await page.addScriptTag({ path: AXE })
        const { violations, passed } = (await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe.run()
          return { violations: result.violations, passed: result.passes.length }
        })) as { violations: AxeViolation[]; passed: number }
        expect(passed).toBeGreaterThan(10)
        for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') serious.push(`${device} ${type}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
        await ctx.close()
      }
    }
    expect(serious).toEqual([])
  }, 180_000)

  it('runs no script of the stored-XSS corpus in notices, FAQ, inquiry fields and names', async () => {
    // Each payload as a title (text) and, with the others, in a body (sanitised HTML).
    const chunks = Array.from({ length: Math.ceil(CORPUS.length / 10) }, (_, i) => CORPUS.slice(i * 10, i * 10 + 10))
    const opened: string[] = []
    for (const [i, chunk] of chunks.entries()) {
      const translations = { en: { title: chunk[0]!, html: chunk.join('\n') } }
      const notice = await ok(svc.call('/helpcenter/notices', { body: { published: true, translations } }), 201)
      const faq = await ok(svc.call('/helpcenter/faqs', { body: { published: true, translations } }), 201)
      opened.push(`/notices/${notice.number}?lang=en`, `/faq/${faq.number}?lang=en`)
      if (i === 0) opened.push('/notices?lang=en', '/faq?lang=en', `/search?lang=en&q=${encodeURIComponent('alert')}`)
    }
    const usercode = `xss-${Math.random().toString(36).slice(2)}`
    const visitor = await context()
    await signInWithToken(visitor.page, usercode, CORPUS[2]!)
    for (const payload of CORPUS.slice(0, 12)) await sendInquiry(visitor.page, { title: payload.slice(0, 200), content: CORPUS.join('\n'), order: payload.slice(0, 100) })
    const cookies = await visitor.context.cookies()
    await visitor.context.close()
    const [mine] = await tp.db.query<{ id: string }>('SELECT id FROM tickets WHERE requester_usercode = $1 LIMIT 1', [usercode])
    const ran: string[] = []
    for (const path of [...opened, '/inquiries?lang=en', `/inquiries/${mine!.id}?lang=en`]) {
      const { context: ctx, page, scripts } = await context()
      await ctx.addCookies(cookies)
      await page.goto(at(path), { waitUntil: 'load' })
      // Poke every element as a visitor might: hover, focus and click (links left alone).
      await page.evaluate(() => {
        for (const el of document.body.querySelectorAll('*')) {
          el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }))
          ;(el as HTMLElement).focus?.()
        }
      }).catch(() => {})
      await page.waitForTimeout(50)
      if (scripts.length) ran.push(`${path}: ${scripts.join(', ')}`)
      await ctx.close()
    }
    expect(ran).toEqual([])
  }, 240_000)

  it("hides a switched-off menu and answers its page with 404; a tenant theme's CSS and script apply", async () => {
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY, jwtSecret: SECRET, jwtAudience: 'help', notices: false } }))
    const { context: ctx, page, scripts } = await context()
    await page.goto(at('?lang=en'))
    expect(await page.locator(`a[href^="${base}/notices"]`).count()).toBe(0)
    expect((await page.goto(at('/notices?lang=en')))!.status()).toBe(404)
    const theme = await ok(svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Brand', active: true, css: '.hc-header { border-bottom-color: rgb(1, 2, 3) }', script: "document.documentElement.dataset.brand = 'on'; window.__ocScriptRan('theme script')" } }), 201)
    await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: theme.id } }))
    const refused: string[] = []
    page.on('console', (message) => void (/Content Security Policy/i.test(message.text()) && refused.push(message.text())))
    await page.goto(at('/faq?lang=en'), { waitUntil: 'load' })
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.hc-header')!).borderBottomColor)).toBe('rgb(1, 2, 3)')
    await page.waitForFunction(() => document.documentElement.dataset.brand === 'on')
    expect(scripts).toEqual(['theme script'])
    expect(refused).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'pc-tenant-theme.png'), fullPage: true })
    await ctx.close()
  }, 60_000)
})
