/**
 * The file manager (W3): upload (multipart `file`, with its `purpose`), list, delete under
 * `/api/v1/helpcenter/files`, and the public download at `/{service}/hc/files/{id}/{name}` (on the
 * `/hc` mount). Type and size are checked on the bytes by the core's blob store; downloads go
 * through the core's `fileResponse` (nosniff, a sandboxing CSP, attachment unless an image).
 */
import { commonErrors, errors, fileResponse, json, route, z, type PlatformContext, type PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { FILE_POLICY, servedInline, servedType } from './policy.ts'
import { deleteFile, FILE_PURPOSES, fileView, findFile, HelpCenterFile, insertFile, listFiles } from './store.ts'

const tags = ['Help center files']
const access = { permission: 'helpcenter' } as const
const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const FileName = z.string().trim().min(1).max(100).refine((n) => !/[\\/\u0000-\u001f]/.test(n), 'a file name, without folders or control characters')

const Upload = z.object({
  file: z.instanceof(File).openapi({ type: 'string', format: 'binary', description: `At most ${FILE_POLICY.maxBytes} bytes; images (PNG, JPEG, GIF, WebP, AVIF, BMP) or UTF-8 text (CSS, JavaScript, HTML), read from the bytes` }),
  purpose: z.enum(FILE_PURPOSES).default('theme'),
})

/** The path form every URL form of the service reaches: `/o/{org}/{service}/hc`. */
const apiBase = (c: PlatformContext) => `/o/${c.var.tenant.org.slug}/${c.var.tenant.service.code}/hc`

const routes = {
  upload: route({ method: 'post', path: '/files', tags, access, bodyLimit: 'upload', summary: 'Upload a file for themes, templates or mail layouts', request: { body: { required: true, content: { 'multipart/form-data': { schema: Upload } } } }, responses: { 201: json(HelpCenterFile, 'Stored; paste its path where it is used'), 413: json(z.any(), 'Over the size limit'), 415: json(z.any(), 'Type not accepted'), ...commonErrors } }),
  list: route({ method: 'get', path: '/files', tags, access, summary: 'List uploaded files', request: { query: z.object({ purpose: z.enum(FILE_PURPOSES).optional() }) }, responses: { 200: json(z.object({ files: z.array(HelpCenterFile) }), 'Newest first'), ...commonErrors } }),
  remove: route({ method: 'delete', path: '/files/{id}', tags, access, summary: 'Delete a file (its public path stops working)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
}

const download = route({ method: 'get', path: '/files/{id}/{name}', tags, access: 'public', summary: 'Download a help-center file', request: { params: IdParam.extend({ name: z.string().openapi({ param: { name: 'name', in: 'path' } }) }) }, responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, 404: json(z.any(), 'No such file') } })


export function registerFileRoutes(app: PluginApp, _ctx: HelpCenterContext): void {
  app.openapi(routes.upload, async (c) => {
    const { file, purpose } = c.req.valid('form')
    const name = FileName.safeParse(file.name)
    if (!name.success) throw errors.invalid([{ path: 'body.file', message: `the file name '${file.name}' is not usable: up to 100 characters, without folders or control characters`, code: 'invalid_name' }])
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (!bytes.byteLength) throw errors.invalid([{ path: 'body.file', message: 'the file is empty; send its bytes', code: 'too_small' }])
    const blob = await c.var.blobs.put(bytes, file.type || undefined, FILE_POLICY, 'body.file')
    const row = await c.var.db.tx((tx) => insertFile(tx, { blob_key: blob.key, file_name: name.data, content_type: blob.contentType, size: blob.size, purpose }))
    return c.json(fileView(apiBase(c), row), 201)
  })

  app.openapi(routes.list, async (c) => {
    const rows = await c.var.db.tx((tx) => listFiles(tx, c.req.valid('query').purpose))
    return c.json({ files: rows.map((row) => fileView(apiBase(c), row)) }, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    const row = await c.var.db.tx((tx) => deleteFile(tx, id))
    if (!row) throw errors.notFound(`help-center file '${id}'`)
    await c.var.blobs.delete(row.blob_key)
    return c.body(null, 204) as never
  })
}

/** The public download, registered on the `/hc` mount. */
export function registerFileDownload(app: PluginApp): void {
  app.openapi(download, async (c) => {
    const { id } = c.req.valid('param')
    const row = await c.var.db.tx((tx) => findFile(tx, id))
    const blob = row && (await c.var.blobs.get(row.blob_key))
    if (!row || !blob) throw errors.notFound(`help-center file '${id}'`)
    const response = fileResponse({ body: blob.body, contentType: servedType(row.content_type, row.file_name), fileName: row.file_name }, { disposition: servedInline(row.content_type) ? 'inline' : 'attachment' })
    return response as never
  })
}
