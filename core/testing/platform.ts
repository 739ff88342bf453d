/**
 * The in-process half of the test harness: a platform with the plugins under test on a
 * database of its own (in-memory PGlite, or PostgreSQL), started, with an operator token, and
 * the HTTP-level client (client.ts) over its `fetch`: the same request path as a server, minus
 * the socket.
 */
import postgres from 'postgres'
import type { Plugin } from '../api/define.ts'
import { createPlatform, type Platform, type PlatformOptions } from '../platform.ts'
import { createLogger } from '../log.ts'
import type { Db } from '../storage/db.ts'
import { postgresDb } from '../storage/postgres.ts'
import { createOperatorToken } from '../identity/operator-tokens.ts'
import { type FetchFunction, TEST_PASSWORD_ITERATIONS, type TestClient, testClient } from './client.ts'

/**
 * Where a test platform keeps its data: `'pglite'`, an in-memory PGlite of its own; or a
 * PostgreSQL server, either the database at `postgresUrl` as it is, or with `freshDatabase`
 * a new empty database created on that server for this platform.
 */
export type TestDriver = 'pglite' | { postgresUrl: string; freshDatabase?: boolean }

export interface TestPlatformOptions extends Partial<Omit<PlatformOptions, 'db' | 'plugins'>> {
  /** The plugins installed (contract them per service with `tp.service(..., { plugins })`). */
  plugins: readonly Plugin[]
  /** Default `'pglite'`. */
  driver?: TestDriver
  /** A database opened by the test instead of `driver`; the test closes it. */
  db?: Db
}

export interface TestPlatform extends TestClient {
  platform: Platform
  /** The platform's database, as the owner: for assertions on rows a route wrote. */
  db: Db
  operatorToken: string
  /** The platform's request handler, for calls the client does not make. */
  fetch: FetchFunction
  /**
   * Delivers every event that is due (subscribers, web hooks, trigger runs and their effects)
   * until none is left, and returns how many deliveries ran: for platforms started with
   * `events: { background: false }`, whose tests say when events are handled.
   */
  drainEvents(): Promise<number>
  /** Stops the platform and closes the database it opened. */
  close(): Promise<void>
}

/**
 * Starts a platform for a plugin's tests: migrated, started, with an operator token, silent
 * logs and a cheap password work factor (override either through the platform options).
 *
 * @example
 * import { createTestPlatform } from 'opencontact/testing'
 * import ticket from 'opencontact/plugins/ticket'
 * import hello from './mod.ts'
 *
 * const tp = await createTestPlatform({ plugins: [ticket, hello] })   // or driver: { postgresUrl, freshDatabase: true }
 * const svc = await tp.service('acme', 'support', { plugins: ['ticket', 'hello'] })
 * const agent = await svc.agent({ permissions: ['hello'] })
 * const res = await agent.call('/hello/greetings', { body: { name: 'Ada' } })
 * // res.status === 201, res.body.text === 'Hello, Ada!'
 * await tp.close()
 */
export async function createTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const { driver = 'pglite', db: given, ...platformOptions } = options
  const db = given ?? (await openTestDb(driver))
  try {
    const platform = createPlatform({
      log: createLogger('silent'),
      ...platformOptions,
      identity: { passwordIterations: TEST_PASSWORD_ITERATIONS, ...platformOptions.identity },
      db,
    })
    await platform.start()
    const { token } = await createOperatorToken(db, 'test operator')
    return {
      ...testClient({ fetch: platform.fetch, operatorToken: token }),
      platform,
      db,
      operatorToken: token,
      fetch: platform.fetch,
      // The platform's drain already repeats until nothing is due, events its deliveries emit included.
      drainEvents: () => platform.drainEvents(),
      async close() {
        await platform.stop()
        if (!given) await db.close()
      },
    }
  } catch (error) {
    if (!given) await db.close()
    throw error
  }
}

async function openTestDb(driver: TestDriver): Promise<Db> {
  if (driver === 'pglite') {
    // Loaded only when asked for: PGlite's WebAssembly build is large and PostgreSQL-only suites never need it.
    const { pgliteDb } = await import('../storage/pglite.ts')
    return pgliteDb()
  }
  return postgresDb(driver.freshDatabase ? await createTestDatabase(driver.postgresUrl) : driver.postgresUrl)
}

/**
 * Creates an empty database on the PostgreSQL server at `serverUrl` (as a role that may create
 * databases) and returns its URL, for a test that wants a database of its own.
 *
 * @example
 * const url = await createTestDatabase('postgres://postgres@127.0.0.1:5432/postgres')
 * // postgres://postgres@127.0.0.1:5432/oc_test_3f2a9c1d0b7e4a65
 */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const name = `oc_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}
