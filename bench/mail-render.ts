/**
 * mail-render: agent-reply mails rendered per second through a compiled layout (the reply text
 * escaped and substituted into the HTML the layout was compiled to when saved), against the
 * baseline, calling mjml2html per mail on the same MJML layout with the reply in it, in the
 * same run. Both take turns in slices, so other load on the machine lands on both alike.
 *
 * Goal (issue #5): a ratio of at least 20.
 */
import { compileLayout, CONTENT_SLOT } from '../plugins/ticket/mail/layout/compile.ts'
import { loadMjml } from '../plugins/ticket/mail/layout/mjml.ts'
import { prepareLayout, renderInLayout, textToHtml } from '../plugins/ticket/mail/layout/render.ts'
import { benchLine, type BenchOptions, detail } from './lib.ts'

/** A layout of the size real help desks use: header with logo, body, signature, footer links. */
const LAYOUT = `<mjml>
  <mj-head>
    <mj-attributes><mj-all font-family="Apple SD Gothic Neo, Malgun Gothic, sans-serif" /><mj-text font-size="15px" line-height="1.6" color="#18181b" /></mj-attributes>
    <mj-style>.footer a { color: #71717a; }</mj-style>
  </mj-head>
  <mj-body background-color="#f4f4f5">
    <mj-section background-color="#1d4ed8"><mj-column><mj-image width="120px" src="https://shop.example/logo.png" alt="Shop" /></mj-column></mj-section>
    <mj-section background-color="#ffffff"><mj-column>
      <mj-text>${CONTENT_SLOT}</mj-text>
      <mj-divider border-color="#e4e4e7" />
      <mj-text font-size="13px">쇼핑몰 고객센터 · 평일 09:00–18:00 · 1588-0000</mj-text>
    </mj-column></mj-section>
    <mj-section><mj-column><mj-text css-class="footer" font-size="12px" align="center"><a href="https://shop.example/help">Help center</a> · <a href="https://shop.example/privacy">Privacy</a></mj-text></mj-column></mj-section>
  </mj-body>
</mjml>`

const reply = (n: number) => `안녕하세요, 고객님.\n주문 #${n} 건은 오늘 출고되었습니다. 송장 번호는 내일 안내드리겠습니다.\nThank you for waiting — order ${n} ships today.`

/** Runs `once` for about `seconds`; returns calls per second. */
async function rate(once: (n: number) => unknown, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  let done = 0
  while (performance.now() < end) {
    const pending = once(done)
    // Only the baseline is asynchronous; awaiting a plain value would tax the substitution.
    if (pending instanceof Promise) await pending
    done++
  }
  return done / ((performance.now() - started) / 1000)
}

export async function run(options: BenchOptions): Promise<string[]> {
  const mjml2html = await loadMjml()
  const layout = prepareLayout(1, await compileLayout('mjml', LAYOUT))
  let sink = 0
  const substitute = (n: number) => {
    sink += renderInLayout(layout, textToHtml(reply(n))).length
  }
  const compileEach = async (n: number) => {
    const result = await mjml2html(LAYOUT.replace(CONTENT_SLOT, textToHtml(reply(n))), { validationLevel: 'skip', ignoreIncludes: true })
    sink += result.html.length
  }
  await rate(substitute, options.warmupSeconds)
  await rate(compileEach, options.warmupSeconds)
  const slices = Math.max(2, Math.round(options.seconds))
  const perSlice = options.seconds / slices
  let substituted = 0
  let compiled = 0
  for (let i = 0; i < slices; i++) {
    substituted += await rate(substitute, perSlice)
    compiled += await rate(compileEach, perSlice)
  }
  substituted /= slices
  compiled /= slices
  detail(`mail-render: substitution ${Math.round(substituted)} mails/s, mjml2html ${Math.round(compiled)} mails/s (output bytes seen: ${sink})`)
  return [benchLine('mail-render', substituted, 'mails/s', [[substituted / compiled, 'mjml2html']])]
}
