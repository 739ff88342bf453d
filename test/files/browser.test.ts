/**
 * Acceptance for served files, in headless Chromium on both drivers: HTML and SVG files with
 * script, uploaded through every way in (native upload, signed compat upload, incoming mail) and
 * stored by older releases as markup (rows set to `text/html` / `image/svg+xml` directly), are
 * opened through every URL the platform serves files at: the native download, and the compat
 * public download with and without `type=open` (mail attachments have no URL of their own; they
 * are served by these two). A page-level hook (test/support/browser.ts) records any script run;
 * none may run. The same files set as a page's content do run, so the hook is proven to see them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../support/databases.ts'
import { SCRIPT_HTML, SCRIPT_SVG } from '../support/files.ts'
import { startBrowser, type TestBrowser } from '../support/browser.ts'
import { BASE_DOMAIN, CLIENT_IP, compatBed, type CompatBed, signedClient } from '../oc-compat/harness.ts'
import { rawMail } from '../../plugins/ticket/mail/inbound/test-bed.ts'
import { serveNode, type RunningServer } from '../../core/runtime/node.ts'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const HOSTILE = [
  { kind: 'html', name: 'page.html', type: 'text/html', bytes: SCRIPT_HTML },
  { kind: 'svg', name: 'logo.svg', type: 'image/svg+xml', bytes: SCRIPT_SVG },
] as const

describe.each(DRIVERS)('served files in Chromium on %s', (driver) => {
  let bed: CompatBed
  let server: RunningServer
  let browser: TestBrowser
  beforeAll(async () => {
    bed = await compatBed(driver)
    // A real HTTP server: the browser sees the platform's own responses, headers and all.
    server = await serveNode({ fetch: ((request: Request) => bed.fetchFrom(CLIENT_IP)(request)) as never }, { port: 0, hostname: '127.0.0.1' })
    browser = await startBrowser({ args: [`--host-resolver-rules=MAP *.${BASE_DOMAIN} 127.0.0.1`] })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await bed?.t.close()
  })

  /** Stores each hostile file every way in; returns [label, attachment id]. */
  async function storeEveryWay(): Promise<[string, string][]> {
    const client = signedClient(bed)
    const stored: [string, string][] = []
    for (const file of HOSTILE) {
      const native = await bed.call(`${bed.api}/ticket/attachments`, { body: { fileName: file.name, contentType: file.type, data: Buffer.from(file.bytes).toString('base64') } })
      expect(native.status, JSON.stringify(native.body)).toBe(201)
      stored.push([`native-${file.kind}`, native.body.id])
      // Named as an image, declared as markup: the old compat upload stored and served it as sent.
      const compat = await client.upload({ name: `${file.kind}.png`, type: file.type, bytes: file.bytes })
      expect(compat.status, JSON.stringify(compat.body)).toBe(200)
      stored.push([`compat-${file.kind}`, compat.body.result.content.attachmentId])
    }
    const mail = await bed.t.platform.fetch(
      new Request(`http://opencontact.test${bed.api}/ticket/mail/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bed.securityKey}`, 'content-type': 'message/rfc822' },
        body: rawMail({ subject: 'files', attachments: HOSTILE.map((f) => ({ fileName: f.name, contentType: f.type, content: f.bytes })) }),
      }),
    )
    expect(mail.status).toBe(201)
    const { ticketId } = (await mail.json()) as { ticketId: string }
    const files = (await bed.call(`${bed.api}/ticket/tickets/${ticketId}/entries`)).body.attachments as { id: string; fileName: string }[]
    expect(files).toHaveLength(HOSTILE.length)
    for (const f of files) stored.push([`mail-${HOSTILE.find((h) => h.name === f.fileName)!.kind}`, f.id])
    // Rows stored as markup by a release before the upload policy.
    for (const file of HOSTILE) {
      const legacy = await bed.call(`${bed.api}/ticket/attachments`, { body: { fileName: `legacy-${file.name}`, contentType: 'text/plain', data: Buffer.from(file.bytes).toString('base64') } })
      await bed.t.db.query('UPDATE ticket_attachments SET content_type = $1 WHERE id = $2', [file.type, legacy.body.id])
      stored.push([`legacy-${file.kind}`, legacy.body.id])
    }
    return stored
  }

  it('the hook sees the hostile files run when they are a page of their own', async () => {
    for (const file of HOSTILE) {
      const control = await browser.open(`${driver}-control-${file.kind}`, { html: file.kind === 'html' ? text(file.bytes) : `<!doctype html><body>${text(file.bytes)}</body>` })
      expect(control.scripts.length, file.kind).toBeGreaterThan(0)
    }
  })

  it('runs no script of an uploaded HTML or SVG file, through every file URL, however it came in', async () => {
    const stored = await storeEveryWay()
    expect(stored.map(([label]) => label).sort()).toEqual(['compat-html', 'compat-svg', 'legacy-html', 'legacy-svg', 'mail-html', 'mail-svg', 'native-html', 'native-svg'])
    const compatBase = `http://acme.${BASE_DOMAIN}:${server.port}/desk/api/v2/ticket/attachments`
    let shownInline = 0
    for (const [label, id] of stored) {
      const urls: [string, string, Record<string, string>][] = [
        ['native', `${server.url}${bed.api}/ticket/attachments/${id}`, { authorization: `Bearer ${bed.t.operatorToken}` }],
        ['compat-download', `${compatBase}/${id}`, {}],
        ['compat-download-type', `${compatBase}/${id}?type=download`, {}],
        ['compat-open', `${compatBase}/${id}?type=open`, {}],
      ]
      for (const [where, url, extraHTTPHeaders] of urls) {
        const opened = await browser.open(`${driver}-${label}-${where}`, { url }, { extraHTTPHeaders })
        expect(opened.scripts, `${label} at ${where}`).toEqual([])
        // Either saved as a file, or shown as text: the markup is on screen, not run.
        if (!opened.downloaded) {
          shownInline++
          expect(opened.contentType, `${label} at ${where}`).toBe('text/plain; charset=utf-8')
          expect(opened.text).toContain('<script>')
        }
      }
    }
    // The files stored since the policy (six) open as text with type=open; legacy markup rows never show.
    expect(shownInline).toBe(6)
  }, 120_000)
})
