/**
 * Themes render on workerd too: the engine, the default theme and the save-time checks bundled
 * the way a Workers deployment bundles them (`liquidjs` aliased to its browser build) and run in Miniflare (LiquidJS interprets, so no
 * code generation is needed), giving the same pages as on Node, the same sandbox and limits.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForWorkers } from '../../../test/support/workers-bundle.ts'
import { uncachedTheme } from './engine.ts'
import { PAGE_TYPES } from './page-types.ts'
import { samplePage } from './samples.ts'
import { resolveFrom } from '../strings/resolve.ts'
import { DEFAULT_THEMES } from '../default-theme/mod.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

describe('help-center themes on workerd', () => {
  let outdir: string
  let mf: Miniflare
  let url: URL
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'oc-theme-worker-'))
    // liquidjs's module entry is its Node build (fs, path, stream); its browser build, named by its
    // `browser` file map that esbuild applies only to the browser platform, is the one for Workers.
    const outfile = await bundleForWorkers(join(here, 'workerd-entry.ts'), join(outdir, 'worker.js'), { alias: { liquidjs: 'liquidjs/dist/liquid.browser.mjs' } })
    mf = new Miniflare({ modules: true, scriptPath: outfile, modulesRoot: outdir, compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'], host: '127.0.0.1', port: 0 })
    url = await mf.ready
  }, 60_000)
  afterAll(async () => {
    await mf?.dispose()
    await rm(outdir, { recursive: true, force: true })
  })

  const post = (path: string, body: unknown) => fetch(new URL(path, url), { method: 'POST', body: JSON.stringify(body) })

  it('renders every page of the default theme exactly as on Node', async () => {
    for (const pageType of PAGE_TYPES) {
      const res = await post('/render', { device: 'mobile', pageType })
      expect(res.status, pageType).toBe(200)
      const onNode = await uncachedTheme(DEFAULT_THEMES.mobile.templates).render(pageType, samplePage(pageType, { device: 'mobile', language: 'en', strings: resolveFrom([], 'en', 'ko'), assets: { css: ['/a.css'], script: null } }))
      expect(await res.text(), pageType).toBe(onNode)
    }
  })

  it('keeps the sandbox and the limits there', async () => {
    const leak = await post('/render', { device: 'pc', pageType: 'home', templates: { home: '[{{ banner.constructor }}][{{ banner.title.constructor.name }}][{{ "<b>" | raw }}]' } })
    expect(await leak.text()).toBe('[][][&lt;b&gt;]')
    const runaway = await post('/render', { device: 'pc', pageType: 'home', templates: { home: '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}' } })
    expect(runaway.status).toBe(422)
    expect((await runaway.json()).limit).toBe(true)
    const outside = await post('/render', { device: 'pc', pageType: 'home', templates: { home: '{% include "../../etc/passwd" %}' } })
    expect((await outside.json()).message).toMatch(/is not a template of this theme/)
  })

  it('runs the save-time checks', async () => {
    const issues = await (await post('/check', { device: 'pc', templates: { home: '{{ visitor.email }}', faq_list: '{% if x %}' } })).json()
    expect(issues.map((i: { path: string }) => i.path)).toEqual(['body.templates.faq_list'])
    expect(await (await post('/check', { device: 'pc', templates: { home: '{{ visitor.email }}' } })).json()).toEqual([
      expect.objectContaining({ path: 'body.templates.home', message: expect.stringContaining("'visitor.email' is not a variable of this page") }),
    ])
    expect(await (await post('/check', { device: 'pc' })).json()).toEqual([])
  })
})
