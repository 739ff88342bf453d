/**
 * The management API's shapes for help-center content (`/api/v1/helpcenter/...`): one zod
 * declaration each for validation, types and the OpenAPI document.
 */
import { z } from '../../../core/mod.ts'

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10' }) })
export const AttachmentParams = IdParam.extend({ attachmentId: z.uuid().openapi({ param: { name: 'attachmentId', in: 'path' } }) })

const Language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language code such as ko or en').openapi({ example: 'ko' })
const Names = z
  .record(Language, z.string().trim().min(1).max(100))
  .refine((names) => Object.keys(names).length > 0, 'give the name in at least one of the service\'s languages')
  .openapi({ description: 'The name per help-center language of the service', example: { ko: '배송', en: 'Delivery' } })

export const CategorySchema = z
  .object({
    id: z.uuid(),
    number: z.number().int().openapi({ description: 'The numeric id of the content API (categoryId)' }),
    parentId: z.uuid().nullable(),
    level: z.number().int(),
    names: z.record(z.string(), z.string()),
    orderNo: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('HelpCenterCategory')

export const CategoryInput = z
  .strictObject({
    names: Names,
    parentId: z.uuid().nullable().optional().openapi({ description: 'FAQ only: the parent category (up to 3 levels); notice categories have one level' }),
    orderNo: z.number().int().min(0).max(1_000_000).optional().openapi({ description: 'Place among its siblings, ascending; default: last' }),
  })
  .openapi('HelpCenterCategoryInput')
export const CategoryPatch = z.strictObject({ names: Names.optional(), orderNo: z.number().int().min(0).max(1_000_000).optional() }).openapi('HelpCenterCategoryPatch')

export const TagSchema = z.object({ id: z.uuid(), number: z.number().int(), names: z.record(z.string(), z.string()), orderNo: z.number().int() }).openapi('HelpCenterNoticeTag')
export const TagInput = z.strictObject({ names: Names, orderNo: z.number().int().min(0).max(1_000_000).optional() }).openapi('HelpCenterNoticeTagInput')
export const TagPatch = z.strictObject({ names: Names.optional(), orderNo: z.number().int().min(0).max(1_000_000).optional() }).openapi('HelpCenterNoticeTagPatch')

export const AttachmentSchema = z.object({ id: z.uuid(), fileName: z.string(), contentType: z.string(), size: z.number().int(), createdAt: z.string() }).openapi('HelpCenterAttachment')

const Translation = z.strictObject({
  title: z.string().trim().min(1).max(255),
  html: z.string().max(500_000).openapi({ description: 'HTML; cleaned through the allowlist on save (links http, https, mailto, tel; images http, https)' }),
})

const entryFields = {
  categoryId: z.uuid().nullable().optional(),
  isTop: z.boolean().optional(),
  published: z.boolean().optional(),
  publishAt: z.iso.datetime({ offset: true }).nullable().optional().openapi({ description: 'Visible from this time on (when also published); null: as soon as published' }),
  translations: z
    .record(Language, Translation.nullable())
    .optional()
    .openapi({ description: 'Title and HTML per help-center language of the service; null removes that language' }),
}

export const NoticeInput = z
  .strictObject({ ...entryFields, tagIds: z.array(z.uuid()).max(20).optional().openapi({ description: "The notice's heading tags (말머리)" }) })
  .openapi('HelpCenterNoticeInput')
export const FaqInput = z
  .strictObject({ ...entryFields, isRecommend: z.boolean().optional().openapi({ description: 'Pinned in its category' }) })
  .openapi('HelpCenterFaqInput')
export type EntryInput = z.infer<typeof NoticeInput> & z.infer<typeof FaqInput>

const entryView = {
  id: z.uuid(),
  number: z.number().int().openapi({ description: 'The numeric id of the content API (noticeId, helpDocId)' }),
  categoryId: z.uuid().nullable(),
  isTop: z.boolean(),
  published: z.boolean(),
  publishAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  displayAt: z.string().openapi({ description: 'The date visitors see: the scheduled time, else when it was published, else created' }),
  visible: z.boolean().openapi({ description: 'Published and its time has come' }),
  readCount: z.number().int(),
  translations: z.record(z.string(), z.object({ title: z.string(), html: z.string() })),
  attachments: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
}
export const NoticeSchema = z.object({ ...entryView, tagIds: z.array(z.uuid()) }).openapi('HelpCenterNotice')
export const FaqSchema = z.object({ ...entryView, isRecommend: z.boolean() }).openapi('HelpCenterFaq')

export const PageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
}

export const EntryListQuery = z.object({
  ...PageQuery,
  language: Language.optional().openapi({ description: 'Only entries with this translation, and only that translation' }),
  categoryId: z.uuid().optional().openapi({ description: 'Entries of this category and its sub-categories' }),
  tagId: z.uuid().optional().openapi({ description: 'Notices only: those carrying this tag' }),
  published: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  q: z.string().max(200).optional().openapi({ description: 'Search words (ranked; Korean words inside compounds and with particles are found)' }),
})

export const UploadInput = z
  .strictObject({
    fileName: z.string().trim().min(1).max(100).refine((n) => !/[\\/\u0000-\u001f]/.test(n), 'a file name, without folders or control characters'),
    contentType: z.string().trim().min(3).max(200).regex(/^[^\u0000-\u001f]+$/, 'one media type such as image/png').openapi({ example: 'image/png', description: "A hint only: the stored type is read from the file's bytes" }),
    data: z.base64().max(Math.ceil((10 * 1024 * 1024 * 4) / 3) + 4).openapi({ description: 'The file, base64-encoded; at most 10 MB decoded' }),
  })
  .openapi('HelpCenterAttachmentUpload')

export const VotesSchema = z
  .object({ votes: z.record(z.string(), z.object({ helpful: z.number().int(), notHelpful: z.number().int() })).openapi({ description: 'Per language' }) })
  .openapi('HelpCenterFaqVotes')

export const VoteInput = z
  .strictObject({
    language: Language,
    helpful: z.boolean(),
    visitorId: z.string().trim().min(8).max(200).optional().openapi({ description: "An opaque id of the visitor (e.g. the page's cookie); without it the client's address counts as the voter" }),
  })
  .openapi('HelpCenterFaqVoteInput')
