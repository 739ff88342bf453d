/** The ticket API's shapes: request bodies (strict), answers and list queries; one zod declaration each. */
import { z } from '../../../core/mod.ts'
import { TICKET_STATUSES } from './lifecycle.ts'

export const CHANNELS = ['web', 'email', 'api', 'phone', 'chat', 'twitter', 'kakao', 'sms'] as const
export type Channel = (typeof CHANNELS)[number]
export const ENTRY_KINDS = ['customer-reply', 'agent-reply', 'note'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]
export const SORTS = ['created:desc', 'created:asc', 'updated:desc', 'updated:asc'] as const
export type TicketSort = (typeof SORTS)[number]

export const MAX_ATTACHMENTS_PER_MESSAGE = 5

const Status = z.enum(TICKET_STATUSES).openapi({ description: 'Lifecycle: new -> open/pending/on-hold/completed; see tickets/lifecycle.ts' })
const Channel = z.enum(CHANNELS)
const AttachmentIds = z.array(z.uuid()).max(MAX_ATTACHMENTS_PER_MESSAGE).optional().openapi({ description: 'Ids from POST /ticket/attachments, not yet used by another message (at most 5)' })
const FieldValues = z.record(z.string(), z.unknown()).openapi({ description: 'Values by field code; checked against the intake category form (customers) plus agent fields (agents). Every customer form has the required system field `privacy_consent`: customer-filed tickets (service keys) send `"privacy_consent": true`' })

export const Requester = z
  .strictObject({
    email: z.string().trim().max(254).optional().openapi({ description: 'Checked as the `email` system field when the form has it' }),
    name: z.string().trim().max(100).optional(),
    memberId: z.uuid().optional().openapi({ description: 'The organization member who asked, when known' }),
    usercode: z.string().trim().min(1).max(100).optional().openapi({ description: "The end user's code in the customer's own system (compat API `usercode`)" }),
  })
  .openapi('TicketRequester')

export const TicketCreateInput = z
  .strictObject({
    title: z.string().openapi({ description: 'The `title` system field', example: '환불 요청 refund' }),
    content: z.string().openapi({ description: 'The first message (the `content` system field)' }),
    channel: Channel,
    language: z.string().min(2).max(16).optional(),
    requester: Requester.default({}),
    intakeCategoryId: z.uuid().nullable().optional().openapi({ description: 'Required for customer-filed tickets (service keys); must be active then' }),
    processingCategoryId: z.uuid().nullable().optional(),
    assigneeAgentId: z.uuid().nullable().optional(),
    assigneeGroupId: z.uuid().nullable().optional(),
    fields: FieldValues.default({}),
    attachmentIds: AttachmentIds,
  })
  .openapi('TicketCreateInput', {
    description: 'A new ticket. Customer-filed tickets (service keys) need an active `intakeCategoryId` and the form\'s required fields, which always include the privacy consent: `fields: { "privacy_consent": true }`',
    example: { title: '환불 요청', content: '지난주 주문한 상품을 환불하고 싶습니다.', channel: 'api', requester: { email: 'kim@example.com', name: '김고객' } },
  })
export type TicketCreateInput = z.infer<typeof TicketCreateInput>

export const TicketPatchInput = z
  .strictObject({
    title: z.string().optional(),
    status: Status.optional(),
    channel: Channel.optional(),
    intakeCategoryId: z.uuid().nullable().optional(),
    processingCategoryId: z.uuid().nullable().optional(),
    assigneeAgentId: z.uuid().nullable().optional(),
    assigneeGroupId: z.uuid().nullable().optional(),
    requester: Requester.optional(),
    fields: FieldValues.optional().openapi({ description: 'Only the codes sent change; null clears an optional field' }),
  })
  .openapi('TicketPatchInput')
export type TicketPatchInput = z.infer<typeof TicketPatchInput>

export const EntryInput = z
  .strictObject({
    content: z.string().trim().min(1).max(100_000).openapi({ description: 'The text of the reply or note (the same name as the ticket\'s own text)', example: '주문 번호를 알려 주세요.' }),
    attachmentIds: AttachmentIds,
    status: Status.optional().openapi({ description: 'Agent replies only: move the ticket in the same change (e.g. to pending)' }),
  })
  .openapi('TicketEntryInput')

const Actor = z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() })

export const AttachmentSchema = z.object({ id: z.uuid(), fileName: z.string(), contentType: z.string(), size: z.number().int(), createdAt: z.string() }).openapi('TicketAttachment')

export const TicketSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    ticketId: z.string().openapi({ example: 'T1658199661153IXTfw' }),
    title: z.string(),
    content: z.string(),
    status: Status,
    channel: Channel,
    language: z.string().nullable(),
    requester: z.object({ email: z.string().nullable(), name: z.string().nullable(), memberId: z.string().nullable(), usercode: z.string().nullable() }),
    assigneeAgentId: z.string().nullable(),
    assigneeGroupId: z.string().nullable(),
    intakeCategoryId: z.string().nullable(),
    processingCategoryId: z.string().nullable(),
    fields: z.record(z.string(), z.unknown()).openapi({ description: 'Values by code, personal-info ones decrypted for the caller' }),
    createdBy: Actor,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ticket')

export const EntrySchema = z.object({ id: z.uuid(), kind: z.enum(ENTRY_KINDS), content: z.string(), author: Actor, attachments: z.array(AttachmentSchema), createdAt: z.string() }).openapi('TicketEntry')

export const HistorySchema = z
  .object({ id: z.string(), field: z.string(), from: z.unknown(), to: z.unknown(), redacted: z.boolean().openapi({ description: 'A personal-info field: values are not kept in the history' }), actor: Actor, at: z.string() })
  .openapi('TicketHistoryEntry')

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((text, ctx) => {
      const parts = text.split(',').map((p) => p.trim()).filter(Boolean)
      for (const p of parts) if (!values.includes(p)) ctx.addIssue({ code: 'custom', message: `'${p}' is not one of ${values.join(', ')}` })
      return parts as T[number][]
    })
    .optional()
const instant = z.iso.datetime({ offset: true }).optional()

/** A ticket number as agents see it (`[#42]`): digits only, no sign, no leading zero, no exponent. */
const NUMBER_TEXT = /^[1-9][0-9]{0,14}$/
const NUMBER_FIX = 'send the number agents see, such as 42 for [#42]'

/** The `{number}` of `/ticket/by-number/{number}`. */
export const TicketNumberParam = z.object({
  number: z
    .string()
    .regex(NUMBER_TEXT, `is not a ticket number; ${NUMBER_FIX}`)
    .transform(Number)
    .openapi({ param: { name: 'number', in: 'path' }, example: '42', description: 'The per-service ticket number' }),
})

/** The `{ticketId}` of `/ticket/by-ticket-id/{ticketId}`. */
export const TicketPublicIdParam = z.object({
  ticketId: z.string().min(1).max(64).openapi({ param: { name: 'ticketId', in: 'path' }, example: 'T1658199661153IXTfw', description: 'The Online Contact form of the id (`ticketId` of the ticket)' }),
})

export const TicketListQuery = z.strictObject({
  number: z
    .string()
    .max(2000)
    .transform((text, ctx) => {
      const parts = text.split(',').map((p) => p.trim().replace(/^#/, '')).filter(Boolean)
      if (parts.length > 100) ctx.addIssue({ code: 'custom', message: 'names more than 100 numbers; send at most 100 at once' })
      for (const p of parts) if (!NUMBER_TEXT.test(p)) ctx.addIssue({ code: 'custom', message: `'${p}' is not a ticket number; ${NUMBER_FIX}` })
      return parts.map(Number)
    })
    .optional()
    .openapi({ description: 'Comma-separated ticket numbers (a leading `#` is allowed: `#42`); only these tickets', example: '42,43' }),
  status: csv(TICKET_STATUSES).openapi({ description: 'Comma-separated statuses', example: 'new,open' }),
  channel: csv(CHANNELS),
  assigneeAgentId: z.uuid().optional(),
  assigneeGroupId: z.uuid().optional(),
  intakeCategoryId: z.uuid().optional(),
  processingCategoryId: z.uuid().optional(),
  usercode: z.string().max(100).optional(),
  createdFrom: instant,
  createdTo: instant.openapi({ description: 'Exclusive upper bound' }),
  updatedFrom: instant,
  updatedTo: instant,
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Full-text search over title and content, every word required: an English or number word must begin a word of the ticket, a plural or `-ed`/`-ing` ending dropped first (`deliver` and `deliveries` find "delivery"); a Korean word is searched without its particle (`택배가` searches `택배`) and is found inside longer words and compounds written with or without spaces (`배송` and `지연` find "배송지연", `배송지연` finds "배송 지연")' }),
  fieldCode: z.string().max(100).optional().openapi({ description: 'With fieldValue: exact match on a field; personal-info fields are matched through their blind index' }),
  fieldValue: z.string().max(1000).optional(),
  sort: z.enum(SORTS).default('created:desc'),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().max(500).optional().openapi({ description: 'nextCursor of the previous page; keep the same filters and sort' }),
})
export type TicketListQuery = z.infer<typeof TicketListQuery>
