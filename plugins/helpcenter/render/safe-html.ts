/**
 * HTML the platform has already made safe (notice and FAQ bodies after the sanitiser, a slot
 * another plugin contributes), marked by the presenter that builds a page. It is the only value
 * the themes' `raw` filter prints unescaped: a tenant's own string (a title, a visitor's name, a
 * string set) is never one, so `{{ name | raw }}` still escapes it.
 */
import { z } from '../../../core/mod.ts'

export class SanitisedHtml {
  readonly #html: string
  private constructor(html: string) {
    this.#html = html
  }
  /** Marks `html` as already sanitised; call it only on the sanitiser's output or the platform's own markup. */
  static trust(html: string): SanitisedHtml {
    return new SanitisedHtml(html)
  }
  /** What `{{ value }}` prints (escaped, so the markup shows as text) and `{{ value | raw }}` prints as is. */
  toString(): string {
    return this.#html
  }
}

/** The page-type schema of a sanitised HTML value. */
export const SanitisedHtmlSchema = z
  .custom<SanitisedHtml>((v) => v instanceof SanitisedHtml, { message: 'expected HTML marked as sanitised (SanitisedHtml.trust)' })
  .openapi({ description: 'HTML the platform sanitised; print it with `| raw`' })
