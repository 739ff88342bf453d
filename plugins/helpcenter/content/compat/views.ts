/**
 * What visitors read (public-read.ts) in the seed product's field names (VENDOR-APIS.md §1b),
 * and its `sort` parameter read into the entry list's order.
 */
import type { Service } from '../../../../core/mod.ts'
import type { PublicCategory, PublicEntry, PublicEntryDetail } from '../public-read.ts'
import type { Attachment, EntrySort, EntrySortField } from '../store.ts'
import { ContentCompatError } from './envelope.ts'

const ms = (iso: string) => Date.parse(iso)

/** `\` then each ancestor's number followed by `\` (a top-level category: `\`). */
export function compatCategoryView(category: PublicCategory) {
  const ancestors = category.path.slice(0, -1)
  return {
    categoryId: category.number,
    parent: ancestors.at(-1)?.number ?? 0,
    name: category.name,
    level: category.level,
    path: `\\${ancestors.map((a) => `${a.number}\\`).join('')}`,
    orderNo: category.orderNo,
    languages: category.names,
  }
}

const attachmentView = (file: Attachment) => ({ attachmentId: file.id, fileName: file.fileName, contentType: file.contentType, size: file.size })

export function compatNoticeView(notice: PublicEntry) {
  return {
    noticeId: notice.number,
    categoryId: notice.category?.number ?? null,
    categoryName: notice.category?.name ?? null,
    isTop: notice.isTop,
    title: notice.title,
    content: notice.html,
    displayDt: ms(notice.displayAt),
    updatedDt: ms(notice.updatedAt),
    tagStr: notice.tags.map((tag) => tag.name).join(','),
    isNew: notice.isNew,
  }
}

export function compatNoticeDetailView(notice: PublicEntryDetail) {
  const { tagStr: _tagStr, ...listed } = compatNoticeView(notice)
  return { ...listed, readCnt: notice.readCount, attachmentYn: notice.attachments.length > 0, attachments: notice.attachments.map(attachmentView), tags: notice.tags.map((tag) => ({ tagId: tag.number, tag: tag.name })) }
}

export function compatHelpDocView(doc: PublicEntry) {
  return {
    helpDocId: doc.number,
    title: doc.title,
    content: doc.html,
    categoryId: doc.category?.number ?? null,
    categoryName: doc.category?.name ?? null,
    isTop: doc.isTop,
    isRecommend: doc.isRecommend,
    isNew: doc.isNew,
    createdDt: ms(doc.createdAt),
    updatedDt: ms(doc.updatedAt),
  }
}

/** The detail with its category, the categories from the root to it, and their names joined by `>`. */
export function compatHelpDocDetailView(doc: PublicEntryDetail, categories: readonly PublicCategory[]) {
  const byId = new Map(categories.map((category) => [category.id, category]))
  const lineage = (doc.category?.path ?? []).flatMap((step) => byId.get(step.id) ?? [])
  return {
    ...compatHelpDocView(doc),
    readCnt: doc.readCount,
    attachmentYn: doc.attachments.length > 0,
    categoryFullName: doc.category ? doc.category.path.map((step) => step.name).join('>') : null,
    category: doc.category ? compatCategoryView(doc.category) : null,
    parentCategoryList: lineage.map(compatCategoryView),
    attachments: doc.attachments.map(attachmentView),
  }
}

/** The service's languages named in themselves (한국어, English), the default first. */
export function compatServiceView(service: Service) {
  const languages = [service.defaultLanguage, ...service.languages.filter((code) => code !== service.defaultLanguage)]
  const nameOf = (code: string) => {
    try {
      return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code
    } catch {
      return code
    }
  }
  return {
    serviceId: service.code,
    name: service.name,
    profile: { fileUrl: null },
    language: service.defaultLanguage,
    languages: languages.map((code, orderNo) => ({ code, name: nameOf(code), orderNo: orderNo + 1 })),
    multiLanguage: languages.length > 1,
  }
}

/**
 * `sort` (`field:asc|desc` joined by commas) over the fields the call allows; a field without a
 * direction sorts descending. Unknown fields or directions are refused naming them.
 */
export function parseCompatSort(sort: string | undefined, allowed: readonly EntrySortField[]): EntrySort | undefined {
  if (!sort?.trim()) return undefined
  return sort.split(',').map((part) => {
    const [field = '', direction = 'desc', ...rest] = part.trim().split(':')
    if (!allowed.includes(field as EntrySortField) || (direction !== 'asc' && direction !== 'desc') || rest.length) {
      throw new ContentCompatError(400, `sort '${part.trim()}' is not valid: write field:asc or field:desc with the field one of ${allowed.join(', ')}`)
    }
    return { field: field as EntrySortField, direction }
  })
}
