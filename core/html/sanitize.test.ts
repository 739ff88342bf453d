/**
 * The HTML sanitiser against a stored-XSS corpus: every payload's output is parsed again (as a
 * browser would parse the stored HTML) and must hold no element, attribute or URL scheme outside
 * the allowlist, and cleaning it again changes nothing. Ordinary rich text keeps its shape.
 */
import { describe, expect, it } from 'vitest'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { ALLOWED_ELEMENTS, GLOBAL_ATTRIBUTES, htmlText, safeStyle, safeUrl, sanitizeHtml } from './sanitize.ts'
import { PAYLOADS } from './xss-corpus.ts'

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['documentFragment']


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
