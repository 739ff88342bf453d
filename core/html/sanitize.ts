/**
 * HTML that people other than its author will open: rich text written by tenants or customers
 * (help-center notices and FAQ, chat and mail bodies) cleaned through an allowlist before it is
 * stored, so nothing in it can run a script in a visitor's browser.
 *
 * The text is parsed as a browser parses it (parse5, the HTML standard's tree construction, so
 * what the allowlist sees is what a browser would build, malformed input and all), and a new tree
 * is built from the allowed parts only, then serialised, which escapes every text and attribute:
 *
 * - An allowed element is kept with its allowed attributes; an element not on the list is
 *   replaced by its children (its text stays), except the elements that hold script, styles,
 *   embedded documents, forms or raw text, which go with their content (`DROPPED`). Elements of
 *   the SVG and MathML namespaces go with their content too: their parsing rules differ from
 *   HTML's, which is where mutation XSS hides.
 * - URLs (`href`, `src`, `cite`) are read as a browser reads them (tab and newlines removed,
 *   leading and trailing spaces and control characters trimmed, entities already decoded by the
 *   parser); one with a scheme must use an allowed one: links http, https, mailto and tel,
 *   images http and https. A relative URL stays relative to the page, so it is allowed.
 * - `style` keeps only the declarations of a few presentational properties whose values are
 *   plain words, numbers, colours and lengths (no `url(`, `expression`, escapes or comments).
 * - `target` is only `_blank`, and then `rel="noopener noreferrer"` is set.
 *
 * In the core because every plugin that shows someone's HTML to someone else needs the same
 * rules, and a second, weaker copy would be the one attacked.
 */
import { defaultTreeAdapter, html as spec, parseFragment, serialize, type DefaultTreeAdapterMap } from 'parse5'

type ParentNode = DefaultTreeAdapterMap['parentNode']
type ChildNode = DefaultTreeAdapterMap['childNode']
type Element = DefaultTreeAdapterMap['element']
type Attribute = Element['attrs'][number]

/** Elements kept, each with the attributes it may carry beside {@link GLOBAL_ATTRIBUTES}. */
export const ALLOWED_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'target', 'rel'],
  abbr: [], b: [], blockquote: ['cite'], br: [], caption: [], code: [], col: ['span'], colgroup: ['span'],
  dd: [], del: ['cite'], details: [], div: [], dl: [], dt: [], em: [], figcaption: [], figure: [],
  h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], hr: [], i: [], img: ['src', 'alt', 'width', 'height'],
  ins: ['cite'], kbd: [], li: [], mark: [], ol: ['start', 'type'], p: [], pre: [], q: ['cite'], s: [],
  small: [], span: [], strong: [], sub: [], summary: [], sup: [], table: [], tbody: [],
  td: ['colspan', 'rowspan'], tfoot: [], th: ['colspan', 'rowspan', 'scope'], thead: [], tr: [], u: [], ul: [],
}

/** Attributes any allowed element may carry. */
export const GLOBAL_ATTRIBUTES: readonly string[] = ['title', 'lang', 'dir', 'class', 'style']

/** Elements removed with everything inside them (their content is code, styles, a document or a form). */
const DROPPED = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'select',
  'textarea', 'option', 'template', 'noscript', 'noembed', 'noframes', 'xmp', 'plaintext', 'title', 'base', 'link',
  'meta', 'head', 'svg', 'math', 'audio', 'video', 'source', 'track', 'canvas', 'portal', 'slot',
])

/** URL schemes allowed per attribute; a URL without a scheme is relative to the page. */
const URL_SCHEMES: Readonly<Record<string, ReadonlySet<string>>> = {
  href: new Set(['http', 'https', 'mailto', 'tel']),
  src: new Set(['http', 'https']),
  cite: new Set(['http', 'https']),
}

/** Presentational properties `style` may set, and what a value may hold. */
export const ALLOWED_CSS_PROPERTIES: ReadonlySet<string> = new Set([
  'color', 'background-color', 'text-align', 'text-decoration', 'font-weight', 'font-style', 'font-size',
  'vertical-align', 'width', 'height', 'margin-left', 'padding-left', 'border-collapse',
])
const CSS_VALUE = /^(?:#[0-9a-f]{3,8}|[a-z-]+|-?\d+(?:\.\d+)?(?:px|em|rem|%|pt)?|rgba?\(\s*\d{1,3}%?\s*(?:,\s*\d{1,3}%?\s*){2}(?:,\s*(?:0|1|0?\.\d+)\s*)?\))(?:\s+(?:#[0-9a-f]{3,8}|[a-z-]+|-?\d+(?:\.\d+)?(?:px|em|rem|%|pt)?))*$/i

const HTML_NS = spec.NS.HTML
const SCHEME = /^([a-z][a-z0-9+.-]*):/i
// What the URL parser ignores: leading and trailing C0 controls and spaces, tab and newlines anywhere.
const URL_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g
const URL_IGNORED = /[\t\n\r]/g
const CONTROL = /[\u0000-\u001f\u007f]/

/** `value` as a browser would read it, or null when it is not a URL the attribute may hold. */
export function safeUrl(value: string, attribute: 'href' | 'src' | 'cite'): string | null {
  const url = value.replace(URL_TRIM, '').replace(URL_IGNORED, '')
  if (CONTROL.test(url)) return null
  const scheme = SCHEME.exec(url)?.[1]
  if (scheme !== undefined) return URL_SCHEMES[attribute]!.has(scheme.toLowerCase()) ? url : null
  // No scheme before the first of `/?#`: a relative reference; a colon there would be a scheme.
  const head = url.split(/[/?#]/, 1)[0]!
  return head.includes(':') ? null : url
}

/** The allowed declarations of a `style` attribute, or null when none remains. */
export function safeStyle(value: string): string | null {
  if (/[\\]|\/\*|url\s*\(|expression|@import|[<>]/i.test(value)) return null
  const kept: string[] = []
  for (const declaration of value.split(';')) {
    const colon = declaration.indexOf(':')
    if (colon < 0) continue
    const property = declaration.slice(0, colon).trim().toLowerCase()
    const propertyValue = declaration.slice(colon + 1).trim()
    if (ALLOWED_CSS_PROPERTIES.has(property) && CSS_VALUE.test(propertyValue)) kept.push(`${property}: ${propertyValue}`)
  }
  return kept.length ? kept.join('; ') : null
}

function allowedAttributes(tag: string, attrs: readonly Attribute[]): Attribute[] {
  const allowed = ALLOWED_ELEMENTS[tag]!
  const kept: Attribute[] = []
  let blank = false
  for (const { name, value, namespace } of attrs) {
    if (namespace || !(GLOBAL_ATTRIBUTES.includes(name) || allowed.includes(name))) continue
    let clean: string | null = value
    if (name === 'href' || name === 'src' || name === 'cite') clean = safeUrl(value, name)
    else if (name === 'style') clean = safeStyle(value)
    else if (name === 'target') clean = value === '_blank' ? value : null
    else if (name === 'rel') continue // set below when the link opens a new window
    if (clean === null) continue
    if (name === 'target') blank = true
    kept.push({ name, value: clean })
  }
  if (blank) kept.push({ name: 'rel', value: 'noopener noreferrer' })
  return kept
}

function copyChildren(from: ParentNode, to: ParentNode): void {
  for (const node of from.childNodes as ChildNode[]) {
    if (node.nodeName === '#text') defaultTreeAdapter.insertText(to, (node as DefaultTreeAdapterMap['textNode']).value)
    else if ('tagName' in node) {
      const element = node as Element
      const tag = element.tagName
      if (element.namespaceURI !== HTML_NS || DROPPED.has(tag)) continue
      if (!(tag in ALLOWED_ELEMENTS)) {
        copyChildren(element, to)
        continue
      }
      const copy = defaultTreeAdapter.createElement(tag, HTML_NS, allowedAttributes(tag, element.attrs))
      defaultTreeAdapter.appendChild(to, copy)
      copyChildren(element, copy)
    }
    // Comments, doctypes and processing instructions are dropped.
  }
}

/**
 * `html` with only allowlisted elements, attributes and URLs, serialised with every text and
 * attribute escaped.
 *
 * @example
 * sanitizeHtml('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>x()</script></p>')
 * // '<p>Hi <a>there</a></p>'
 */
export function sanitizeHtml(html: string): string {
  const clean = defaultTreeAdapter.createDocumentFragment()
  copyChildren(parseFragment(html), clean)
  return serialize(clean)
}

/** Elements within a line: their text runs on without a space (`<b>배</b>송` reads 배송). */
const INLINE = new Set(['a', 'abbr', 'b', 'code', 'del', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u'])

/**
 * The text a reader sees in `html` (what a search indexes): the text of every element but the
 * dropped ones, blocks and line breaks separated by a space.
 */
export function htmlText(html: string): string {
  const parts: string[] = []
  const walk = (parent: ParentNode) => {
    for (const node of parent.childNodes as ChildNode[]) {
      if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value)
      else if ('tagName' in node && !DROPPED.has((node as Element).tagName)) {
        walk(node as Element)
        if (!INLINE.has((node as Element).tagName)) parts.push(' ')
      }
    }
  }
  walk(parseFragment(html))
  return parts.join('').replace(/\s+/g, ' ').trim()
}
