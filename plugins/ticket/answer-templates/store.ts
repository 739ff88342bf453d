/** Answer template rows: write, read, and search by title and content with a cursor. */
import type { Queryable } from '../../../core/mod.ts'

export interface AnswerTemplate {
  readonly id: string
  readonly seq: string
  readonly title: string
  readonly content: string
  readonly createdAt: string
  readonly updatedAt: string
}

interface TemplateRow {
  id: string
  seq: string | number
  title: string
  content: string
  created_at: Date | string
  updated_at: Date | string
}

const toTemplate = (row: TemplateRow): AnswerTemplate => ({
  id: row.id,
  seq: String(row.seq),
  title: row.title,
  content: row.content,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
})

/**
 * Text folded for search: NFKC (full-width Ｒｅｆｕｎｄ and half-width forms become plain
 * letters; Hangul stays composed) and lowercase. Korean has no case, so Hangul passes unchanged
 * and a query matches anywhere inside words, particles included.
 */
export const searchKey = (text: string) => text.normalize('NFKC').toLowerCase()

export async function insertTemplate(tx: Queryable, input: { title: string; content: string }): Promise<AnswerTemplate> {
  const [row] = await tx.sql<TemplateRow>`
    INSERT INTO ticket_answer_templates (title, content, search_text) VALUES (${input.title}, ${input.content}, ${searchKey(`${input.title}\n${input.content}`)})
    RETURNING id, seq, title, content, created_at, updated_at`
  return toTemplate(row!)
}

export async function updateTemplate(tx: Queryable, id: string, input: { title: string; content: string }): Promise<AnswerTemplate> {
  const [row] = await tx.sql<TemplateRow>`
    UPDATE ticket_answer_templates SET title = ${input.title}, content = ${input.content}, search_text = ${searchKey(`${input.title}\n${input.content}`)}, updated_at = now()
    WHERE id = ${id} RETURNING id, seq, title, content, created_at, updated_at`
  return toTemplate(row!)
}

export async function deleteTemplate(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM ticket_answer_templates WHERE id = ${id}`
}

export async function findTemplate(tx: Queryable, id: string): Promise<AnswerTemplate | null> {
  const [row] = await tx.sql<TemplateRow>`SELECT id, seq, title, content, created_at, updated_at FROM ticket_answer_templates WHERE id = ${id}`
  return row ? toTemplate(row) : null
}

export interface TemplateSearch {
  /** Text to find in the title or content, any case, any width. */
  readonly query?: string | undefined
  /** Only templates linked to this processing category. */
  readonly categoryId?: string | undefined
  /** `seq` of the last template of the previous page. */
  readonly afterSeq: string | null
  readonly limit: number
}

/** Newest first; one more row than `limit` is read to tell whether another page follows. */
export async function searchTemplates(tx: Queryable, search: TemplateSearch): Promise<{ templates: AnswerTemplate[]; more: boolean }> {
  const needle = search.query ? searchKey(search.query.trim()) : null
  const rows = await tx.sql<TemplateRow>`
    SELECT t.id, t.seq, t.title, t.content, t.created_at, t.updated_at FROM ticket_answer_templates t
    WHERE (${needle}::text IS NULL OR strpos(t.search_text, ${needle}::text) > 0)
      AND (${search.categoryId ?? null}::uuid IS NULL OR EXISTS (
        SELECT 1 FROM ticket_answer_template_links l WHERE l.template_id = t.id AND l.category_id = ${search.categoryId ?? null}::uuid))
      AND (${search.afterSeq}::bigint IS NULL OR t.seq < ${search.afterSeq}::bigint)
    ORDER BY t.seq DESC
    LIMIT ${search.limit + 1}`
  return { templates: rows.slice(0, search.limit).map(toTemplate), more: rows.length > search.limit }
}

/** Templates by id, in the order of `ids` (missing ones left out). */
export async function templatesByIds(tx: Queryable, ids: readonly string[]): Promise<AnswerTemplate[]> {
  if (!ids.length) return []
  const rows = await tx.sql<TemplateRow>`SELECT id, seq, title, content, created_at, updated_at FROM ticket_answer_templates WHERE id::text = ANY(string_to_array(${ids.join(',')}, ','))`
  const byId = new Map(rows.map((r) => [r.id, toTemplate(r)]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}
