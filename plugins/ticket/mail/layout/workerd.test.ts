/**
 * Layouts compile on workerd too: the layout compiler bundled the way a Workers deployment
 * bundles it (`mjml` aliased to `mjml-browser`, the `window` banner) and run in Miniflare.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForWorkers } from '../../../../test/support/workers-bundle.ts'

const root = fileURLToPath(new URL('../../../../', import.meta.url))

describe('mail layouts on workerd (mjml-browser)', () => {
  let outdir: string
  let mf: Miniflare
  let url: URL
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'oc-mjml-worker-'))
    const outfile = await bundleForWorkers(join(root, 'test/runtimes/mjml-worker-entry.ts'), join(outdir, 'worker.js'), { alias: { mjml: 'mjml-browser' }, banner: { js: 'var window = globalThis;' } })
    mf = new Miniflare({ modules: true, scriptPath: outfile, modulesRoot: outdir, compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'], host: '127.0.0.1', port: 0 })
    url = await mf.ready
  }, 60_000)
  afterAll(async () => {
    await mf?.dispose()
    await rm(outdir, { recursive: true, force: true })
  })

  const compile = (source: string, format = 'mjml') => fetch(new URL(`/?format=${format}`, url), { method: 'POST', body: source })

  it('compiles an MJML layout to HTML that keeps the #{content} slot', async () => {
    const res = await compile('<mjml><mj-body><mj-section><mj-column><mj-text color="#334455">Shop support</mj-text><mj-text>#{content}</mj-text></mj-column></mj-section></mj-body></mjml>')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('#{content}')
    expect(html).toContain('color:#334455')
    expect(html).not.toContain('<mj-text')
  })

  it('refuses a broken MJML document and a layout without #{content}, naming body.source', async () => {
    const broken = await compile('<mjml><mj-body><mj-section><mj-column><mj-text>#{content}</mj-text><mj-bogus/></mj-column></mj-section></mj-body></mjml>')
    expect(broken.status).toBe(422)
    expect((await broken.json()).issues[0]).toMatchObject({ path: 'body.source', code: 'mjml_invalid' })
    const slotless = await compile('<html><body>no slot</body></html>', 'html')
    expect(slotless.status).toBe(422)
    expect((await slotless.json()).issues[0]).toMatchObject({ path: 'body.source', code: 'content_slot_missing' })
  })
})
