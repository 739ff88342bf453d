/**
 * helpcenter-render: FAQ detail pages rendered per second with the default theme through the
 * help center's render path (the theme in use resolved to its cached parsed version, the
 * sandboxed engine, the error mapping), against the baseline, LiquidJS rendering the same
 * parsed template with the same data directly, in the same run. Both take turns in slices, so
 * other load on the machine lands on both alike.
 *
 * Goal (issue #15): a ratio of at least 0.8.
 */
import { defaultPageTheme, parsedTheme, renderPage } from '../plugins/helpcenter/themes/in-use.ts'
import { samplePage } from '../plugins/helpcenter/render/samples.ts'
import { resolveFrom } from '../plugins/helpcenter/strings/resolve.ts'
import { benchLine, type BenchOptions, detail } from './lib.ts'

/** Runs `once` for about `seconds`; returns calls per second. */
async function rate(once: () => Promise<unknown>, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  let done = 0
  while (performance.now() < end) {
    await once()
    done++
  }
  return done / ((performance.now() - started) / 1000)
}

export async function run(options: BenchOptions): Promise<string[]> {
  const theme = defaultPageTheme('pc')
  const data = samplePage('faq_detail', { device: 'pc', language: 'ko', strings: resolveFrom([], 'ko', 'ko'), assets: { css: ['/o/acme/support/hc/assets/default/pc/base.css'], script: null } })
  const { liquid } = parsedTheme(theme)
  const template = parsedTheme(theme).parsed('faq_detail')
  let bytes = 0
  const throughPlugin = async () => {
    bytes += (await renderPage(theme, 'faq_detail', data)).length
  }
  const bare = async () => {
    bytes += ((await liquid.render(template, data)) as string).length
  }
  if ((await renderPage(theme, 'faq_detail', data)) !== (await liquid.render(template, data))) throw new Error('the two paths render different pages')
  await rate(throughPlugin, options.warmupSeconds)
  await rate(bare, options.warmupSeconds)
  const slices = Math.max(2, Math.round(options.seconds))
  const perSlice = options.seconds / slices
  let plugin = 0
  let baseline = 0
  for (let i = 0; i < slices; i++) {
    plugin += await rate(throughPlugin, perSlice)
    baseline += await rate(bare, perSlice)
  }
  plugin /= slices
  baseline /= slices
  detail(`helpcenter-render: render path ${Math.round(plugin)} pages/s, liquid-bare ${Math.round(baseline)} pages/s (${bytes} bytes rendered)`)
  return [benchLine('helpcenter-render', plugin, 'pages/s', [[plugin / baseline, 'liquid-bare']])]
}
