/**
 * Stored files on both drivers, through every way in (native upload, signed compat upload, mail)
 * and every URL that serves them (native download, compat public download with and without
 * `type=open`): a file's type comes from its bytes, so HTML or SVG stored under any name or
 * declared type is plain text and never served as markup; only raster images, PDF and plain text
 * are inline, and every file response carries nosniff and the sandboxing CSP. A content type
 * with control characters is refused on the way in, and stored ones from before (inserted here
 * directly) download without a 500 and are normalised by the ticket plugin's migration. A replayed
 * signed upload (the signature covers only the file's MD5) cannot change the stored type.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../support/databases.ts'
import { JPEG, PDF, PNG, SCRIPT_HTML, SCRIPT_SVG } from '../support/files.ts'
import { BASE_DOMAIN, CLIENT_IP, compatBed, type CompatBed, signedClient } from '../oc-compat/harness.ts'
import { ocClient, signature } from '../oc-compat/client.ts'
import { rawMail } from '../../plugins/ticket/mail/inbound/test-bed.ts'
import { attachmentTypeMigration } from '../../plugins/ticket/tickets/attachment-types.ts'

const TEXT = 'text/plain; charset=utf-8'
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

/** Every file response, whatever it serves. */
function expectGuarded(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/)
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
}

describe.each(DRIVERS)('stored files on %s', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  const origin = `https://acme.${BASE_DOMAIN}`
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
  }, 120_000)
  afterAll(() => bed?.t.close())

  const nativeUpload = (fileName: string, contentType: string, bytes: Uint8Array) => bed.call(`${bed.api}/ticket/attachments`, { body: { fileName, contentType, data: b64(bytes) } })
  const nativeDownload = (id: string) => bed.t.platform.fetch(new Request(`http://opencontact.test${bed.api}/ticket/attachments/${id}`, { headers: { authorization: `Bearer ${bed.t.operatorToken}` } }))
  /** Every URL that serves the file, with what each answers. */
  const servedEverywhere = async (id: string) => [await nativeDownload(id), await client.download(id, 'download'), await client.download(id, 'open')]
  const mailFiles = async (files: { fileName: string; contentType: string; content: Uint8Array }[]) => {
    const res = await bed.t.platform.fetch(
      new Request(`http://opencontact.test${bed.api}/ticket/mail/inbound`, { method: 'POST', headers: { authorization: `Bearer ${bed.securityKey}`, 'content-type': 'message/rfc822' }, body: rawMail({ subject: 'files', attachments: files }) }),
    )
    expect(res.status).toBe(201)
    const { ticketId } = (await res.json()) as { ticketId: string }
    return (await bed.call(`${bed.api}/ticket/tickets/${ticketId}/entries`)).body.attachments as { id: string; fileName: string; contentType: string }[]
  }

  it('stores a signed compat upload of HTML named .png as plain text, and never serves it as HTML or inline markup', async () => {
    for (const [name, type, bytes] of [['evil.png', 'text/html', SCRIPT_HTML], ['logo.png', 'image/svg+xml', SCRIPT_SVG], ['page.txt', 'text/html', SCRIPT_HTML]] as const) {
      const up = await client.upload({ name, type, bytes })
      expect(up.status, JSON.stringify(up.body)).toBe(200)
      expect(up.body.result.content.contentType).toBe(TEXT)
      for (const res of await servedEverywhere(up.body.result.content.attachmentId)) {
        expectGuarded(res)
        expect(res.headers.get('content-type')).toBe(TEXT)
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
      }
    }
  })

  it('stores native uploads of SVG and HTML as plain text and serves them as attachments', async () => {
    for (const [name, type, bytes] of [['logo.svg', 'image/svg+xml', SCRIPT_SVG], ['page.html', 'text/html', SCRIPT_HTML]] as const) {
      const up = await nativeUpload(name, type, bytes)
      expect(up.status, JSON.stringify(up.body)).toBe(201)
      expect(up.body.contentType).toBe(TEXT)
      const [native, download] = await servedEverywhere(up.body.id)
      for (const res of [native!, download!]) {
        expectGuarded(res)
        expect(res.headers.get('content-type')).toBe(TEXT)
        expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
      }
    }
  })

  it('stores SVG and HTML mail attachments as plain text, whatever their MIME type says', async () => {
    const files = await mailFiles([
      { fileName: 'logo.svg', contentType: 'image/svg+xml', content: SCRIPT_SVG },
      { fileName: 'invoice.html', contentType: 'text/html', content: SCRIPT_HTML },
      { fileName: 'photo.png', contentType: 'text/html', content: PNG },
    ])
    const byName = new Map(files.map((f) => [f.fileName, f]))
    expect(byName.get('logo.svg')!.contentType).toBe(TEXT)
    expect(byName.get('invoice.html')!.contentType).toBe(TEXT)
    expect(byName.get('photo.png')!.contentType).toBe('image/png')
    for (const name of ['logo.svg', 'invoice.html']) {
      for (const res of await servedEverywhere(byName.get(name)!.id)) {
        expectGuarded(res)
        expect(res.headers.get('content-type')).toBe(TEXT)
      }
    }
  })

  it('serves real PNG, JPEG and PDF inline when asked (type=open), as attachments otherwise, typed by their bytes', async () => {
    for (const [name, declared, bytes, type] of [['a.png', 'application/octet-stream', PNG, 'image/png'], ['b.jpg', 'image/png', JPEG, 'image/jpeg'], ['c.pdf', 'text/plain', PDF, 'application/pdf']] as const) {
      const up = await client.upload({ name, type: declared, bytes })
      expect(up.body.result.content.contentType).toBe(type)
      const [native, download, open] = await servedEverywhere(up.body.result.content.attachmentId)
      for (const res of [native!, download!, open!]) {
        expectGuarded(res)
        expect(res.headers.get('content-type')).toBe(type)
      }
      expect(open!.headers.get('content-disposition')).toMatch(/^inline;/)
      expect(download!.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(native!.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(new Uint8Array(await open!.arrayBuffer())).toEqual(bytes)
    }
  })

  it('refuses a declared content type with CR/LF or another control character (422 naming the field)', async () => {
    for (const type of ['image/png\r\nSet-Cookie: a=b', 'image/png\n', 'image/png\u0000', 'image/png\u007f']) {
      const res = await nativeUpload('a.png', type, PNG)
      expect(res.status, type).toBe(422)
      expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'body.contentType' })])
      expect(res.body.error.issues[0].message).toMatch(/control character|NUL character/)
    }
    // A multipart part cannot carry one through (the runtime's File blanks such a type): the type still comes from the bytes.
    const timestamp = String(Date.now())
    const path = '/desk/openapi/v1/ticket/attachments/upload.json'
    const boundary = 'b0undary'
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/gif\u000b\r\n\r\n`), Buffer.from(PNG), Buffer.from(`\r\n--${boundary}--\r\n`)])
    const res = await bed.fetchFrom(CLIENT_IP)(
      new Request(`${origin}${path}`, {
        method: 'POST',
        headers: { 'x-tc-timestamp': timestamp, authorization: signature(bed.securityKey, bed.orgId + path + createHash('md5').update(PNG).digest('hex') + timestamp), 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      }),
    )
    const answer = await res.json()
    expect(res.status, JSON.stringify(answer)).toBe(200)
    expect(answer.result.content.contentType).toBe('image/png')
  })

  it('downloads a legacy stored type with CR/LF without a 500 (as application/octet-stream), and the migration normalises stored types', async () => {
    const crlf = (await nativeUpload('legacy.png', 'image/png', PNG)).body.id as string
    const shouting = (await nativeUpload('shout.png', 'image/png', PNG)).body.id as string
    const html = (await nativeUpload('legacy.html', 'text/html', SCRIPT_HTML)).body.id as string
    const set = (id: string, type: string) => bed.t.db.query('UPDATE ticket_attachments SET content_type = $1 WHERE id = $2', [type, id])
    await set(crlf, 'image/png\r\nSet-Cookie: a=b')
    await set(shouting, 'IMAGE/PNG; name="x.png"')
    await set(html, 'text/html')
    for (const res of await servedEverywhere(crlf)) {
      expectGuarded(res)
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
    }
    // Stored as HTML before the policy: served with its type, but never inline.
    for (const res of await servedEverywhere(html)) {
      expectGuarded(res)
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
    }

    await attachmentTypeMigration.up!(bed.t.db)
    const types = Object.fromEntries((await bed.t.db.query<{ id: string; content_type: string }>('SELECT id, content_type FROM ticket_attachments WHERE id = ANY($1)', [[crlf, shouting, html]])).map((r) => [r.id, r.content_type]))
    expect(types).toEqual({ [crlf]: 'application/octet-stream', [shouting]: 'image/png', [html]: 'text/html' })
  })

  it('a replayed signed upload (same bytes and signature, another declared type and name) still stores the type of the content', async () => {
    const timestamp = String(Date.now())
    const path = '/desk/openapi/v1/ticket/attachments/upload.json'
    const authorization = signature(bed.securityKey, bed.orgId + path + createHash('md5').update(SCRIPT_HTML).digest('hex') + timestamp)
    const send = (name: string, type: string) => {
      const form = new FormData()
      form.append('file', new Blob([SCRIPT_HTML as Uint8Array<ArrayBuffer>], { type }), name)
      return bed.fetchFrom(CLIENT_IP)(new Request(`${origin}${path}`, { method: 'POST', headers: { 'x-tc-timestamp': timestamp, authorization }, body: form }))
    }
    const first = await (await send('note.txt', 'text/plain')).json()
    const replayed = await send('note.png', 'text/html')
    const second = await replayed.json()
    // The signature does not cover the name or the declared type, so the replay is taken …
    expect(replayed.status, JSON.stringify(second)).toBe(200)
    expect(second.result.content.fileName).toBe('note.png')
    // … but what it stores is typed by the same bytes.
    expect([first.result.content.contentType, second.result.content.contentType]).toEqual([TEXT, TEXT])
    const res = await client.download(second.result.content.attachmentId, 'open')
    expectGuarded(res)
    expect(res.headers.get('content-type')).toBe(TEXT)
  })
})
