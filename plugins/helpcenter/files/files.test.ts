/**
 * The file manager (W3) on both drivers: type and size read from the bytes (a renamed file does
 * not pass), SVG and HTML never served inline, the public path works until the file is deleted.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
const text = (s: string) => new TextEncoder().encode(s)

describe.each(drivers)('help-center files on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let token: string
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver() })
    svc = await tp.service('files', 'desk', { plugins: ['ticket', 'helpcenter'] })
    token = (await svc.agent({ permissions: ['helpcenter'] })).token
  })
  afterAll(() => tp.close())

  const upload = async (bytes: Uint8Array, name: string, type: string, purpose = 'theme', as = token) => {
    const form = new FormData()
    form.set('file', new File([bytes as BlobPart], name, { type }))
    form.set('purpose', purpose)
    const res = await tp.fetch(new Request(`http://opencontact.test${svc.api}/helpcenter/files`, { method: 'POST', headers: { authorization: `Bearer ${as}` }, body: form }))
    return { status: res.status, body: await res.json() }
  }
  const download = (path: string) => tp.fetch(new Request(`http://opencontact.test${path}`))

  it('stores an image, lists it with its public path, serves it inline with nosniff and a sandbox CSP, and deletes it', async () => {
    const made = await upload(PNG, 'logo.png', 'image/png')
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ fileName: 'logo.png', contentType: 'image/png', size: PNG.byteLength, purpose: 'theme', path: `/o/files/desk/hc/files/${made.body.id}/logo.png` })
    const listed = await ok(svc.call('/helpcenter/files?purpose=theme'))
    expect(listed.files.map((f: { id: string }) => f.id)).toContain(made.body.id)
    const res = await download(made.body.path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-disposition')).toMatch(/^inline/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toMatch(/sandbox/)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG)
    expect((await svc.call(`/helpcenter/files/${made.body.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await download(made.body.path)).status).toBe(404)
    expect((await svc.call(`/helpcenter/files/${made.body.id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('never serves SVG or HTML inline, whatever the name or declared type says', async () => {
    for (const [name, type, body] of [
      ['logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
      ['photo.png', 'image/png', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
      ['page.html', 'text/html', '<!doctype html><script>alert(1)</script>'],
    ] as const) {
      const made = await upload(text(body), name, type)
      expect(made.status, name).toBe(201)
      expect(made.body.contentType).toBe('text/plain; charset=utf-8')
      const res = await download(made.body.path)
      expect(res.headers.get('content-type'), name).toBe('text/plain; charset=utf-8')
      expect(res.headers.get('content-disposition'), name).toMatch(/^attachment/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/)
    }
  })

  it('serves a theme stylesheet and script as such (text by content, named .css / .js)', async () => {
    const css = await upload(text('.main_banner { color: red }'), 'theme.css', 'text/css')
    expect((await download(css.body.path)).headers.get('content-type')).toBe('text/css; charset=utf-8')
    const js = await upload(text('console.log(1)'), 'theme.js', 'text/javascript', 'template')
    expect((await download(js.body.path)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    // A PNG named .css is an image: the name chooses among text types only.
    const png = await upload(PNG, 'sneaky.css', 'text/css')
    expect((await download(png.body.path)).headers.get('content-type')).toBe('image/png')
  })

  it('refuses the wrong type (read from the bytes) and files over the limit, naming the types and the limit', async () => {
    const pdf = await upload(text('%PDF-1.7\n'), 'doc.png', 'image/png')
    expect(pdf.status).toBe(415)
    expect(pdf.body.error.message).toMatch(/application\/pdf.*read from the file's bytes.*accepted: image\/png, image\/jpeg/)
    const binary = await upload(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), 'tool.png', 'image/png')
    expect(binary.status).toBe(415)
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    big.set(PNG)
    const tooBig = await upload(big, 'huge.png', 'image/png')
    expect(tooBig.status).toBe(413)
    expect(tooBig.body.error.message).toMatch(/the limit is 5242880 bytes/)
    expect((await upload(new Uint8Array(), 'empty.png', 'image/png')).status).toBe(422)
    expect((await upload(PNG, 'logo.png', 'image/png', 'elsewhere')).status).toBe(422)
  })

  it('needs the helpcenter permission to manage files; downloads are public', async () => {
    const plain = await svc.agent()
    expect((await upload(PNG, 'logo.png', 'image/png', 'theme', plain.token)).status).toBe(403)
    expect((await svc.call('/helpcenter/files', { token: plain.token })).status).toBe(403)
  })
})
