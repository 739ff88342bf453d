/**
 * Headless Chromium for tests (Debian's `chromium` driven by playwright-core): every page opened
 * gets a page-level hook that records any script that runs in it, and leaves a screenshot in
 * `test-results/screenshots/` (git-ignored), so a run can be looked at afterwards.
 *
 * The hook: `window.__ocScriptRan(what)` is bound into every frame before any of the page's own
 * script (exposeBinding); dialogs (`alert`) and console lines with the files' marker are recorded too, so a script that
 * does not know the hook is still seen.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core'

export const CHROMIUM = process.env.OC_CHROMIUM ?? '/usr/bin/chromium'
/** What the hostile test files (test/support/files.ts) log and alert when they run. */
export const SCRIPT_MARKER = 'OC-SCRIPT-RAN'
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots')

export interface OpenedPage {
  /** What scripts reported through the hook, dialogs and console, in order. */
  scripts: string[]
  /** Whether the browser turned the navigation into a download instead of showing it. */
  downloaded: boolean
  /** The main document's Content-Type, when it was shown. */
  contentType: string | null
  /** The visible text, when shown. */
  text: string | null
  screenshot: string
}

export interface TestBrowser {
  /** Opens `url` in a fresh context (or sets `html` as the page, to prove the hook sees script), screenshots it, closes it. */
  open(name: string, target: { url: string } | { html: string }, options?: BrowserContextOptions & { settleMs?: number }): Promise<OpenedPage>
  close(): Promise<void>
}

export async function startBrowser(options: { args?: string[] } = {}): Promise<TestBrowser> {
  const root = process.getuid?.() === 0
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...(root ? ['--no-sandbox'] : []), ...(options.args ?? [])] })
  await mkdir(SCREENSHOTS, { recursive: true })
  return {
    async open(name, target, contextOptions = {}) {
      const { settleMs = 300, ...rest } = contextOptions
      const context = await browser.newContext({ acceptDownloads: true, ...rest })
      const page = await context.newPage()
      const scripts: string[] = []
      await page.exposeBinding('__ocScriptRan', (_source, what: unknown) => void scripts.push(String(what)))
      page.on('dialog', (dialog) => {
        scripts.push(`dialog: ${dialog.message()}`)
        void dialog.dismiss()
      })
      // Only the test files' marker: the browser also logs its own refusals (CSP) to the console.
      page.on('console', (message) => void (message.text().includes(SCRIPT_MARKER) && scripts.push(`console: ${message.text()}`)))
      let downloaded = false
      page.on('download', () => void (downloaded = true))
      let contentType: string | null = null
      try {
        if ('html' in target) await page.setContent(target.html)
        else contentType = (await page.goto(target.url, { waitUntil: 'load' }))?.headers()['content-type'] ?? null
      } catch (error) {
        // A navigation that becomes a download aborts the navigation.
        if (!/Download is starting|ERR_ABORTED/.test(String(error))) throw error
        downloaded = true
      }
      await page.waitForTimeout(settleMs)
      const shown = !downloaded
      const text = shown ? await page.evaluate(() => document.body?.innerText ?? document.documentElement?.textContent ?? '').catch(() => null) : null
      const screenshot = join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`)
      await page.screenshot({ path: screenshot })
      await context.close()
      return { scripts, downloaded, contentType: shown ? contentType : null, text, screenshot }
    },
    close: () => browser.close(),
  }
}
