/**
 * The rules of saving help-center content: languages are the service's help-center languages,
 * notice categories have one level and FAQ categories up to three, an entry's category is of its
 * own kind, tags exist, HTML is cleaned through the core's allowlist on save, and a category in
 * use is not deleted. Each function runs in the caller's one transaction.
 */
import { htmlText, sanitizeHtml, type Service, type Queryable } from '../../../core/mod.ts'
import { contentError, invalidAt, notFoundAt } from './errors.ts'
import type { EntryInput } from './schemas.ts'
import { deleteText, findEntry, insertEntry, lockRow, saveText, updateEntry, type Category, type ContentKind, type Entry, type EntrySort, type Names } from './store.ts'
import { categoryUsage, deleteCategory, existingTagIds, findCategory, insertCategory, listCategories, updateCategory } from './taxonomy-store.ts'
import { attachmentsOf } from './attachments-store.ts'

/** The seed product's default orders (VENDOR-APIS.md §1b). */
export function defaultSort(kind: ContentKind, withCategory: boolean): EntrySort {
  if (kind === 'notice') return [{ field: 'isTop', direction: 'desc' }, { field: 'displayDt', direction: 'desc' }, { field: 'updatedDt', direction: 'desc' }]
  return withCategory
    ? [{ field: 'isTop', direction: 'desc' }, { field: 'isRecommend', direction: 'desc' }, { field: 'updatedDt', direction: 'desc' }]
    : [{ field: 'isTop', direction: 'desc' }, { field: 'updatedDt', direction: 'desc' }]
}

/** The category and every category below it. */
export async function categoryAndBelow(tx: Queryable, kind: ContentKind, id: string): Promise<string[]> {
  const categories = await listCategories(tx, kind)
  const below = [id]
  for (const category of categories) if (category.parentId && below.includes(category.parentId)) below.push(category.id)
  return below
}

/** How deep each kind's category tree goes. */
export const MAX_CATEGORY_LEVEL: Record<ContentKind, number> = { notice: 1, faq: 3 }

export const KIND_NOUN: Record<ContentKind, string> = { notice: 'notice', faq: 'FAQ entry' }

/** Refuses language codes that are not the service's help-center languages. */
export function checkLanguages(service: Pick<Service, 'languages'>, record: Record<string, unknown>, path: string): void {
  const unknown = Object.keys(record).find((code) => !service.languages.includes(code))
  if (unknown) throw invalidAt(`${path}.${unknown}`, `'${unknown}' is not a language of this service (${service.languages.join(', ')}); add it to the service's languages or use one of them`, 'unknown_language')
}

/** The category, locked as `lock` says (see lockRow); 404 at a path parameter, 422 at a body field. */
export async function existingCategory(tx: Queryable, kind: ContentKind, id: string, path = 'path.id', lock?: 'share' | 'update'): Promise<Category> {
  if (lock) await lockRow(tx, 'helpcenter_categories', id, lock)
  const category = await findCategory(tx, kind, id)
  if (!category) throw path.startsWith('path') ? notFoundAt(path, `${kind} category`, id) : invalidAt(path, `'${id}' is not a ${kind} category of this service; list them at /${kind === 'faq' ? 'faq' : 'notice'}-categories`, 'unknown_reference')
  return category
}

export async function createCategory(tx: Queryable, service: Service, kind: ContentKind, input: { names: Names; parentId?: string | null; orderNo?: number }): Promise<Category> {
  checkLanguages(service, input.names, 'body.names')
  const parentId = input.parentId ?? null
  let level = 1
  if (parentId) {
    if (MAX_CATEGORY_LEVEL[kind] === 1) throw invalidAt('body.parentId', 'notice categories have one level; leave parentId out')
    const parent = await existingCategory(tx, kind, parentId, 'body.parentId', 'share')
    level = parent.level + 1
    if (level > MAX_CATEGORY_LEVEL[kind]) throw invalidAt('body.parentId', `FAQ categories go ${MAX_CATEGORY_LEVEL[kind]} levels deep and this parent is on level ${parent.level}; pick a parent higher up`, 'too_deep')
  }
  const siblings = (await listCategories(tx, kind)).filter((category) => category.parentId === parentId)
  const orderNo = input.orderNo ?? (siblings.length ? Math.max(...siblings.map((s) => s.orderNo)) + 1 : 0)
  return insertCategory(tx, kind, { parentId, level, names: input.names, orderNo })
}

export async function changeCategory(tx: Queryable, service: Service, kind: ContentKind, id: string, patch: { names?: Names; orderNo?: number }): Promise<Category> {
  const before = await existingCategory(tx, kind, id)
  if (patch.names) checkLanguages(service, patch.names, 'body.names')
  return updateCategory(tx, id, { names: patch.names ?? before.names, orderNo: patch.orderNo ?? before.orderNo })
}

export async function removeCategory(tx: Queryable, kind: ContentKind, id: string): Promise<Category> {
  const before = await existingCategory(tx, kind, id, 'path.id', 'update')
  const usage = await categoryUsage(tx, id)
  if (usage.children || usage.entries) {
    throw contentError('HELPCENTER_CATEGORY_IN_USE', `${kind} category '${id}' still has ${usage.children} sub-categories and ${usage.entries} entries; move or delete them first`)
  }
  await deleteCategory(tx, id)
  return before
}

/** The entry, locked as `lock` says (see lockRow), or 404. */
export async function existingEntry(tx: Queryable, kind: ContentKind, id: string, lock?: 'share' | 'update'): Promise<Entry> {
  if (lock) await lockRow(tx, 'helpcenter_entries', id, lock)
  const entry = await findEntry(tx, kind, { id })
  if (!entry) throw notFoundAt('path.id', KIND_NOUN[kind], id)
  return entry
}

/**
 * Creates (`id` null) or changes an entry: the columns given replace the stored ones, each
 * translation given replaces that language's (null removes it), and an entry keeps at least one.
 */
export async function saveEntry(tx: Queryable, service: Service, kind: ContentKind, id: string | null, input: EntryInput): Promise<Entry> {
  const before = id ? await existingEntry(tx, kind, id, 'update') : null
  const translations = input.translations ?? {}
  checkLanguages(service, translations, 'body.translations')
  const categoryId = input.categoryId === undefined ? (before?.categoryId ?? null) : input.categoryId
  if (categoryId && categoryId !== before?.categoryId) await existingCategory(tx, kind, categoryId, 'body.categoryId', 'share')
  const tagIds = [...new Set(input.tagIds ?? before?.tagIds ?? [])]
  const known = await existingTagIds(tx, tagIds)
  const unknownTag = tagIds.findIndex((tag) => !known.has(tag))
  if (unknownTag >= 0) throw invalidAt(`body.tagIds.${unknownTag}`, `'${tagIds[unknownTag]}' is not a notice tag of this service; list them at /notice-tags`, 'unknown_reference')
  const columns = {
    categoryId,
    tagIds,
    isTop: input.isTop ?? before?.isTop ?? false,
    isRecommend: input.isRecommend ?? before?.isRecommend ?? false,
    published: input.published ?? before?.published ?? false,
    publishAt: input.publishAt === undefined ? (before?.publishAt ?? null) : input.publishAt && new Date(input.publishAt).toISOString(),
  }
  const remaining = new Set(Object.keys(before?.texts ?? {}))
  for (const [language, text] of Object.entries(translations)) text ? remaining.add(language) : remaining.delete(language)
  if (!remaining.size) throw invalidAt('body.translations', `a ${KIND_NOUN[kind]} needs a title and text in at least one language (${service.languages.join(', ')})`, 'required')
  const entryId = id ?? (await insertEntry(tx, kind, columns))
  if (id) await updateEntry(tx, id, columns)
  for (const [language, text] of Object.entries(translations)) {
    if (!text) await deleteText(tx, entryId, language)
    else {
      const html = sanitizeHtml(text.html)
      await saveText(tx, entryId, language, { title: text.title, html, body: htmlText(html) })
    }
  }
  return (await findEntry(tx, kind, { id: entryId }))!
}

/** The management API's views of entries, their attachments read in one statement. */
export async function entryViews(tx: Queryable, entries: readonly Entry[]) {
  const files = await attachmentsOf(tx, entries.map((entry) => entry.id))
  return entries.map((entry) => {
    const { texts, tagIds, isRecommend, kind: _kind, ...rest } = entry
    const common = { ...rest, translations: texts, attachments: files.get(entry.id)! }
    return entry.kind === 'notice' ? { ...common, tagIds: [...tagIds] } : { ...common, isRecommend }
  })
}

/** The management API's view of an entry. */
export const entryView = async (tx: Queryable, entry: Entry) => (await entryViews(tx, [entry]))[0]!
