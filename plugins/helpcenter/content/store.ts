/**
 * The help center's content as plain data (content/migrations.ts has the tables), and the entry
 * rows: notices and FAQ entries with their translations, their lists, search and read counts.
 * Categories and tags are in taxonomy-store.ts, files in attachments-store.ts, votes in
 * votes-store.ts. Every statement runs in the caller's tenant transaction; the rules of what may
 * be saved are in entries.ts.
 */
import type { Queryable } from '../../../core/mod.ts'

export type ContentKind = 'notice' | 'faq'
/** Translated names by language code. */
export type Names = Record<string, string>

export interface Category {
  readonly id: string
  readonly number: number
  readonly kind: ContentKind
  readonly parentId: string | null
  readonly level: number
  readonly names: Names
  readonly orderNo: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface NoticeTag {
  readonly id: string
  readonly number: number
  readonly names: Names
  readonly orderNo: number
}

export interface EntryText {
  readonly title: string
  /** Sanitised HTML. */
  readonly html: string
}

export interface Attachment {
  readonly id: string
  readonly fileName: string
  readonly contentType: string
  readonly size: number
  readonly createdAt: string
}

export interface Entry {
  readonly id: string
  readonly number: number
  readonly kind: ContentKind
  readonly categoryId: string | null
  readonly tagIds: readonly string[]
  readonly isTop: boolean
  readonly isRecommend: boolean
  readonly published: boolean
  readonly publishAt: string | null
  readonly publishedAt: string | null
  /** When visitors see it dated: the scheduled time, else when it was published, else created. */
  readonly displayAt: string
  /** Published and its time has come (as of the statement). */
  readonly visible: boolean
  readonly readCount: number
  readonly texts: Readonly<Record<string, EntryText>>
  readonly createdAt: string
  readonly updatedAt: string
}

export const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString())
/**
 * Locks a category or entry row for the rest of the transaction: `share` while something is
 * attached to it (a child category, an entry, an attachment), `update` before deleting it, so
 * a delete and an attach at the same moment serialise and neither meets a foreign-key error.
 * Returns whether the row exists.
 */
export async function lockRow(tx: Queryable, table: 'helpcenter_categories' | 'helpcenter_entries', id: string, mode: 'share' | 'update'): Promise<boolean> {
  const rows = mode === 'share' ? await tx.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR SHARE`, [id]) : await tx.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id])
  return rows.length > 0
}

interface EntryRow {
  id: string
  number: string | number
  kind: ContentKind
  category_id: string | null
  tag_ids: string[]
  is_top: boolean
  is_recommend: boolean
  published: boolean
  publish_at: Date | null
  published_at: Date | null
  display_at: Date
  visible: boolean
  read_count: number
  texts: Record<string, EntryText> | null
  created_at: Date
  updated_at: Date
}

const toEntry = (row: EntryRow): Entry => ({
  id: row.id,
  number: Number(row.number),
  kind: row.kind,
  categoryId: row.category_id,
  tagIds: row.tag_ids,
  isTop: row.is_top,
  isRecommend: row.is_recommend,
  published: row.published,
  publishAt: iso(row.publish_at),
  publishedAt: iso(row.published_at),
  displayAt: iso(row.display_at)!,
  visible: row.visible,
  readCount: row.read_count,
  texts: row.texts ?? {},
  createdAt: iso(row.created_at)!,
  updatedAt: iso(row.updated_at)!,
})

/** An entry's columns and its translations (all, or the one language given). */
const ENTRY_SELECT = `
  SELECT e.id, e.number, e.kind, e.category_id, e.tag_ids, e.is_top, e.is_recommend, e.published, e.publish_at, e.published_at,
         coalesce(e.publish_at, e.published_at, e.created_at) AS display_at,
         (e.published AND (e.publish_at IS NULL OR e.publish_at <= now())) AS visible,
         e.read_count, e.created_at, e.updated_at,
         (SELECT jsonb_object_agg(t.language, jsonb_build_object('title', t.title, 'html', t.html))
            FROM helpcenter_entry_texts t WHERE t.service_id = e.service_id AND t.entry_id = e.id AND ($1::text IS NULL OR t.language = $1)) AS texts`

/** The column an entry list may sort by, as the seed product's API names it. */
export type EntrySortField = 'isTop' | 'isRecommend' | 'createdDt' | 'updatedDt' | 'displayDt'
export type EntrySort = readonly { field: EntrySortField; direction: 'asc' | 'desc' }[]

const SORT_COLUMNS: Record<EntrySortField, string> = {
  isTop: 'e.is_top',
  isRecommend: 'e.is_recommend',
  createdDt: 'e.created_at',
  updatedDt: 'e.updated_at',
  displayDt: 'coalesce(e.publish_at, e.published_at, e.created_at)',
}

export interface EntryFilter {
  kind: ContentKind
  /** Only entries with a translation in this language (and only that translation returned). */
  language?: string
  /** Entries in any of these categories. */
  categoryIds?: readonly string[]
  tagId?: string
  /** Only these entries, in this order unless `sort` is given (a search's ranking). */
  ids?: readonly string[]
  visibleOnly?: boolean
  published?: boolean
  /** Only pinned entries (notices: HOT; FAQ: on the home page). */
  pinnedOnly?: boolean
  sort?: EntrySort
  page: number
  pageSize: number
}

/** One page of entries and how many match in all. */
export async function listEntries(tx: Queryable, filter: EntryFilter): Promise<{ entries: Entry[]; total: number }> {
  const params: unknown[] = [filter.language ?? null, filter.kind]
  const where = ['e.kind = $2', '($1::text IS NULL OR EXISTS (SELECT 1 FROM helpcenter_entry_texts t WHERE t.service_id = e.service_id AND t.entry_id = e.id AND t.language = $1))']
  const param = (value: unknown) => `$${params.push(value)}`
  if (filter.categoryIds) where.push(`e.category_id = ANY(${param(filter.categoryIds)}::uuid[])`)
  if (filter.tagId) where.push(`${param(filter.tagId)}::uuid = ANY(e.tag_ids)`)
  if (filter.ids) where.push(`e.id = ANY(${param(filter.ids)}::uuid[])`)
  if (filter.visibleOnly) where.push('e.published AND (e.publish_at IS NULL OR e.publish_at <= now())')
  if (filter.published !== undefined) where.push(`e.published = ${param(filter.published)}`)
  if (filter.pinnedOnly) where.push('e.is_top')
  const conditions = where.join(' AND ')
  const [counted] = await tx.query<{ total: number }>(`SELECT count(*)::int AS total FROM helpcenter_entries e WHERE ${conditions}`, [...params])
  const order = filter.sort?.length
    ? filter.sort.map(({ field, direction }) => `${SORT_COLUMNS[field]} ${direction === 'asc' ? 'ASC' : 'DESC'}`)
    : filter.ids
      ? [`array_position(${param(filter.ids)}::uuid[], e.id)`]
      : ['e.updated_at DESC']
  const limit = param(filter.pageSize)
  const offset = param((filter.page - 1) * filter.pageSize)
  const rows = await tx.query<EntryRow>(`${ENTRY_SELECT} FROM helpcenter_entries e WHERE ${conditions} ORDER BY ${[...order, 'e.number DESC'].join(', ')} LIMIT ${limit} OFFSET ${offset}`, params)
  const total = counted!.total
  return { entries: rows.map(toEntry), total }
}

/** One entry by id or by its number, with all its translations or the one of `language`. */
export async function findEntry(tx: Queryable, kind: ContentKind, key: { id: string } | { number: number }, language: string | null = null): Promise<Entry | null> {
  const [row] =
    'id' in key
      ? await tx.query<EntryRow>(`${ENTRY_SELECT} FROM helpcenter_entries e WHERE e.kind = $2 AND e.id = $3`, [language, kind, key.id])
      : await tx.query<EntryRow>(`${ENTRY_SELECT} FROM helpcenter_entries e WHERE e.kind = $2 AND e.number = $3`, [language, kind, key.number])
  return row ? toEntry(row) : null
}

export interface EntryColumns {
  categoryId: string | null
  tagIds: readonly string[]
  isTop: boolean
  isRecommend: boolean
  published: boolean
  publishAt: string | null
}

export async function insertEntry(tx: Queryable, kind: ContentKind, columns: EntryColumns): Promise<string> {
  const [row] = await tx.sql<{ id: string }>`
    INSERT INTO helpcenter_entries (kind, category_id, tag_ids, is_top, is_recommend, published, publish_at, published_at)
    VALUES (${kind}, ${columns.categoryId}, ${columns.tagIds as string[]}::uuid[], ${columns.isTop}, ${columns.isRecommend}, ${columns.published}, ${columns.publishAt},
            CASE WHEN ${columns.published} THEN now() END)
    RETURNING id`
  return row!.id
}

/** Writes the columns; `published_at` is when it was last switched to published. */
export async function updateEntry(tx: Queryable, id: string, columns: EntryColumns): Promise<void> {
  await tx.sql`
    UPDATE helpcenter_entries SET category_id = ${columns.categoryId}, tag_ids = ${columns.tagIds as string[]}::uuid[], is_top = ${columns.isTop},
      is_recommend = ${columns.isRecommend}, publish_at = ${columns.publishAt},
      published_at = CASE WHEN ${columns.published} AND NOT published THEN now() WHEN ${columns.published} THEN published_at END,
      published = ${columns.published}, updated_at = now()
    WHERE id = ${id}`
}

/** Writes one translation (`body` is the text of `html`, for the search). */
export async function saveText(tx: Queryable, entryId: string, language: string, text: { title: string; html: string; body: string }): Promise<void> {
  await tx.sql`
    INSERT INTO helpcenter_entry_texts (entry_id, language, title, html, body) VALUES (${entryId}, ${language}, ${text.title}, ${text.html}, ${text.body})
    ON CONFLICT (service_id, entry_id, language) DO UPDATE SET title = excluded.title, html = excluded.html, body = excluded.body`
}

export async function deleteText(tx: Queryable, entryId: string, language: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_entry_texts WHERE entry_id = ${entryId} AND language = ${language}`
}

/** Deletes the entry (translations, attachments and votes with it); returns its blobs' keys. */
export async function deleteEntry(tx: Queryable, id: string): Promise<string[]> {
  const keys = (await tx.sql<{ blob_key: string }>`SELECT blob_key FROM helpcenter_entry_attachments WHERE entry_id = ${id}`).map((row) => row.blob_key)
  await tx.sql`DELETE FROM helpcenter_entries WHERE id = ${id}`
  return keys
}

/** Counts one more read and returns the new count. */
export async function countRead(tx: Queryable, id: string): Promise<number> {
  const [row] = await tx.sql<{ read_count: number }>`UPDATE helpcenter_entries SET read_count = read_count + 1 WHERE id = ${id} RETURNING read_count`
  return row?.read_count ?? 0
}

/** Ids of the entries whose text matches `query` (searchQuery text), best first; see helpcenter_search. */
export async function searchEntryIds(tx: Queryable, kinds: readonly ContentKind[], language: string, query: string, visibleOnly: boolean): Promise<string[]> {
  const [row] = await tx.sql<{ ids: string[] }>`SELECT helpcenter_search(${kinds as string[]}::text[], ${language}, ${query}, ${visibleOnly}) AS ids`
  return row!.ids
}

/** The kind of each of these entries. */
export async function kindsOf(tx: Queryable, ids: readonly string[]): Promise<Map<string, ContentKind>> {
  if (!ids.length) return new Map()
  const rows = await tx.sql<{ id: string; kind: ContentKind }>`SELECT id, kind FROM helpcenter_entries WHERE id = ANY(${ids as string[]}::uuid[])`
  return new Map(rows.map((row) => [row.id, row.kind]))
}
