/**
 * The sanitiser's output in a real browser (headless Chromium, test/support/browser.ts): each
 * stored-XSS payload, cleaned, is set as a page's body, every link and element is clicked,
 * focused and hovered, and the page-level hook must record no script run. The same hook sees the
 * raw payloads run, so a sanitiser that passed them through would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowser, type TestBrowser } from '../../test/support/browser.ts'
import { sanitizeHtml } from './sanitize.ts'
import { PAYLOADS } from './xss-corpus.ts'

/** Clicks, focuses and hovers every element once the page loaded, as a visitor might. */
const POKE = `<script>addEventListener('load', () => { for (const el of document.body.querySelectorAll('*')) { el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })); el.focus?.(); if (el.tagName !== 'A') el.click?.() } })</script>`
const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}${POKE}</body></html>`

describe('sanitised HTML in Chromium', () => {
  let browser: TestBrowser
  beforeAll(async () => {
    browser = await startBrowser()
  }, 60_000)
  afterAll(() => browser?.close())

  it('sees the raw payloads run (the hook works)', async () => {
    const raw = await browser.open('sanitize-control', { html: page(['<img src=x onerror=alert(1)>', '<svg onload=alert(2)>', '<details open ontoggle=alert(3)>'].join('')) }, { settleMs: 300 })
    expect(raw.scripts.length).toBeGreaterThanOrEqual(2)
  }, 30_000)

  it(`runs no script from any of ${PAYLOADS.length} cleaned payloads`, async () => {
    const ran: { payload: string; scripts: string[] }[] = []
    for (const [index, payload] of PAYLOADS.entries()) {
      const opened = await browser.open(`sanitize-payload-${index}`, { html: page(sanitizeHtml(payload)) }, { settleMs: 60 })
      if (opened.scripts.length) ran.push({ payload, scripts: opened.scripts })
    }
    expect(ran).toEqual([])
  }, 180_000)
})
