/** Templates as the API shows them: with the categories they are linked to. */
import type { Queryable } from '../../../core/mod.ts'
import { linkedCategoryIds } from './links-store.ts'
import type { AnswerTemplateView } from './schemas.ts'
import type { AnswerTemplate } from './store.ts'

export async function templateViews(tx: Queryable, templates: readonly AnswerTemplate[]): Promise<AnswerTemplateView[]> {
  const links = await linkedCategoryIds(tx, templates.map((t) => t.id))
  return templates.map((t) => ({ id: t.id, title: t.title, content: t.content, categoryIds: links.get(t.id) ?? [], createdAt: t.createdAt, updatedAt: t.updatedAt }))
}

/** The opaque cursor of a page: the last template's sequence number. */
export const encodeCursor = (seq: string) => btoa(seq).replaceAll('=', '')

/** The sequence number in a cursor, or null when it is not one this list gave out. */
export function decodeCursor(cursor: string): string | null {
  try {
    const seq = atob(cursor)
    return /^\d{1,19}$/.test(seq) ? seq : null
  } catch {
    return null
  }
}
