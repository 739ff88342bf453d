/**
 * What visitors read of the help center's content, as plain data for the pages and the content
 * API: only entries that are published and whose time has come, each in one language (entries
 * without that translation are not shown in it), categories and tags named in that language.
 *
 * Every function takes the tenant transaction and the service (for its default language, which
 * names a category or tag that has no name in the language asked for).
 *
 * @example
 * const page = await c.var.db.tx((tx) => noticeList(tx, service, { language: 'ko', page: 1, pageSize: 10 }))
 * // page.items[0].isTop first, then newest shown first; page.total, page.pages
 */
import { searchQuery, type Service, type Queryable } from '../../../core/mod.ts'
import { categoryAndBelow, defaultSort } from './entries.ts'
import { countRead, findEntry, kindsOf, listEntries, searchEntryIds, type Attachment, type Category, type ContentKind, type Entry, type EntrySort, type Names, type NoticeTag } from './store.ts'
import { listCategories, listTags } from './taxonomy-store.ts'
import { findAttachment, listAttachments } from './attachments-store.ts'

/** An entry shown as new for this long after its display date. */
export const NEW_FOR_MS = 7 * 24 * 60 * 60 * 1000

export interface PublicCategory {
  id: string
  number: number
  parentId: string | null
  level: number
  name: string
  /** Every translated name. */
  names: Names
  orderNo: number
  /** Ancestors from the root, this category last. */
  path: { id: string; number: number; name: string }[]
}

export interface PublicCategoryNode extends PublicCategory {
  children: PublicCategoryNode[]
}

export interface PublicTag {
  id: string
  number: number
  name: string
  names: Names
}

export interface PublicEntry {
  id: string
  number: number
  kind: ContentKind
  title: string
  html: string
  category: PublicCategory | null
  tags: PublicTag[]
  isTop: boolean
  isRecommend: boolean
  isNew: boolean
  displayAt: string
  createdAt: string
  updatedAt: string
  readCount: number
}

export interface PublicEntryDetail extends PublicEntry {
  attachments: Attachment[]
}

export interface PublicPage<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
  pages: number
}

export interface PageRequest {
  language: string
  page: number
  pageSize: number
}

/** The name in `language`, else in the service's default language, else the first there is. */
export const nameIn = (names: Names, language: string, service: Pick<Service, 'defaultLanguage'>): string => names[language] ?? names[service.defaultLanguage] ?? Object.values(names)[0] ?? ''

function publicCategories(categories: readonly Category[], language: string, service: Service): Map<string, PublicCategory> {
  const byId = new Map<string, PublicCategory>()
  // Parents come before their children (listCategories), so a parent's path is ready first.
  for (const category of categories) {
    const name = nameIn(category.names, language, service)
    const above = category.parentId ? (byId.get(category.parentId)?.path ?? []) : []
    byId.set(category.id, { id: category.id, number: category.number, parentId: category.parentId, level: category.level, name, names: category.names, orderNo: category.orderNo, path: [...above, { id: category.id, number: category.number, name }] })
  }
  return byId
}

const publicTags = (tags: readonly NoticeTag[], language: string, service: Service) => new Map(tags.map((tag) => [tag.id, { id: tag.id, number: tag.number, name: nameIn(tag.names, language, service), names: tag.names }]))

/** Turns stored entries into what visitors see, naming categories and tags in the language. */
async function presenter(tx: Queryable, service: Service, language: string) {
  const categories = { notice: publicCategories(await listCategories(tx, 'notice'), language, service), faq: publicCategories(await listCategories(tx, 'faq'), language, service) }
  const tags = publicTags(await listTags(tx), language, service)
  const now = Date.now()
  return (entry: Entry): PublicEntry => {
    const text = entry.texts[language]!
    return {
      id: entry.id,
      number: entry.number,
      kind: entry.kind,
      title: text.title,
      html: text.html,
      category: entry.categoryId ? (categories[entry.kind].get(entry.categoryId) ?? null) : null,
      tags: entry.tagIds.flatMap((id) => tags.get(id) ?? []),
      isTop: entry.isTop,
      isRecommend: entry.isRecommend,
      isNew: now - Date.parse(entry.displayAt) < NEW_FOR_MS,
      displayAt: entry.displayAt,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
      readCount: entry.readCount,
    }
  }
}

const paged = <T>(items: T[], total: number, request: PageRequest): PublicPage<T> => ({ items, total, page: request.page, pageSize: request.pageSize, pages: Math.ceil(total / request.pageSize) })

interface ListRequest extends PageRequest {
  categoryId?: string
  tagId?: string
  /** Default: the seed product's (pinned first; notices newest shown first, FAQ latest changed). */
  sort?: EntrySort
  /** Search words within the list; with them, best match first unless `sort` is given. */
  q?: string
  /** Only pinned entries. */
  pinnedOnly?: boolean
}

async function visibleList(tx: Queryable, service: Service, kind: ContentKind, request: ListRequest): Promise<PublicPage<PublicEntry>> {
  const categoryIds = request.categoryId ? await categoryAndBelow(tx, kind, request.categoryId) : undefined
  const words = request.q?.trim() ? searchQuery(request.q) : undefined
  if (words === null) return paged([], 0, request)
  const ids = words ? await searchEntryIds(tx, [kind], request.language, words, true) : undefined
  const sort = request.sort ?? (ids ? undefined : defaultSort(kind, categoryIds !== undefined))
  const found = await listEntries(tx, { kind, language: request.language, categoryIds, tagId: request.tagId, ids, visibleOnly: true, pinnedOnly: request.pinnedOnly, sort, page: request.page, pageSize: request.pageSize })
  const show = await presenter(tx, service, request.language)
  return paged(found.entries.map(show), found.total, request)
}

/** Published notices: pinned ("HOT") first, then newest shown first; by category or tag. */
export const noticeList = (tx: Queryable, service: Service, request: ListRequest) => visibleList(tx, service, 'notice', request)

/** Published FAQ entries: pinned first (in a category, pinned there next), then latest changed. */
export const faqList = (tx: Queryable, service: Service, request: ListRequest) => visibleList(tx, service, 'faq', request)

/** The FAQ entries pinned on the home page (isTop), latest changed first. */
export async function homeFaqs(tx: Queryable, service: Service, language: string, limit = 10): Promise<PublicEntry[]> {
  return (await faqList(tx, service, { language, pinnedOnly: true, page: 1, pageSize: limit })).items
}

/**
 * One published entry by id or number in the language, with its attachments; counts a read
 * (`countRead: false` for a preview that should not). Null when it is not visible in it.
 */
async function visibleDetail(tx: Queryable, service: Service, kind: ContentKind, key: { id: string } | { number: number }, language: string, options: { countRead?: boolean } = {}): Promise<PublicEntryDetail | null> {
  const entry = await findEntry(tx, kind, key, language)
  if (!entry || !entry.visible || !entry.texts[language]) return null
  const readCount = options.countRead === false ? entry.readCount : await countRead(tx, entry.id)
  const show = await presenter(tx, service, language)
  return { ...show({ ...entry, readCount }), attachments: await listAttachments(tx, entry.id) }
}

export const noticeDetail = (tx: Queryable, service: Service, key: { id: string } | { number: number }, language: string, options?: { countRead?: boolean }) => visibleDetail(tx, service, 'notice', key, language, options)
export const faqDetail = (tx: Queryable, service: Service, key: { id: string } | { number: number }, language: string, options?: { countRead?: boolean }) => visibleDetail(tx, service, 'faq', key, language, options)

/** A visible entry's attachment, with its blob key; null when the entry is not visible or has no such file. */
export async function visibleAttachment(tx: Queryable, kind: ContentKind, attachmentId: string): Promise<(Attachment & { blobKey: string }) | null> {
  const [row] = await tx.sql<{ entry_id: string }>`SELECT entry_id FROM helpcenter_entry_attachments WHERE id = ${attachmentId}`
  const entry = row && (await findEntry(tx, kind, { id: row.entry_id }))
  if (!entry || !entry.visible) return null
  return findAttachment(tx, entry.id, attachmentId)
}

/** Categories of a kind in the language, flat: parents before children, siblings by orderNo. */
export async function categoryList(tx: Queryable, service: Service, kind: ContentKind, language: string): Promise<PublicCategory[]> {
  return [...publicCategories(await listCategories(tx, kind), language, service).values()]
}

/** The FAQ categories as a tree in the language (up to three levels). */
export async function faqCategoryTree(tx: Queryable, service: Service, language: string): Promise<PublicCategoryNode[]> {
  const nodes = new Map<string, PublicCategoryNode>()
  const roots: PublicCategoryNode[] = []
  for (const category of await categoryList(tx, service, 'faq', language)) {
    const node = { ...category, children: [] }
    nodes.set(category.id, node)
    ;(category.parentId ? nodes.get(category.parentId)!.children : roots).push(node)
  }
  return roots
}

/** The notice tags in the language, by orderNo. */
export async function noticeTags(tx: Queryable, service: Service, language: string): Promise<PublicTag[]> {
  return [...publicTags(await listTags(tx), language, service).values()]
}

/**
 * Notices and FAQ entries whose text in the language matches `q`, best match first (a match in
 * the title weighs double, then by text rank and latest change); empty when `q` has no word.
 */
export async function searchContent(tx: Queryable, service: Service, request: PageRequest & { q: string; kinds?: readonly ContentKind[] }): Promise<PublicPage<PublicEntry>> {
  const words = searchQuery(request.q)
  if (!words) return paged([], 0, request)
  const ids = await searchEntryIds(tx, request.kinds ?? ['notice', 'faq'], request.language, words, true)
  const pageIds = ids.slice((request.page - 1) * request.pageSize, request.page * request.pageSize)
  const kinds = await kindsOf(tx, pageIds)
  const show = await presenter(tx, service, request.language)
  const entries = new Map<string, Entry>()
  for (const kind of ['notice', 'faq'] as const) {
    const ofKind = pageIds.filter((id) => kinds.get(id) === kind)
    if (ofKind.length) for (const entry of (await listEntries(tx, { kind, language: request.language, ids: ofKind, visibleOnly: true, page: 1, pageSize: ofKind.length })).entries) entries.set(entry.id, entry)
  }
  return paged(pageIds.flatMap((id) => (entries.has(id) ? [show(entries.get(id)!)] : [])), ids.length, request)
}

/**
 * A value that changes whenever what visitors may see of the content changes: an entry,
 * translation, category, tag or attachment written or deleted, or a scheduled entry whose time
 * came (no write happens then, so the number of due entries is part of it). Read counts and
 * votes leave it alone. For caching rendered pages per content version.
 */
export async function contentVersion(tx: Queryable): Promise<string> {
  const [row] = await tx.sql<{ version: string }>`
    SELECT concat_ws(':',
      (SELECT count(*) || '.' || coalesce(max(updated_at)::text, '-') || '.' || count(*) FILTER (WHERE published AND (publish_at IS NULL OR publish_at <= now())) FROM helpcenter_entries),
      (SELECT count(*) || '.' || coalesce(max(updated_at)::text, '-') FROM helpcenter_categories),
      (SELECT count(*) || '.' || coalesce(max(updated_at)::text, '-') FROM helpcenter_notice_tags),
      (SELECT count(*) || '.' || coalesce(max(created_at)::text, '-') FROM helpcenter_entry_attachments)) AS version`
  return row!.version
}
