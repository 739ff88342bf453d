/**
 * The compat OPEN API's request and answer shapes (C16), one zod declaration each: they validate
 * requests and make the routes' entries in the service's OpenAPI document. Request objects are
 * not strict: existing clients may send attributes we do not use, and those are ignored.
 */
import { z } from '../../../core/mod.ts'
import { COMPAT_SOURCES, COMPAT_STATUSES } from './mapping.ts'

export const TAG = 'Online Contact OPEN API (compat)'

/** Documented request headers, optional in the schema: the signature check answers their absence as documented. */
export const SignedHeaders = z.object({
  authorization: z.string().optional().openapi({ description: 'Base64(HMAC-SHA256(service key, orgId + requestURI + parameter values + body + X-TC-Timestamp))' }),
  'x-tc-timestamp': z.string().optional().openapi({ description: 'Current time in epoch milliseconds; valid for 5 minutes', example: '1658199661153' }),
  'oc-client-ip': z.string().optional().openapi({ description: "The customer's IP address: with repeat-inquiry blocking on, ticket creation is limited per address (resultCode 1001/1002)" }),
})

const Languages = z.record(z.string(), z.string())

export const CompatCategory = z
  .object({
    categoryId: z.number().int(),
    parent: z.number().int().openapi({ description: '0 for a top-level category' }),
    name: z.string(),
    level: z.number().int().min(1).max(5),
    path: z.string().openapi({ description: 'Ancestor ids, each followed by `\\`, after a leading `\\`', example: '\\2536\\' }),
    orderNo: z.number().int(),
    languages: Languages,
  })
  .openapi('OcCompatCategory')

export const CategoryQuery = z.object({
  parent: z.coerce.number().int().optional().openapi({ description: 'Only the children of this category' }),
  child: z.coerce.number().int().optional().openapi({ description: 'Only the categories above this one (top level first)' }),
  language: z.string().max(16).optional(),
})

export const CompatField = z
  .object({
    fieldId: z.number().int(),
    code: z.string(),
    type: z.string().openapi({ description: 'text, textarea, number, email, phone, checkbox, radio, dropdown, multi-select, date, datetime, or agree (a checkbox without options)' }),
    title: z.string(),
    description: z.string().nullable(),
    placeholder: z.string().nullable(),
    length: z.number().int().nullable().openapi({ description: 'Maximum length of text values' }),
    required: z.boolean(),
    encrypt: z.boolean().openapi({ description: 'Personal information: stored encrypted' }),
    holdingText: z.string().nullable(),
    options: z.array(z.object({ value: z.string(), text: z.string() })),
    value: z.unknown().openapi({ description: 'Default value (none is kept: always null)' }),
    range: z.boolean().openapi({ description: 'Date and datetime fields: the value is a range `a ~ b`' }),
  })
  .openapi('OcCompatField')

export const LanguageQuery = z.object({ language: z.string().max(16).optional() })

export const CompatAttachment = z
  .object({
    attachmentId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    disposition: z.enum(['attachment', 'inline']),
    size: z.number().int(),
    createdDt: z.number().int().openapi({ description: 'Epoch milliseconds' }),
  })
  .openapi('OcCompatAttachment')

export const UploadBody = z.object({ file: z.any().openapi({ type: 'string', format: 'binary', description: 'The file: under 10 MB, a name under 100 characters, an allowed extension' }) })

export const DownloadQuery = z.object({ type: z.enum(['download', 'open']).optional().openapi({ description: '`open` shows the file in the browser (inline) when it is a raster image, PDF or plain text, and downloads any other type; `download` (default) saves it' }) })

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])

/**
 * A submission type id: an integer, or its digits as a string. One past the largest id a number
 * can hold exactly is named too long (the documented rule `length`), not as a non-number.
 */
const CategoryId = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim()
    if (typeof value === 'number' ? !Number.isInteger(value) : !/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `'categoryId' must be the integer id of a submission type, got ${JSON.stringify(value).slice(0, 40)}` })
      return z.NEVER
    }
    const id = Number(text)
    if (!Number.isSafeInteger(id)) {
      const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text
      ctx.addIssue({ code: 'custom', message: `'categoryId' ${shown} is too long: submission type ids are at most ${Number.MAX_SAFE_INTEGER}`, params: { validate: 'too_long' } })
      return z.NEVER
    }
    return id
  })
  .openapi({ type: 'integer', description: 'The intake category (submission type) id' })

export const CreateInput = z
  .object({
    categoryId: CategoryId,
    subject: z.string().openapi({ description: 'At most 255 characters' }),
    content: z.string(),
    endUser: z
      .object({
        usercode: z.string().max(100).optional().openapi({ description: "The end user's id in your system: inquiry history is listed by it" }),
        email: z.string().max(254).optional(),
        username: z.string().max(100).optional(),
        phone: z.string().max(50).optional(),
      })
      .default({}),
    attachments: z.array(z.object({ attachmentId: z.string() })).max(5).optional(),
    typeOne: z.string().optional().openapi({ description: 'Accepted and ignored (no equivalent)' }),
    typeTwo: z.string().optional().openapi({ description: 'Accepted and ignored (no equivalent)' }),
    language: z.string().max(16).optional(),
    source: z.enum(COMPAT_SOURCES).default('api'),
    userFields: z.array(z.object({ code: z.string(), value: Scalar.nullable().optional() })).default([]),
  })
  .openapi('OcCompatTicketCreate')
export type CreateInput = z.infer<typeof CreateInput>

const EndUser = z.object({ usercode: z.string().nullable(), email: z.string().nullable(), username: z.string().nullable() })

export const CompatTicket = z
  .object({
    ticketId: z.string().openapi({ example: 'T1658199661153IXTfw' }),
    subject: z.string(),
    categoryId: z.number().int().nullable(),
    categoryName: z.string().nullable(),
    categoryFullName: z.string().nullable().openapi({ description: "Names from the top level down, separated by '>'" }),
    status: z.enum(COMPAT_STATUSES),
    source: z.enum(COMPAT_SOURCES),
    language: z.string().nullable(),
    endUser: EndUser,
    createdDt: z.number().int(),
    updatedDt: z.number().int(),
  })
  .openapi('OcCompatTicket')

export const CompatEntry = z
  .object({
    content: z.string(),
    type: z.enum(['enduser', 'reply']),
    typeName: z.string(),
    createdDt: z.number().int(),
    displayDt: z.string().openapi({ description: '`YYYY-MM-DD HH:mm` in the service time zone' }),
    attachments: z.array(CompatAttachment),
  })
  .openapi('OcCompatEntry')

export const CompatTicketDetail = CompatTicket.extend({
  content: z.string(),
  userFields: z.array(z.object({ code: z.string(), value: z.unknown() })),
  attachments: z.array(CompatAttachment),
  contents: z.array(CompatEntry).openapi({ description: 'The conversation, oldest first: the inquiry and customer comments (enduser), agent replies (reply); internal notes are not shown' }),
}).openapi('OcCompatTicketDetail')

export const ListQuery = z.object({
  categoryId: z.coerce.number().int().optional(),
  status: z.enum(COMPAT_STATUSES).optional(),
  language: z.string().max(16).optional(),
  source: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const parts = (text ?? COMPAT_SOURCES.join(',')).split(',').map((p) => p.trim()).filter(Boolean)
      for (const p of parts) if (!(COMPAT_SOURCES as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `'${p}' is not one of web, spweb, api` })
      return parts as (typeof COMPAT_SOURCES)[number][]
    })
    .openapi({ type: 'string', description: 'Comma-separated sources (default web,spweb,api)' }),
  sort: z.enum(['updatedDt:desc', 'updatedDt:asc', 'createdDt:desc', 'createdDt:asc']).default('updatedDt:desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(10),
})

export const EndUserParams = z.object({ usercode: z.string().min(1).max(100).openapi({ param: { name: 'usercode', in: 'path' } }) })
export const EndUserTicketParams = EndUserParams.extend({ ticketId: z.string().min(1).max(40).openapi({ param: { name: 'ticketId', in: 'path' } }) })

/** The re-inquiry's text is `comment` (the documentation's name); a `content` attribute is not read. */
export const CommentInput = z.object({ comment: z.string().openapi({ description: 'The text of the re-inquiry' }) }).openapi('OcCompatComment')
export const CommentQuery = z.object({
  attachments: z.string().optional().openapi({ description: 'Attachment ids (from upload.json), comma-separated or repeated; at most 5' }),
})
