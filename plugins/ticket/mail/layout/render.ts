/**
 * Putting a reply into a compiled layout: the layout's HTML is cut once at each `#{content}`
 * slot, and a mail is the pieces joined around the reply's HTML. No template engine and no
 * MJML runs per mail, and the reply is inserted verbatim, so nothing in it is read as a code.
 */
import { CONTENT_SLOT } from './compile.ts'

export interface PreparedLayout {
  /** The layout version this was prepared from (0: the built-in default). */
  readonly version: number
  /** The layout's HTML cut at each slot; a mail is `parts.join(content)`. */
  readonly parts: readonly string[]
}

export function prepareLayout(version: number, html: string): PreparedLayout {
  return { version, parts: html.split(CONTENT_SLOT) }
}

export function renderInLayout(layout: PreparedLayout, contentHtml: string): string {
  return layout.parts.join(contentHtml)
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)
}

/** A plain-text reply as HTML: escaped, line breaks kept. */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>\n')
}

/** The layout mail goes out in until an admin saves one: a readable column, nothing more. */
export const DEFAULT_LAYOUT_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;background:#f4f4f5">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:-apple-system,'Segoe UI','Apple SD Gothic Neo','Malgun Gothic',sans-serif;font-size:15px;line-height:1.6;color:#18181b">
${CONTENT_SLOT}
</div>
</body></html>`

export const DEFAULT_LAYOUT = prepareLayout(0, DEFAULT_LAYOUT_HTML)
