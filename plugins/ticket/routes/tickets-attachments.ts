/**
 * Ticket attachments (T1, C14): upload first, then name the ids in a ticket or a reply (as the
 * seed product's Open API does). Uploads are JSON with the file in base64 (`data`), so every
 * client and the OpenAPI document use one body shape; 10 MB per file at most (about 13.4 MB
 * of base64), types limited to documents, images, audio/video and archives, read from the
 * file's bytes (the core's upload policy; `contentType` is only a hint). An upload no
 * message uses is not shown anywhere; the download route serves bound and unbound files alike
 * to holders of the `ticket` permission.
 */
import { commonErrors, contentTypeProblem, DOCUMENT_TYPES, errors, fileResponse, json, jsonBody, route, z, type BlobPolicy, type PluginApp } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { ticketActor } from '../tickets/actor.ts'
import { AttachmentSchema } from '../tickets/schemas.ts'
import { findAttachment, insertAttachment } from '../tickets/store.ts'

const tags = ['Tickets']
const access = { permission: 'ticket' } as const

/** The core's document types; files whose content is none of them (an executable, SVG, HTML as HTML) are refused with 415. */
export const ATTACHMENT_POLICY: BlobPolicy = { maxBytes: 10 * 1024 * 1024, allowedTypes: DOCUMENT_TYPES }

const UploadInput = z
  .strictObject({
    fileName: z.string().trim().min(1).max(100).refine((n) => !/[\\/\u0000-\u001f]/.test(n), 'a file name, without folders or control characters'),
    contentType: z
      .string()
      .refine((t) => !contentTypeProblem(t), { message: 'contains a control character (such as CR or LF); send one media type such as image/png' })
      .trim()
      .min(3)
      .max(200)
      .openapi({ example: 'image/png', description: 'A hint only: the stored type is read from the file\'s bytes (text is stored as text/plain or, when declared so, text/csv)' }),
    data: z.base64().max(Math.ceil((ATTACHMENT_POLICY.maxBytes * 4) / 3) + 4).openapi({ description: 'The file, base64-encoded (standard alphabet, padded); at most 10 MB decoded' }),
  })
  .openapi('TicketAttachmentUpload')

const routes = {
  upload: route({ method: 'post', path: '/attachments', tags, access, bodyLimit: 'upload', summary: 'Upload an attachment (base64 JSON), up to the platform\'s file limit', request: jsonBody(UploadInput), responses: { 201: json(AttachmentSchema, 'Stored; name its id in a ticket or reply'), 413: json(z.any(), 'Too large'), 415: json(z.any(), 'Type not accepted'), ...commonErrors } }),
  download: route({ method: 'get', path: '/attachments/{id}', tags, access, summary: 'Download an attachment', request: { params: IdParam }, responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, ...commonErrors } }),
}

export function registerTicketAttachmentRoutes(app: PluginApp): void {
  app.openapi(routes.upload, async (c) => {
    const input = c.req.valid('json')
    const bytes = Uint8Array.from(atob(input.data), (ch) => ch.charCodeAt(0))
    if (!bytes.byteLength) throw errors.invalid([{ path: 'body.data', message: 'the file is empty; send its bytes in base64', code: 'too_small' }])
    const blob = await c.var.blobs.put(bytes, input.contentType, ATTACHMENT_POLICY, 'body.data')
    const attachment = await c.var.db.tx((tx) => insertAttachment(tx, { blobKey: blob.key, fileName: input.fileName, contentType: blob.contentType, size: blob.size, uploadedBy: ticketActor(c.var.principal) }))
    return c.json(attachment, 201)
  })

  app.openapi(routes.download, async (c) => {
    const { id } = c.req.valid('param')
    const row = await c.var.db.tx((tx) => findAttachment(tx, id))
    const blob = row && (await c.var.blobs.get(row.blob_key))
    if (!row || !blob) throw notFoundAt('path.id', 'attachment', id)
    return fileResponse({ body: blob.body, contentType: row.content_type, fileName: row.file_name }) as never
  })
}
