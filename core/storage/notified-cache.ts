/**
 * A read-through cache that every instance empties when PostgreSQL tells it to (NOTIFY), so a
 * change made anywhere (another instance, the CLI) is seen at once without a restart.
 *
 * A pending load is cached as its promise, entered before it starts: an invalidation that
 * arrives while it runs removes it, so a value read before a change is never kept after it.
 */
import type { Db } from './db.ts'

export interface NotifiedCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>
  clear(): void
  /** Whether invalidation is wired; without LISTEN support nothing is cached. */
  readonly active: boolean
}

export async function notifiedCache<V>(db: Db, channel: string, maxEntries = 10_000): Promise<NotifiedCache<V> & { stop(): Promise<void> }> {
  const entries = new Map<string, Promise<V>>()
  const clear = () => entries.clear()
  // On drivers without LISTEN (Workers), every read goes to the database: correct, not cached.
  const unlisten = db.listen ? await db.listen(channel, clear, clear) : null
  return {
    active: unlisten !== null,
    clear,
    async get(key, load) {
      if (!unlisten) return load()
      const hit = entries.get(key)
      if (hit) return hit
      const pending = load()
      if (entries.size >= maxEntries) entries.clear()
      entries.set(key, pending)
      pending.catch(() => {
        if (entries.get(key) === pending) entries.delete(key)
      })
      return pending
    },
    stop: async () => {
      await unlisten?.()
    },
  }
}
