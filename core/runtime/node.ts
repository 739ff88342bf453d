/**
 * Node.js: serve a platform with @hono/node-server, open the database named by the
 * environment (PGlite on disk by default, PostgreSQL with DATABASE_URL), keep blobs on disk,
 * and read Swagger UI's files from the installed package.
 */
import { serve, type ServerType } from '@hono/node-server'
import * as nodeCrypto from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Platform } from '../platform.ts'
import type { Db } from '../storage/db.ts'
import type { DocsAssetReader } from '../http/docs.ts'
import { lockDataDir } from './data-dir-lock.ts'
import { type BoundAddress, boundAddress } from './bound-address.ts'
import type { RuntimeServices } from '../platform/runtime-services.ts'
import { type NodeCrypto, nodeFieldCipher } from './node-cipher.ts'

/** Node's services for `createPlatform({ runtime })`: `node:dns` for the outbound guard, `createHmac` for web hook signatures. */
export const nodeRuntime: RuntimeServices = {
  resolveHost: async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address),
  webhookHmac: async (key, message) => nodeCrypto.createHmac('sha256', key).update(message, 'utf8').digest('base64'),
}

/** Field encryption on `node:crypto`, for `keyringFromEnv(env, { cipher: nodeCipher })`. */
export const nodeCipher = nodeFieldCipher(nodeCrypto as unknown as NodeCrypto)

export interface RunningServer extends BoundAddress {
  readonly port: number
  close(): Promise<void>
}

/** Serves `platform.fetch` on `hostname:port` (port 0 picks a free one). */
export async function serveNode(platform: Pick<Platform, 'fetch'>, options: { port?: number; hostname?: string } = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? '0.0.0.0'
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: platform.fetch, port: options.port ?? 3000, hostname }, () => resolve(s))
  })
  // What the socket is bound to: port 0 becomes the port picked, a name its address.
  const { port, address } = server.address() as AddressInfo
  return {
    port,
    ...boundAddress(address, port),
    close: () =>
      new Promise<void>((resolve, reject) => {
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/**
 * PostgreSQL when `DATABASE_URL` is set, else PGlite in `OC_DATA_DIR` (default `./.opencontact`).
 * `DATABASE_DIRECT_URL` beside it says `DATABASE_URL` is a transaction-mode pooler's (PgBouncer)
 * and names the server itself, for LISTEN and migrations.
 * The embedded database is locked for this process until `close()` (see data-dir-lock.ts):
 * `command` names this process in the refusal another one gets.
 */
export async function openDatabase(env: Record<string, string | undefined> = process.env, command = process.argv.slice(2).join(' ')): Promise<Db> {
  if (env.DATABASE_URL) {
    const { postgresDb } = await import('../storage/postgres.ts')
    return postgresDb(env.DATABASE_URL, { directUrl: env.DATABASE_DIRECT_URL || undefined })
  }
  const { pgliteDb } = await import('../storage/pglite.ts')
  const folder = join(dataDir(env), 'pglite')
  await mkdir(folder, { recursive: true })
  const lock = await lockDataDir(dataDir(env), command)
  try {
    const db = await pgliteDb(folder)
    return {
      ...db,
      close: async () => {
        try {
          await db.close()
        } finally {
          await lock.release()
        }
      },
    }
  } catch (error) {
    await lock.release()
    throw error
  }
}

export const dataDir = (env: Record<string, string | undefined> = process.env) => env.OC_DATA_DIR ?? join(process.cwd(), '.opencontact')

/** Reads Swagger UI's files from the installed `swagger-ui-dist` package. */
export function packageDocsAssets(): DocsAssetReader {
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const cache = new Map<string, Promise<Uint8Array | null>>()
  return (name) => {
    let hit = cache.get(name)
    if (!hit) {
      hit = readFile(join(folder, name)).then((b) => new Uint8Array(b), () => null)
      cache.set(name, hit)
    }
    return hit
  }
}
