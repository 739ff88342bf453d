/**
 * The HTML sanitiser against a stored-XSS corpus: every payload's output is parsed again (as a
 * browser would parse the stored HTML) and must hold no element, attribute or URL scheme outside
 * the allowlist, and cleaning it again changes nothing. Ordinary rich text keeps its shape.
 */
import { describe, expect, it } from 'vitest'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { ALLOWED_ELEMENTS, GLOBAL_ATTRIBUTES, htmlText, safeStyle, safeUrl, sanitizeHtml } from './sanitize.ts'

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['documentFragment']

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" &#14;javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href="java\0script:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="  javascript:alert(1)  ">x</a>',
  '<a href="/relative:javascript:alert(1)">ok</a>',
  '<a href="x" onclick="alert(1)" onmouseover=alert(1)>x</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<div style="color: red; behavior: url(x.htc)">x</div>',
  '<p style="color:\\72 ed">x</p>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  '<template><img src=x onerror=alert(1)></template>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '<style>@import "javascript:alert(1)";</style>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<plaintext><img src=x onerror=alert(1)>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<!--><img src=x onerror=alert(1)>-->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<img """><script>alert(1)</script>">',
  '<img src="x" alt="a" onerror="alert(1)"/ >',
  '<a href="x"title="y"onclick="alert(1)">x</a>',
  '<p title="&quot; onmouseover=&quot;alert(1)">x</p>',
  '<p title=\'"><script>alert(1)</script>\'>x</p>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>alert(1)//<</script>',
  '<div><div><div><a href="javascript:alert(1)"><b><i>deep</i></b></a></div></div></div>',
  '<table><tr><td><a href="javascript:alert(1)">x</a><script>alert(1)</script></td></tr></table>',
  '<table><form><input onfocus=alert(1)></form></table>',
  '<select><option><img src=x onerror=alert(1)></option></select>',
  '<a href="tel:+82-2-1234" target="_top">call</a>',
  '<a href="https://ok.example" target="_blank" rel="opener">ok</a>',
  '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">',
  '<div xmlns="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></div>',
  '<isindex action="javascript:alert(1)" type=image>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="\u2028javascript:alert(1)">x</a>',
  '<span style="color: red" class="notice-hot" lang="ko" id="clobber" name="clobber">kept</span>',
  '<p>unclosed <b>bold <i>both</p> after',
  '<a href="https://a.example/?q=<script>">x</a>',
]

const URL_ATTRIBUTES: Record<string, string[]> = { href: ['http:', 'https:', 'mailto:', 'tel:'], src: ['http:', 'https:'], cite: ['http:', 'https:'] }

/** Everything in `html` (parsed as a browser would) that is outside the allowlist. */
function violations(html: string): string[] {
  const found: string[] = []
  const walk = (node: Node) => {
    if (node.nodeName === '#comment') found.push('comment')
    if ('tagName' in node) {
      const tag = node.tagName
      if (node.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`namespace ${node.namespaceURI}`)
      if (!(tag in ALLOWED_ELEMENTS)) found.push(`element ${tag}`)
      for (const { name, value } of node.attrs) {
        const allowed = [...GLOBAL_ATTRIBUTES, ...(ALLOWED_ELEMENTS[tag] ?? [])]
        if (!allowed.includes(name) || name.startsWith('on')) found.push(`attribute ${tag}.${name}`)
        const schemes = URL_ATTRIBUTES[name]
        if (schemes && !schemes.includes(new URL(value, 'https://hc.example/desk/').protocol)) found.push(`url ${tag}.${name}=${value}`)
        if (name === 'style' && /url|expression|\\|:\s*[^;]*\(/i.test(value) && !/rgba?\(/.test(value)) found.push(`style ${value}`)
      }
    }
    if ('childNodes' in node) for (const child of node.childNodes) walk(child)
  }
  walk(parseFragment(html))
  return found
}

describe('sanitizeHtml', () => {
  it(`leaves nothing outside the allowlist in any of ${PAYLOADS.length} stored-XSS payloads`, () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(70)
    // The check itself finds what the payloads hold, so a sanitiser that passed them through would fail.
    expect(PAYLOADS.filter((payload) => violations(payload).length > 0).length).toBeGreaterThanOrEqual(60)
    const failures = PAYLOADS.map((payload) => ({ payload, output: sanitizeHtml(payload) }))
      .map(({ payload, output }) => ({ payload, output, violations: violations(output) }))
      .filter((result) => result.violations.length > 0)
    expect(failures).toEqual([])
  })

  it('is stable: cleaning its own output again changes nothing', () => {
    for (const payload of PAYLOADS) {
      const once = sanitizeHtml(payload)
      expect(sanitizeHtml(once), payload).toBe(once)
    }
  })

  it('keeps ordinary rich text as written', () => {
    const text = '<h2>배송 안내</h2><p>주문은 <strong>3일</strong> 안에 <a href="https://shop.example/track?id=1&amp;x=2">배송</a>됩니다.</p><ul><li>하나</li><li>둘</li></ul><p><img src="https://cdn.example/a.png" alt="지도" width="300"></p><table><tbody><tr><td colspan="2">셀</td></tr></tbody></table>'
    expect(sanitizeHtml(text)).toBe(text)
    expect(sanitizeHtml('<a href="mailto:help@example.com">mail</a> <a href="tel:+82-2-1234">call</a> <a href="/o/acme/desk/hc/faq">faq</a>')).toBe('<a href="mailto:help@example.com">mail</a> <a href="tel:+82-2-1234">call</a> <a href="/o/acme/desk/hc/faq">faq</a>')
  })

  it('drops script-capable parts and unwraps unknown elements, keeping their text', () => {
    expect(sanitizeHtml('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>x()</script></p>')).toBe('<p>Hi <a>there</a></p>')
    expect(sanitizeHtml('<custom-tag><font color=red>text</font></custom-tag>')).toBe('text')
    expect(sanitizeHtml('<a href="https://x.example" target="_blank" rel="opener">x</a>')).toBe('<a href="https://x.example" target="_blank" rel="noopener noreferrer">x</a>')
    expect(sanitizeHtml('<span style="color: red; position: fixed; font-weight: bold">x</span>')).toBe('<span style="color: red; font-weight: bold">x</span>')
    expect(sanitizeHtml('<p>1 < 2 & "q"</p>')).toBe('<p>1 &lt; 2 &amp; "q"</p>')
  })

  it('reads URLs as a browser does', () => {
    expect(safeUrl(' \tjava\nscript:alert(1)', 'href')).toBeNull()
    expect(safeUrl('HTTPS://x.example', 'href')).toBe('HTTPS://x.example')
    expect(safeUrl('mailto:a@b.example', 'src')).toBeNull()
    expect(safeUrl('files/a.png', 'src')).toBe('files/a.png')
    expect(safeUrl('a:b/c', 'href')).toBeNull()
    expect(safeStyle('color: #ff0000; text-align: center')).toBe('color: #ff0000; text-align: center')
    expect(safeStyle('color: red; background: url(x)')).toBeNull()
  })

  it('gives the text a reader sees, blocks apart and inline runs together', () => {
    expect(htmlText('<h2>배송</h2><p><b>배</b>송지연 <script>x</script>안내</p><p>끝</p>')).toBe('배송 배송지연 안내 끝')
  })
})
