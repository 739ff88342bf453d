/**
 * Turning a saved layout into the HTML mail is sent in, once, when an admin saves it.
 *
 * - Both formats must hold the `#{content}` slot (where the reply goes); without it the layout
 *   is refused with a 422 naming the source (`body.source` when saved).
 * - MJML is compiled with validation level `strict`: an unknown element, an illegal attribute or
 *   a document that does not parse is refused with a 422 listing each problem and its line.
 *   `mj-include` is ignored (it would read the server's files), and the slot must survive
 *   compiling (a slot inside an attribute or a comment would not).
 * - HTML is stored as written: the layout is the admin's own markup.
 */
import { errors, type FieldIssue } from '../../../../core/mod.ts'
import { loadMjml } from './mjml.ts'

export const LAYOUT_FORMATS = ['mjml', 'html'] as const
export type LayoutFormat = (typeof LAYOUT_FORMATS)[number]

/** Where the reply goes in a layout. */
export const CONTENT_SLOT = '#{content}'

/** Large enough for any real layout, small enough that compiling one stays quick. */
export const MAX_LAYOUT_LENGTH = 200_000

/**
 * The HTML of a layout, or a 422 naming the source with every problem found. `at`: where the
 * request carries the source (a draft previewed before saving sits in `body.layout.source`).
 */
export async function compileLayout(format: LayoutFormat, source: string, at = 'body.source'): Promise<string> {
  const issue = (message: string, code: string): FieldIssue => ({ path: at, message, code })
  if (!source.includes(CONTENT_SLOT)) throw errors.invalid([issue(`the layout must contain ${CONTENT_SLOT} where the reply goes, e.g. <mj-text>${CONTENT_SLOT}</mj-text>`, 'content_slot_missing')])
  switch (format) {
    case 'html':
      return source
    case 'mjml':
      return compileMjml(source, issue)
    default: {
      const unreachable: never = format
      throw new Error(`unknown layout format ${String(unreachable)}`)
    }
  }
}

async function compileMjml(source: string, issue: (message: string, code: string) => FieldIssue): Promise<string> {
  if (!/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<mjml[\s>]/.test(source)) {
    throw errors.invalid([issue('an MJML layout starts with <mjml> and holds an <mj-body>; for plain HTML choose the format html', 'mjml_invalid')])
  }
  const mjml2html = await loadMjml()
  let html: string
  try {
    const result = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, keepComments: false })
    // Strict validation throws; a result still carrying errors is refused the same way.
    if (result.errors.length) throw Object.assign(new Error('MJML validation failed'), { errors: result.errors })
    html = result.html
  } catch (error) {
    const found = (error as { errors?: readonly { line?: number; message?: string; tagName?: string }[] }).errors
    const issues = found?.length
      ? found.map((e) => issue(`line ${e.line ?? '?'}${e.tagName ? ` <${e.tagName}>` : ''}: ${e.message ?? 'invalid'}`, 'mjml_invalid'))
      : [issue(`the MJML document does not parse (${(error as Error).message.trim() || 'unknown error'}); check that every tag is closed and the root is <mjml>`, 'mjml_invalid')]
    throw errors.invalid(issues, `the MJML layout has ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map((i) => i.message).join('; ')}`)
  }
  if (!html.includes(CONTENT_SLOT)) {
    throw errors.invalid([issue(`${CONTENT_SLOT} is lost when the MJML is compiled (inside an attribute or a comment?); put it in the text of an element such as <mj-text>`, 'content_slot_missing')])
  }
  return html
}
