/**
 * Blobs on local disk (Node and Deno): `<root>/<org id>/<service id>/<key>` plus a small
 * `.meta.json` beside each file for its content type. Writes go to a temporary name first and
 * are renamed into place, so a reader never sees half a file.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assertBlobKey, type BlobStore } from '../storage/blob.ts'
import type { TenantScope } from '../storage/db.ts'

export function localBlobStore(root: string): BlobStore {
  const dir = (scope: TenantScope) => join(root, scope.orgId, scope.serviceId)
  return {
    driver: 'local',
    async put(scope, key, body, contentType) {
      assertBlobKey(key)
      const folder = dir(scope)
      await mkdir(folder, { recursive: true })
      const temp = join(folder, `.${key}.${crypto.randomUUID()}.tmp`)
      await writeFile(temp, body)
      await writeFile(join(folder, `${key}.meta.json`), JSON.stringify({ contentType, size: body.byteLength }))
      await rename(temp, join(folder, key))
      return { key, contentType, size: body.byteLength }
    },
    async get(scope, key) {
      assertBlobKey(key)
      try {
        const folder = dir(scope)
        const [body, meta] = await Promise.all([readFile(join(folder, key)), readFile(join(folder, `${key}.meta.json`), 'utf8')])
        const { contentType } = JSON.parse(meta) as { contentType: string }
        return { key, contentType, size: body.byteLength, body: new Uint8Array(body) }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async delete(scope, key) {
      assertBlobKey(key)
      const file = join(dir(scope), key)
      try {
        await rm(file)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
        throw error
      }
      await rm(`${file}.meta.json`, { force: true })
      return true
    },
  }
}
