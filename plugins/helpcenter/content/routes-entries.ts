/**
 * Notices and FAQ entries through the management API (W9): list (filters, search, pages, in the
 * order the seed product's content API uses), read, create, change, delete; attachments on the
 * core blob store; FAQ vote counts. Agents read; the `helpcenter` permission writes. One table
 * and one set of rules serve both kinds (content/entries.ts), so the routes are declared per kind.
 */
import { commonErrors, DOCUMENT_TYPES, errors, fileResponse, json, jsonBody, route, searchQuery, z, type BlobPolicy, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { categoryAndBelow, defaultSort, entryView, entryViews, existingEntry, KIND_NOUN, saveEntry } from './entries.ts'
import { notFoundAt } from './errors.ts'
import { audit } from './routes-categories.ts'
import { AttachmentParams, AttachmentSchema, EntryListQuery, FaqInput, FaqSchema, IdParam, NoticeInput, NoticeSchema, UploadInput, VotesSchema, type EntryInput } from './schemas.ts'
import { deleteEntry, listEntries, searchEntryIds, type ContentKind } from './store.ts'
import { deleteAttachment, findAttachment, insertAttachment } from './attachments-store.ts'
import { voteCounts } from './votes-store.ts'

const read = 'authenticated' as const
const write = { permission: 'helpcenter' } as const

/** Documents and images, read from the bytes; 10 MB a file. */
export const CONTENT_ATTACHMENT_POLICY: BlobPolicy = { maxBytes: 10 * 1024 * 1024, allowedTypes: DOCUMENT_TYPES }

interface KindRoutes {
  kind: ContentKind
  path: string
  tag: string
  input: typeof NoticeInput | typeof FaqInput
  view: typeof NoticeSchema | typeof FaqSchema
}

function registerEntryRoutes(app: PluginApp, { kind, path, tag, input, view }: KindRoutes): void {
  const tags = [tag]
  const noun = KIND_NOUN[kind]
  const routes = {
    list: route({
      method: 'get',
      path,
      tags,
      access: read,
      summary: `${tag}: pinned first${kind === 'notice' ? ', newest shown first' : ''}; with q, best match first`,
      request: { query: EntryListQuery },
      responses: { 200: json(z.object({ entries: z.array(view), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }), 'One page'), ...commonErrors },
    }),
    get: route({ method: 'get', path: `${path}/{id}`, tags, access: read, summary: `One ${noun}, every translation`, request: { params: IdParam }, responses: { 200: json(view, 'The entry'), ...commonErrors } }),
    create: route({ method: 'post', path, tags, access: write, summary: `Write a ${noun}`, request: jsonBody(input), responses: { 201: json(view, 'Saved'), ...commonErrors } }),
    patch: route({ method: 'patch', path: `${path}/{id}`, tags, access: write, summary: `Change, publish, unpublish or schedule a ${noun}`, request: { params: IdParam, ...jsonBody(input) }, responses: { 200: json(view, 'Saved'), ...commonErrors } }),
    remove: route({ method: 'delete', path: `${path}/{id}`, tags, access: write, summary: `Delete a ${noun} with its attachments`, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
    upload: route({
      method: 'post',
      path: `${path}/{id}/attachments`,
      tags,
      access: write,
      bodyLimit: 'upload',
      summary: `Attach a file (base64 JSON) to a ${noun}`,
      request: { params: IdParam, ...jsonBody(UploadInput) },
      responses: { 201: json(AttachmentSchema, 'Attached'), 413: json(z.any(), 'Too large'), 415: json(z.any(), 'Type not accepted'), ...commonErrors },
    }),
    download: route({ method: 'get', path: `${path}/{id}/attachments/{attachmentId}`, tags, access: read, summary: 'Download an attachment', request: { params: AttachmentParams }, responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, ...commonErrors } }),
    detach: route({ method: 'delete', path: `${path}/{id}/attachments/{attachmentId}`, tags, access: write, summary: 'Delete an attachment', request: { params: AttachmentParams }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  }
  const target = (id: string) => ({ type: `helpcenter-${kind}`, id })
  const saved = (c: PlatformContext, id: string | null, body: EntryInput) =>
    c.var.db.tx(async (tx) => {
      const entry = await saveEntry(tx, c.var.tenant.service, kind, id, body)
      const shown = await entryView(tx, entry)
      await audit(c, tx, `${kind}.${id ? 'updated' : 'created'}`, target(entry.id), { after: shown })
      return shown
    })

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query')
    const service = c.var.tenant.service
    const page = await c.var.db.tx(async (tx) => {
      const categoryIds = query.categoryId ? await categoryAndBelow(tx, kind, query.categoryId) : undefined
      const words = query.q === undefined ? undefined : searchQuery(query.q)
      if (words === null) throw errors.invalid([{ path: 'query.q', message: 'holds no letter or digit to search for; write a word', code: 'empty' }])
      const ids = words === undefined ? undefined : await searchEntryIds(tx, [kind], query.language ?? service.defaultLanguage, words, false)
      const sort = ids ? undefined : defaultSort(kind, categoryIds !== undefined)
      const found = await listEntries(tx, { kind, language: query.language ?? (ids ? service.defaultLanguage : undefined), categoryIds, tagId: query.tagId, published: query.published, ids, sort, page: query.page, pageSize: query.pageSize })
      return { entries: await entryViews(tx, found.entries), total: found.total }
    })
    return c.json({ ...page, page: query.page, pageSize: query.pageSize } as never, 200)
  })

  app.openapi(routes.get, async (c) => c.json((await c.var.db.tx(async (tx) => entryView(tx, await existingEntry(tx, kind, c.req.valid('param').id)))) as never, 200))

  app.openapi(routes.create, async (c) => c.json((await saved(c, null, c.req.valid('json'))) as never, 201))

  app.openapi(routes.patch, async (c) => c.json((await saved(c, c.req.valid('param').id, c.req.valid('json'))) as never, 200))

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    const keys = await c.var.db.tx(async (tx) => {
      const before = await entryView(tx, await existingEntry(tx, kind, id, 'update'))
      const blobKeys = await deleteEntry(tx, id)
      await audit(c, tx, `${kind}.deleted`, target(id), { before })
      return blobKeys
    })
    // After the commit: a blob left by a failed delete is unreachable, a row without its blob would not be.
    for (const key of keys) await c.var.blobs.delete(key)
    return c.body(null, 204)
  })

  app.openapi(routes.upload, async (c) => {
    const { id } = c.req.valid('param')
    const file = c.req.valid('json')
    const bytes = Uint8Array.from(atob(file.data), (ch) => ch.charCodeAt(0))
    if (!bytes.byteLength) throw errors.invalid([{ path: 'body.data', message: 'the file is empty; send its bytes in base64', code: 'too_small' }])
    await c.var.db.tx((tx) => existingEntry(tx, kind, id))
    const blob = await c.var.blobs.put(bytes, file.contentType, CONTENT_ATTACHMENT_POLICY, 'body.data')
    try {
      const attachment = await c.var.db.tx(async (tx) => {
        await existingEntry(tx, kind, id, 'share')
        const row = await insertAttachment(tx, id, { blobKey: blob.key, fileName: file.fileName, contentType: blob.contentType, size: blob.size })
        await audit(c, tx, `${kind}.attachment.added`, target(id), { after: row })
        return row
      })
      return c.json(attachment, 201)
    } catch (error) {
      // The entry went meanwhile (or the row could not be written): nothing names the blob.
      await c.var.blobs.delete(blob.key)
      throw error
    }
  })

  app.openapi(routes.download, async (c) => {
    const { id, attachmentId } = c.req.valid('param')
    const row = await c.var.db.tx(async (tx) => (await existingEntry(tx, kind, id)) && findAttachment(tx, id, attachmentId))
    const blob = row && (await c.var.blobs.get(row.blobKey))
    if (!row || !blob) throw notFoundAt('path.attachmentId', 'attachment', attachmentId)
    return fileResponse({ body: blob.body, contentType: row.contentType, fileName: row.fileName }) as never
  })

  app.openapi(routes.detach, async (c) => {
    const { id, attachmentId } = c.req.valid('param')
    const key = await c.var.db.tx(async (tx) => {
      await existingEntry(tx, kind, id)
      const row = await findAttachment(tx, id, attachmentId)
      if (!row) throw notFoundAt('path.attachmentId', 'attachment', attachmentId)
      await deleteAttachment(tx, attachmentId)
      await audit(c, tx, `${kind}.attachment.deleted`, target(id), { before: row })
      return row.blobKey
    })
    await c.var.blobs.delete(key)
    return c.body(null, 204)
  })
}

function registerVoteCountRoutes(app: PluginApp): void {
  const counts = route({ method: 'get', path: '/faqs/{id}/votes', tags: ['Help center FAQ'], access: read, summary: '"Was this helpful?" votes of a FAQ entry, per language', request: { params: IdParam }, responses: { 200: json(VotesSchema, 'Counts'), ...commonErrors } })
  app.openapi(counts, async (c) => {
    const { id } = c.req.valid('param')
    const votes = await c.var.db.tx(async (tx) => (await existingEntry(tx, 'faq', id)) && voteCounts(tx, id))
    return c.json({ votes }, 200)
  })
}

export function registerContentEntryRoutes(app: PluginApp): void {
  registerEntryRoutes(app, { kind: 'notice', path: '/notices', tag: 'Help center notices', input: NoticeInput, view: NoticeSchema })
  registerEntryRoutes(app, { kind: 'faq', path: '/faqs', tag: 'Help center FAQ', input: FaqInput, view: FaqSchema })
  registerVoteCountRoutes(app)
}
