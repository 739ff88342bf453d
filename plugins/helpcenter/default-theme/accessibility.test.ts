/**
 * The default theme in headless Chromium: every page type, PC (1280×800) and mobile (390×844
 * phone), rendered through the pages' render path with its sample data, served with the pages'
 * Content-Security-Policy and its style sheets from the assets mount. axe-core reports no
 * serious or critical violation (contrast included, with the CSS applied), the browser refuses
 * nothing under the CSP, and a screenshot of each page is left in test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestPlatform, type TestPlatform } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { pageSecurityHeaders } from '../render/headers.ts'
import { PAGE_TYPES } from '../render/page-types.ts'
import { samplePage } from '../render/samples.ts'
import { resolveFrom } from '../strings/resolve.ts'
import { pageAssets } from '../themes/assets.ts'
import { defaultPageTheme, renderPage } from '../themes/in-use.ts'
import { DEVICES } from './mod.ts'

const ORIGIN = 'http://opencontact.test'
const SERVICE = '/o/a11y-org/support'
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots')
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const VIEWPORTS = { pc: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } } as const

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

describe('the default theme in Chromium', () => {
  let tp: TestPlatform
  let browser: Browser
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter] })
    await tp.service('a11y-org', 'support', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'] })
    browser = await chromium.launch({ executablePath: process.env.OC_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] })
    await mkdir(SCREENSHOTS, { recursive: true })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await tp?.close()
  })

  /** Opens the page at `<service>/hc` answered with `html` and `headers`; everything else it asks for (its style sheets) comes from the platform. */
  const show = async (page: Page, html: string, headers: Record<string, string>) => {
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = route.request().url()
      if (new URL(url).pathname === `${SERVICE}/hc`) return route.fulfill({ status: 200, headers, body: html })
      const res = await tp.fetch(new Request(url))
      return route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) })
    })
    await page.goto(`${ORIGIN}${SERVICE}/hc`, { waitUntil: 'load' })
  }

  for (const device of DEVICES) {
    it.each(PAGE_TYPES)(`%s on ${device}: no serious or critical axe violation, nothing refused by the CSP`, async (pageType) => {
      const theme = defaultPageTheme(device)
      const data = samplePage(pageType, { device, language: 'ko', strings: resolveFrom([], 'ko', 'ko'), assets: pageAssets(SERVICE, theme), serviceName: '예시 쇼핑' })
      const html = await renderPage(theme, pageType, data)
      const headers = { ...pageSecurityHeaders({ origin: ORIGIN, scriptPath: null }), 'content-type': 'text/html; charset=utf-8' }
      const page = await (await browser.newContext({ viewport: VIEWPORTS[device] })).newPage()
      const refused: string[] = []
      page.on('console', (message) => void (/Content Security Policy/i.test(message.text()) && refused.push(message.text())))
      await show(page, html, headers)
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.hc-header')!).borderBottomStyle)).toBe('solid')
      await page.screenshot({ path: join(SCREENSHOTS, `helpcenter-default-${device}-${pageType}.png`), fullPage: true })
      expect(refused).toEqual([])
      await page.context().close()

      // axe needs its own script, which the page's CSP (rightly) refuses: a second look with CSP bypassed.
      const audit = await (await browser.newContext({ viewport: VIEWPORTS[device], bypassCSP: true })).newPage()
      await show(audit, html, headers)
      await audit.addScriptTag({ path: AXE })
      const result = (await audit.evaluate(async () => {
        const { violations, passes } = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe.run()
        return { violations, passed: passes.length }
      })) as { violations: AxeViolation[]; passed: number }
      // The audit ran its rules on this page (color-contrast, labels, landmarks, …).
      expect(result.passed).toBeGreaterThan(10)
      const violations = result.violations
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
      expect(serious).toEqual([])
      await audit.context().close()
    })
  }
})
