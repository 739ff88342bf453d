/**
 * Ticket attachments (T1, C14): upload first, then name the ids in a ticket or a reply (as the
 * seed product's Open API does). Uploads are JSON with the file in base64 (`data`), so every
 * client and the OpenAPI document use one body shape; 10 MB per file at most (about 13.4 MB
 * of base64), types limited to documents, images, audio/video and archives. An upload no
 * message uses is not shown anywhere; the download route serves bound and unbound files alike
 * to holders of the `ticket` permission.
 */
import { commonErrors, errors, json, jsonBody, route, z, type PluginApp } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { ticketActor } from '../tickets/actor.ts'
import { AttachmentSchema } from '../tickets/schemas.ts'
import { findAttachment, insertAttachment } from '../tickets/store.ts'

const tags = ['Tickets']
const access = { permission: 'ticket' } as const

export const ATTACHMENT_POLICY = {
  maxBytes: 10 * 1024 * 1024,
  allowedTypes: ['image/*', 'audio/*', 'video/*', 'text/plain', 'text/csv', 'application/pdf', 'application/zip', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/x-hwp', 'application/haansofthwp'],
} as const

const UploadInput = z
  .strictObject({
    fileName: z.string().trim().min(1).max(100).refine((n) => !/[\\/\u0000-\u001f]/.test(n), 'a file name, without folders or control characters'),
    contentType: z.string().trim().min(3).max(200).openapi({ example: 'image/png' }),
    data: z.base64().max(Math.ceil((ATTACHMENT_POLICY.maxBytes * 4) / 3) + 4).openapi({ description: 'The file, base64-encoded (standard alphabet, padded); at most 10 MB decoded' }),
  })
  .openapi('TicketAttachmentUpload')

const routes = {
  upload: route({ method: 'post', path: '/ticket/attachments', tags, access, bodyLimit: 'upload', summary: 'Upload an attachment (base64 JSON), up to the platform\'s file limit', request: jsonBody(UploadInput), responses: { 201: json(AttachmentSchema, 'Stored; name its id in a ticket or reply'), 413: json(z.any(), 'Too large'), 415: json(z.any(), 'Type not accepted'), ...commonErrors } }),
  download: route({ method: 'get', path: '/ticket/attachments/{id}', tags, access, summary: 'Download an attachment', request: { params: IdParam }, responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, ...commonErrors } }),
}

export function registerTicketAttachmentRoutes(app: PluginApp): void {
  app.openapi(routes.upload, async (c) => {
    const input = c.req.valid('json')
    const bytes = Uint8Array.from(atob(input.data), (ch) => ch.charCodeAt(0))
    if (!bytes.byteLength) throw errors.invalid([{ path: 'body.data', message: 'the file is empty; send its bytes in base64', code: 'too_small' }])
    const blob = await c.var.blobs.put(bytes, input.contentType, ATTACHMENT_POLICY)
    const attachment = await c.var.db.tx((tx) => insertAttachment(tx, { blobKey: blob.key, fileName: input.fileName, contentType: blob.contentType, size: blob.size, uploadedBy: ticketActor(c.var.principal) }))
    return c.json(attachment, 201)
  })

  app.openapi(routes.download, async (c) => {
    const { id } = c.req.valid('param')
    const row = await c.var.db.tx((tx) => findAttachment(tx, id))
    const blob = row && (await c.var.blobs.get(row.blob_key))
    if (!row || !blob) throw notFoundAt('path.id', 'attachment', id)
    return new Response(blob.body as BodyInit, {
      status: 200,
      headers: { 'content-type': row.content_type, 'content-length': String(blob.size), 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`, 'x-content-type-options': 'nosniff' },
    }) as never
  })
}
