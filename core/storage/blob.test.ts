import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bindBlobs, type BlobStore } from './blob.ts'
import { databaseBlobStore } from './blob-db.ts'
import { localBlobStore } from './blob-local.ts'
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

describe('upload limits', () => {
  it('answers 413 over the size limit and 415 for a type outside the list, before writing', async () => {
    const writes: string[] = []
    const store: BlobStore = {
      driver: 'spy',
      put: async (_s, key, body, contentType) => (writes.push(key), { key, contentType, size: body.byteLength }),
      get: async () => null,
      delete: async () => false,
    }
    const blobs = bindBlobs(store, { orgId: 'o', serviceId: 's' }, { maxBytes: 10, allowedTypes: ['image/*', 'application/pdf'] })
    await expect(blobs.put(new Uint8Array(11), 'image/png')).rejects.toMatchObject({ code: 'OC_PAYLOAD_TOO_LARGE', status: 413 })
    await expect(blobs.put(new Uint8Array(5), 'application/x-msdownload')).rejects.toMatchObject({ code: 'OC_UNSUPPORTED_MEDIA_TYPE', status: 415 })
    expect(writes).toEqual([])
    const ok = await blobs.put(new Uint8Array(5), 'image/png')
    expect(ok.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(await blobs.put(new Uint8Array(5), 'Application/PDF; name=x')).toMatchObject({ size: 5 })
  })
})
