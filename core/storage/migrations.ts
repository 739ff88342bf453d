/**
 * Ordered, recorded migrations: the core's first, then each plugin's in dependency order.
 * One run is one transaction under a transaction-scoped advisory lock, so instances starting
 * together apply each migration exactly once and a failed run leaves nothing half-applied.
 */
import type { Db, Queryable } from './db.ts'
import { OcError } from '../http/errors.ts'
import type { Migration } from '../api/migrations.ts'

export type { Migration } from '../api/migrations.ts'

export interface MigrationSet {
  /** `core` or a plugin id; recorded ids are `<owner>:<id>`. */
  readonly owner: string
  readonly migrations: readonly Migration[]
}

const LOCK_KEY = 7_262_001 // any constant shared by every instance of this platform

const LEDGER = `CREATE TABLE IF NOT EXISTS oc_migrations (
  id text PRIMARY KEY,
  owner text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`

/**
 * Applies every pending migration; returns the ids it applied, in order. Behind a
 * transaction-mode pooler they run on the direct connection: a long DDL transaction there holds
 * none of the pooler's few server connections and meets none of its timeouts.
 */
export async function migrate(db: Db, sets: readonly MigrationSet[]): Promise<string[]> {
  for (const set of sets) checkIds(set)
  return (db.direct ?? db).transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY])
    await tx.query(LEDGER)
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM oc_migrations')).map((r) => r.id))
    const applied: string[] = []
    for (const set of sets) {
      for (const migration of set.migrations) {
        const id = `${set.owner}:${migration.id}`
        if (done.has(id)) continue
        try {
          if (migration.sql) await tx.exec(migration.sql)
          if (migration.up) await migration.up(tx)
        } catch (cause) {
          throw new OcError('OC_MIGRATION_FAILED', `migration '${id}' failed: ${(cause as Error).message}`, { cause })
        }
        await tx.query('INSERT INTO oc_migrations (id, owner) VALUES ($1, $2)', [id, set.owner])
        applied.push(id)
      }
    }
    return applied
  })
}

/** Lists migrations that `migrate` would apply (reading where `migrate` writes). */
export async function pendingMigrations(db: Db, sets: readonly MigrationSet[]): Promise<string[]> {
  const on = db.direct ?? db
  await on.query(LEDGER)
  const done = new Set((await on.query<{ id: string }>('SELECT id FROM oc_migrations')).map((r) => r.id))
  return sets.flatMap((set) => set.migrations.map((m) => `${set.owner}:${m.id}`)).filter((id) => !done.has(id))
}

function checkIds(set: MigrationSet): void {
  const seen = new Set<string>()
  for (const m of set.migrations) {
    if (!m.sql && !m.up) throw new OcError('OC_MIGRATION_EMPTY', `migration '${set.owner}:${m.id}' has neither sql nor up`)
    if (seen.has(m.id)) throw new OcError('OC_MIGRATION_DUPLICATE', `migration id '${m.id}' appears twice in '${set.owner}'`)
    seen.add(m.id)
  }
}
