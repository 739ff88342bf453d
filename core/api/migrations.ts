/**
 * A plugin's schema changes as it declares them (`definePlugin({ migrations })`); the runner that
 * applies them in order, once, under a lock, is storage/migrations.ts.
 */
import type { Queryable } from './db.ts'

/** One schema change. `sql` may hold several statements; `up` is for changes SQL alone cannot make. */
export interface Migration {
  /** Unique within its owner and sorted by intent, e.g. `0001_greetings`. */
  readonly id: string
  readonly sql?: string
  readonly up?: (tx: Queryable) => Promise<void>
}
