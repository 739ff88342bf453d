/** Blobs in the database (`oc_blobs`), under row-level security like every tenant table. */
import type { Db } from './db.ts'
import { assertBlobKey, type BlobStore } from './blob.ts'

interface BlobRow {
  key: string
  content_type: string
  size: number
  data: Uint8Array
}

export function databaseBlobStore(db: Db): BlobStore {
  return {
    driver: 'database',
    async put(scope, key, body, contentType) {
      assertBlobKey(key)
      await db.tenantTransaction(scope, (tx) =>
        tx.sql`INSERT INTO oc_blobs (key, content_type, size, data) VALUES (${key}, ${contentType}, ${body.byteLength}, ${body})
               ON CONFLICT (service_id, key) DO UPDATE SET content_type = excluded.content_type, size = excluded.size, data = excluded.data`,
      )
      return { key, contentType, size: body.byteLength }
    },
    async get(scope, key) {
      const [row] = await db.tenantTransaction(scope, (tx) =>
        tx.sql<BlobRow>`SELECT key, content_type, size, data FROM oc_blobs WHERE key = ${key}`,
      )
      return row ? { key: row.key, contentType: row.content_type, size: row.size, body: new Uint8Array(row.data) } : null
    },
    async delete(scope, key) {
      const rows = await db.tenantTransaction(scope, (tx) => tx.sql`DELETE FROM oc_blobs WHERE key = ${key} RETURNING key`)
      return rows.length > 0
    },
  }
}
