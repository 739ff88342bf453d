import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bindBlobs, DOCUMENT_TYPES, inspectUpload, type BlobStore } from './blob.ts'
import { EXE, PDF, PNG, SCRIPT_HTML } from '../../test/support/files.ts'
import { databaseBlobStore } from './blob-db.ts'
import { localBlobStore } from '../runtime/blob-local.ts'
import { migrate } from './migrations.ts'
import { coreMigrations } from './core-migrations.ts'
import { DRIVERS, freshDb } from '../../test/support/databases.ts'
import type { Db } from './db.ts'

async function tenants(db: Db) {
  await migrate(db, [coreMigrations])
  const [org] = await db.sql<{ id: string }>`INSERT INTO oc_organizations (slug, name) VALUES ('o', 'O') RETURNING id`
  const make = async (code: string) => ({
    orgId: org!.id,
    serviceId: (await db.sql<{ id: string }>`INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone) VALUES (${org!.id}, ${code}, ${code}, 'ko', ${['ko']}, 'UTC') RETURNING id`)[0]!.id,
  })
  return { a: await make('a'), b: await make('b') }
}

const folders: string[] = []
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))))

const stores: [string, (db: Db) => Promise<BlobStore>][] = [
  ['database (pglite)', async (db) => databaseBlobStore(db)],
  ['local disk', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'oc-blobs-'))
    folders.push(folder)
    return localBlobStore(folder)
  }],
]

describe.each(stores)('blob store: %s', (_name, makeStore) => {
  it('stores, reads and deletes bytes per tenant, never across', async () => {
    const db = await freshDb(DRIVERS[0])
    const { a, b } = await tenants(db)
    const store = await makeStore(db)
    const bytes = new TextEncoder().encode('안녕하세요, attachment')
    const info = await store.put(a, 'file-1', bytes, 'text/plain; charset=utf-8')
    expect(info).toEqual({ key: 'file-1', contentType: 'text/plain; charset=utf-8', size: bytes.byteLength })
    const read = await store.get(a, 'file-1')
    expect(new TextDecoder().decode(read!.body)).toBe('안녕하세요, attachment')
    expect(await store.get(b, 'file-1')).toBeNull()
    expect(await store.delete(b, 'file-1')).toBe(false)
    expect(await store.delete(a, 'file-1')).toBe(true)
    expect(await store.get(a, 'file-1')).toBeNull()
    await db.close()
  })

  it('refuses keys that could escape the tenant scope', async () => {
    const db = await freshDb(DRIVERS[0])
    const { a } = await tenants(db)
    const store = await makeStore(db)
    await expect(store.put(a, '../other/file', new Uint8Array(1), 'text/plain')).rejects.toMatchObject({ code: 'OC_BAD_REQUEST' })
    await db.close()
  })
})

describe('upload policy', () => {
  const spy = () => {
    const writes: [string, string][] = []
    const store: BlobStore = {
      driver: 'spy',
      put: async (_s, key, body, contentType) => (writes.push([key, contentType]), { key, contentType, size: body.byteLength }),
      get: async () => null,
      delete: async () => false,
    }
    return { writes, blobs: bindBlobs(store, { orgId: 'o', serviceId: 's' }, { maxBytes: 100, allowedTypes: DOCUMENT_TYPES }) }
  }

  it('answers 413 over the size limit and 415 for content outside the list, naming the field, before writing', async () => {
    const { writes, blobs } = spy()
    await expect(blobs.put(new Uint8Array(101), 'image/png', undefined, 'body.data')).rejects.toMatchObject({ code: 'OC_PAYLOAD_TOO_LARGE', status: 413, issues: [{ path: 'body.data', code: 'too_big' }] })
    const refused = await blobs.put(EXE, 'image/png', undefined, 'body.data').catch((e) => e)
    expect(refused).toMatchObject({ code: 'OC_UNSUPPORTED_MEDIA_TYPE', status: 415, issues: [{ path: 'body.data', code: 'unsupported_type' }] })
    expect(refused.message).toMatch(/^body\.data: its content is not a file type accepted here .*; accepted: image\/png, image\/jpeg/)
    expect(writes).toEqual([])
  })

  it('stores the type the content shows, not the declared one', async () => {
    const { writes, blobs } = spy()
    expect(await blobs.put(PNG, 'text/html')).toMatchObject({ contentType: 'image/png', size: PNG.byteLength })
    expect((await blobs.put(SCRIPT_HTML.subarray(0, 90), 'image/png')).contentType).toBe('text/plain; charset=utf-8')
    expect((await blobs.put(PDF.subarray(0, 60), 'Application/PDF; name=x')).contentType).toBe('application/pdf')
    expect(writes.map(([, type]) => type)).toEqual(['image/png', 'text/plain; charset=utf-8', 'application/pdf'])
  })

  it('without a type list stores any content, typed application/octet-stream when unknown', () => {
    expect(inspectUpload(EXE, 'text/html', { maxBytes: 100 })).toEqual({ ok: true, contentType: 'application/octet-stream' })
    expect(inspectUpload(PNG, 'text/html', { maxBytes: 100 })).toEqual({ ok: true, contentType: 'image/png' })
  })
})
