/**
 * The signed compat calls, `/{serviceId}/openapi/v1/...` (C16): attachment upload, ticket
 * creation, and per end user (`usercode`) the ticket list, a ticket's detail and a customer
 * comment. Each runs the documented signature check first (signature.ts); the service key that
 * signed becomes the principal, so tickets, history and audit name it as natively.
 *
 * Upload limits, as documented: one multipart `file` under 10 MB, a name under 100 characters,
 * an extension from {@link ALLOWED_EXTENSIONS}; then the core's upload policy, as for native
 * uploads: the content must be an accepted type and is stored as the type its bytes show, not the
 * part's declared type (the signature covers only the file's MD5, so a replayed upload may declare
 * anything; the type it stores cannot change). End users: tickets carry `requester_usercode`;
 * a ticket of another usercode is "no data" (404), never shown.
 */
import { contentTypeProblem, errors, isUuid, route, type PlatformContext, type PlatformEnv, type PluginApp, type PluginContext } from '../../../core/mod.ts'
import type { MiddlewareHandler } from 'hono'
import { requestTicketsActor, ticketActor } from '../tickets/actor.ts'
import { insertAttachment, listEntries } from '../tickets/store.ts'
import { ATTACHMENT_POLICY } from '../routes/tickets-attachments.ts'
import { addTicketEntry } from '../tickets/entries.ts'
import { listFields } from '../fields/store.ts'
import { openFieldValues } from '../tickets/field-values.ts'
import { CompatError, compatErrorHandler, failures, one, page, RESULT, success } from './envelope.ts'
import { compatTicketCreation } from './create-ticket.ts'
import { ourStatuses, outgoingValue } from './mapping.ts'
import { endUserTicket, endUserTickets, intakeCategories, ticketAttachments, type CompatAttachmentRow } from './queries.ts'
import {
  CommentInput,
  CommentQuery,
  CompatAttachment,
  CompatEntry,
  CompatTicket,
  CompatTicketDetail,
  CreateInput,
  EndUserParams,
  EndUserTicketParams,
  ListQuery,
  SignedHeaders,
  TAG,
  UploadBody,
} from './schemas.ts'
import { signedRequest, uploadedFile } from './signature.ts'
import { compatValidationHook } from './validation.ts'
import { compatAttachmentView, compatEntryView, compatTicketView } from './views.ts'
import { withRequesterEmail } from '../tickets/requester-email.ts'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const MAX_FILE_NAME = 100
export const ALLOWED_EXTENSIONS: ReadonlySet<string> = new Set(
  ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'tif', 'tiff', 'pdf', 'txt', 'csv', 'log', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'hwp', 'hwpx', 'zip', '7z', 'mp3', 'mp4', 'mov', 'avi', 'wav'],
)
const MAX_COMMENT_ATTACHMENTS = 5

const tags = [TAG]
const security = { description: 'Signed: `Authorization` and `X-TC-Timestamp` as documented (see the tag description in the README, C16).' }

const CompatTicketCreated = CompatTicket.pick({ ticketId: true, subject: true, categoryId: true, status: true, source: true, language: true, endUser: true, createdDt: true, updatedDt: true }).openapi('OcCompatTicketCreated')

/** The route declarations; `signed` (the signature check) runs before validation, as route middleware. */
const declare = (signed: MiddlewareHandler<PlatformEnv>) => ({
  upload: route({
    method: 'post',
    path: '/ticket/attachments/upload.json',
    tags,
    access: 'public',
    middleware: [signed],
    summary: 'Upload an attachment (multipart `file`); name its attachmentId in a ticket or comment',
    ...security,
    request: { headers: SignedHeaders, body: { required: true, content: { 'multipart/form-data': { schema: UploadBody } } } },
    responses: { 200: { description: 'Stored', content: { 'application/json': { schema: one(CompatAttachment, 'OcCompatAttachmentAnswer') } } }, ...failures },
  }),
  create: route({
    method: 'post',
    path: '/ticket.json',
    tags,
    access: 'public',
    middleware: [signed],
    summary: 'File a ticket with user fields by code',
    description: `${security.description} With repeat-inquiry blocking on (ticket settings), an inquiry too soon after the same customer's last one answers resultCode 1001, past the daily limit 1002 (both \`isSuccessful: false\`, HTTP 200); the customer is \`OC-Client-IP\`, else \`endUser.usercode\`, else \`endUser.email\`.`,
    request: { headers: SignedHeaders, body: { required: true, content: { 'application/json': { schema: CreateInput } } } },
    responses: { 200: { description: 'Created, status new', content: { 'application/json': { schema: one(CompatTicketCreated, 'OcCompatTicketCreatedAnswer') } } }, ...failures },
  }),
  list: route({
    method: 'get',
    path: '/ticket/enduser/{usercode}/list.json',
    tags,
    access: 'public',
    middleware: [signed],
    summary: "An end user's tickets, paged",
    ...security,
    request: { headers: SignedHeaders, params: EndUserParams, query: ListQuery },
    responses: { 200: { description: 'One page', content: { 'application/json': { schema: page(CompatTicket, 'OcCompatTicketPage') } } }, ...failures },
  }),
  detail: route({
    method: 'get',
    path: '/ticket/enduser/{usercode}/{ticketId}/detail.json',
    tags,
    access: 'public',
    middleware: [signed],
    summary: "One of the end user's tickets with its conversation",
    ...security,
    request: { headers: SignedHeaders, params: EndUserTicketParams },
    responses: { 200: { description: 'The ticket', content: { 'application/json': { schema: one(CompatTicketDetail, 'OcCompatTicketDetailAnswer') } } }, ...failures },
  }),
  comment: route({
    method: 'post',
    path: '/ticket/enduser/{usercode}/{ticketId}/comment.json',
    tags,
    access: 'public',
    middleware: [signed],
    summary: 'Add a customer comment (re-inquiry); a replied or solved ticket reopens',
    ...security,
    request: { headers: SignedHeaders, params: EndUserTicketParams, query: CommentQuery, body: { required: true, content: { 'application/json': { schema: CommentInput } } } },
    responses: { 200: { description: 'Added', content: { 'application/json': { schema: one(CompatEntry, 'OcCompatEntryAnswer') } } }, ...failures },
  }),
})

const extensionOf = (name: string) => (/\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1] ?? '').toLowerCase()

export function registerCompatSignedRoutes(app: PluginApp, ctx: PluginContext): void {
  app.onError(compatErrorHandler(ctx.log) as never)
  const routes = declare(signedRequest(ctx))
  const cryptoOf = (c: PlatformContext) => {
    let made: ReturnType<typeof ctx.crypto.forTenant> | undefined
    return () => (made ??= ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id }))
  }

  app.openapi(routes.upload, async (c) => {
    const file = await uploadedFile(c)
    const name = file.name || 'file'
    if ([...name].length >= MAX_FILE_NAME) throw new CompatError(RESULT.badRequest, `the file name is ${[...name].length} characters long; it must be under ${MAX_FILE_NAME}`)
    if (!ALLOWED_EXTENSIONS.has(extensionOf(name))) throw new CompatError(RESULT.badRequest, `files with extension '${extensionOf(name) || '(none)'}' are not allowed; allowed: ${[...ALLOWED_EXTENSIONS].join(', ')}`)
    if (file.size >= MAX_UPLOAD_BYTES) throw new CompatError(RESULT.badRequest, `the file has ${file.size} bytes; it must be under 10 MB (${MAX_UPLOAD_BYTES} bytes)`)
    if (file.size === 0) throw new CompatError(RESULT.badRequest, 'the file is empty')
    const problem = file.type && contentTypeProblem(file.type)
    if (problem) throw errors.invalid([{ path: 'file', message: `the part's Content-Type ${problem}`, code: 'invalid_type' }])
    const blob = await c.var.blobs.put(new Uint8Array(await file.arrayBuffer()), file.type || undefined, ATTACHMENT_POLICY, 'file')
    const stored = await c.var.db.tx((tx) => insertAttachment(tx, { blobKey: blob.key, fileName: name, contentType: blob.contentType, size: blob.size, uploadedBy: ticketActor(c.var.principal) }))
    return success(c, { content: { attachmentId: stored.id, fileName: stored.fileName, contentType: stored.contentType, disposition: 'attachment', size: stored.size, createdDt: new Date(stored.createdAt).getTime() } })
  })

  const createCompatTicket = compatTicketCreation(ctx)
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const row = await withRequesterEmail(await createCompatTicket(c, input), cryptoOf(c))
    return success(c, {
      content: {
        ticketId: row.public_id,
        subject: row.title,
        categoryId: input.categoryId,
        status: 'new',
        source: input.source,
        language: row.language,
        endUser: { usercode: row.requester_usercode, email: row.requester_email, username: row.requester_name },
        createdDt: new Date(row.created_at).getTime(),
        updatedDt: new Date(row.updated_at).getTime(),
      },
    })
  }, compatValidationHook)

  app.openapi(routes.list, async (c) => {
    const { usercode } = c.req.valid('param')
    const query = c.req.valid('query')
    const service = c.var.tenant.service
    const [column, order] = query.sort.split(':') as ['updatedDt' | 'createdDt', 'asc' | 'desc']
    const { rows, total, categories } = await c.var.db.tx(async (tx) => {
      const categories = await intakeCategories(tx)
      const intakeCategoryId = query.categoryId === undefined ? undefined : (categories.idOfCompat.get(query.categoryId) ?? '00000000-0000-0000-0000-000000000000')
      const found = await endUserTickets(tx, {
        usercode,
        intakeCategoryId,
        statuses: query.status ? ourStatuses(query.status) : undefined,
        language: query.language,
        sources: query.source,
        sort: { column: column === 'createdDt' ? 'created_at' : 'updated_at', descending: order === 'desc' },
        page: query.page,
        pageSize: query.pageSize,
      })
      return { ...found, categories }
    })
    const crypto = cryptoOf(c)
    const opened = await Promise.all(rows.map((r) => withRequesterEmail(r, crypto)))
    return success(c, { contents: opened.map((r) => compatTicketView(r, categories, service)), total, pages: Math.ceil(total / query.pageSize), pageNum: query.page, pageSize: query.pageSize })
  })

  app.openapi(routes.detail, async (c) => {
    const { usercode, ticketId } = c.req.valid('param')
    const service = c.var.tenant.service
    const detail = await c.var.db.tx(async (tx) => {
      const row = await endUserTicket(tx, usercode, ticketId)
      if (!row) throw new CompatError(RESULT.notFound, `no ticket '${ticketId}' of end user '${usercode}'`)
      const [categories, entries, attachments, definitions] = [await intakeCategories(tx), await listEntries(tx, row.id), await ticketAttachments(tx, row.id), await listFields(tx, service, 'customer')]
      return { row, categories, entries, attachments, definitions }
    })
    const { categories, entries, attachments, definitions } = detail
    const crypto = cryptoOf(c)
    const row = await withRequesterEmail(detail.row, crypto)
    const language = row.language ?? service.defaultLanguage
    const byCode = new Map(definitions.map((d) => [d.code, d]))
    const values = await openFieldValues(crypto, { plain: row.fields, secret: row.secret_fields })
    const filesOf = (entryId: string) => attachments.filter((a) => a.entry_id === entryId)
    const conversation = [
      { kind: 'customer-reply', body: row.content, createdAt: new Date(row.created_at).toISOString(), attachments: filesOf(row.id) },
      ...entries.filter((e) => e.kind !== 'note').map((e) => ({ kind: e.kind, body: e.content, createdAt: e.createdAt, attachments: filesOf(e.id) })),
    ]
    return success(c, {
      content: {
        ...compatTicketView(row, categories, service),
        content: row.content,
        userFields: Object.entries(values).map(([code, value]) => ({ code, value: outgoingValue(byCode.get(code), value, service.timezone) })),
        attachments: filesOf(row.id).map(compatAttachmentView),
        contents: conversation.map((e) => compatEntryView(e, language, service.timezone)),
      },
    })
  })

  app.openapi(routes.comment, async (c) => {
    const { usercode, ticketId } = c.req.valid('param')
    const { comment: content } = c.req.valid('json')
    const service = c.var.tenant.service
    const attachmentIds = (c.req.queries('attachments') ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
    if (attachmentIds.length > MAX_COMMENT_ATTACHMENTS) throw new CompatError(RESULT.badRequest, `${attachmentIds.length} attachments; at most ${MAX_COMMENT_ATTACHMENTS} per comment`)
    if (!content.trim()) throw errors.invalid([{ path: 'body.comment', message: "'comment' is empty; send the text of the re-inquiry", code: 'required' }])
    const caller = { service, actor: requestTicketsActor(c) }
    const entry = await c.var.db.tx(async (tx) => {
      const ticket = await endUserTicket(tx, usercode, ticketId, true)
      if (!ticket) throw new CompatError(RESULT.notFound, `no ticket '${ticketId}' of end user '${usercode}'`)
      const malformed = attachmentIds.filter((id) => !isUuid(id))
      if (malformed.length) throw errors.invalid(malformed.map((id) => ({ path: 'query.attachments', message: `attachment '${id}' does not exist or belongs to another message; upload it again`, code: 'unavailable' })))
      const { entry: made } = (await addTicketEntry(tx, caller, ticket.id, { kind: 'customer-reply', content, attachmentIds }, { ticket, attachmentsAt: 'query.attachments', audit: { via: 'oc-compat' } }))!
      const files: CompatAttachmentRow[] = (await ticketAttachments(tx, ticket.id)).filter((a) => a.entry_id === made.id)
      return { kind: 'customer-reply', body: content, createdAt: made.createdAt, attachments: files, language: ticket.language ?? service.defaultLanguage }
    })
    return success(c, { content: compatEntryView(entry, entry.language, service.timezone) })
  }, compatValidationHook)
}

