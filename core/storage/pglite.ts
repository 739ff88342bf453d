/**
 * The PGlite driver: PostgreSQL compiled to WebAssembly, in process. The embedded default for
 * `opencontact serve` on Node and Deno. It has a single connection, so statements and
 * transactions queue behind each other; PGlite itself serialises them.
 */
import { PGlite } from '@electric-sql/pglite'
import { type Db, type Queryable, queryable, TENANT_PROLOGUE } from './db.ts'

interface PgliteRunner {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
  exec(script: string): Promise<unknown>
}

const over = (runner: PgliteRunner): Queryable =>
  queryable(
    async (text, params = []) => (await runner.query(text, params as unknown[])).rows as never,
    async (script) => void (await runner.exec(script)),
  )

/** Opens (creating on first use) a PGlite database in `dataDir`, or in memory without one. */
export async function pgliteDb(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create(dataDir ? { dataDir } : {})
  return {
    driver: 'pglite',
    ...over(pg),
    transaction: (fn) => pg.transaction((tx) => fn(over(tx))),
    tenantTransaction: (scope, fn) =>
      pg.transaction(async (tx) => {
        // PGlite connects as a superuser, which always bypasses RLS: drop to the app role first.
        await tx.query(TENANT_PROLOGUE.text, TENANT_PROLOGUE.params(scope))
        return fn(over(tx))
      }),
    async listen(channel, onNotify, onListen) {
      const unlisten = await pg.listen(channel, onNotify)
      onListen?.()
      return unlisten
    },
    close: () => pg.close(),
  }
}
