/**
 * The shapes of the seed product's help-center content calls (C16, VENDOR-APIS.md §1b), one zod
 * declaration each for validation and the service's OpenAPI document. Request objects are not
 * strict: existing clients may send parameters we do not use, and those are ignored. Where the
 * vendor's tables and samples disagree, answers use one form: times in epoch milliseconds,
 * `isTop`, `isRecommend`, `isNew` and `attachmentYn` as booleans, `tagStr` comma-joined.
 */
import { z } from '../../../../core/mod.ts'

export const TAG = 'Online Contact help-center content API (compat)'

const Languages = z.record(z.string(), z.string()).openapi({ description: 'The name per language code' })
const EpochMs = z.number().int().openapi({ description: 'Epoch milliseconds' })

export const LanguageQuery = z.object({ language: z.string().max(16).optional().openapi({ description: "Default: the service's default language" }) })

const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(10),
  query: z.string().max(200).optional().openapi({ description: 'Search words; ranked, Korean words found inside compounds and with particles' }),
  sort: z.string().max(200).optional().openapi({ description: '`field:asc|desc` joined by commas' }),
}
export const NoticeListQuery = LanguageQuery.extend({ ...paging, categoryId: z.coerce.number().int().optional(), tagId: z.coerce.number().int().optional() })
export const HelpDocListQuery = LanguageQuery.extend({ ...paging, categoryId: z.coerce.number().int().optional() })
export const DownloadQuery = z.object({ type: z.enum(['open', 'download']).default('download') })

export const CompatContentCategory = z
  .object({
    categoryId: z.number().int(),
    parent: z.number().int().openapi({ description: '0 for a top-level category' }),
    name: z.string(),
    level: z.number().int().min(1).max(3),
    path: z.string().openapi({ description: 'Ancestor ids, each followed by `\\`, after a leading `\\`', example: '\\2546\\' }),
    orderNo: z.number().int(),
    languages: Languages,
  })
  .openapi('HelpCenterCompatCategory')

export const CompatTag = z.object({ tagId: z.number().int(), tag: z.string(), languages: Languages }).openapi('HelpCenterCompatTag')

export const CompatAttachment = z.object({ attachmentId: z.string(), fileName: z.string(), contentType: z.string(), size: z.number().int() }).openapi('HelpCenterCompatAttachment')

export const CompatNotice = z
  .object({
    noticeId: z.number().int(),
    categoryId: z.number().int().nullable(),
    categoryName: z.string().nullable(),
    isTop: z.boolean(),
    title: z.string(),
    content: z.string().openapi({ description: 'HTML' }),
    displayDt: EpochMs,
    updatedDt: EpochMs,
    tagStr: z.string().openapi({ description: 'Tag names, comma-joined' }),
    isNew: z.boolean(),
  })
  .openapi('HelpCenterCompatNotice')

export const CompatNoticeDetail = CompatNotice.omit({ tagStr: true })
  .extend({ readCnt: z.number().int(), attachmentYn: z.boolean(), attachments: z.array(CompatAttachment), tags: z.array(z.object({ tagId: z.number().int(), tag: z.string() })) })
  .openapi('HelpCenterCompatNoticeDetail')

export const CompatHelpDoc = z
  .object({
    helpDocId: z.number().int(),
    title: z.string(),
    content: z.string().openapi({ description: 'HTML' }),
    categoryId: z.number().int().nullable(),
    categoryName: z.string().nullable(),
    isTop: z.boolean().openapi({ description: 'Pinned on the home page' }),
    isRecommend: z.boolean().openapi({ description: 'Pinned in its category' }),
    isNew: z.boolean(),
    createdDt: EpochMs,
    updatedDt: EpochMs,
  })
  .openapi('HelpCenterCompatHelpDoc')

export const CompatHelpDocDetail = CompatHelpDoc.extend({
  readCnt: z.number().int(),
  attachmentYn: z.boolean(),
  categoryFullName: z.string().nullable().openapi({ description: 'Category names from the root, joined by `>`', example: '배송>해외배송' }),
  category: CompatContentCategory.nullable(),
  parentCategoryList: z.array(CompatContentCategory).openapi({ description: 'From the root to its own category' }),
  attachments: z.array(CompatAttachment),
}).openapi('HelpCenterCompatHelpDocDetail')

export const CompatService = z
  .object({
    serviceId: z.string(),
    name: z.string(),
    profile: z.object({ fileUrl: z.string().nullable() }),
    language: z.string().openapi({ description: 'The default language' }),
    languages: z.array(z.object({ code: z.string(), name: z.string(), orderNo: z.number().int() })),
    multiLanguage: z.boolean(),
  })
  .openapi('HelpCenterCompatService')
