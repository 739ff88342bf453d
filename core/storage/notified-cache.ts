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
  /**
   * Like `get`, but a value whose load has finished comes back as it is rather than in a
   * promise, so a request path that finds everything cached can stay synchronous.
   */
  read(key: string, load: () => Promise<V>): V | Promise<V>
  clear(): void
  /** Whether invalidation is wired; without LISTEN support nothing is cached. */
  readonly active: boolean
}

interface Entry<V> {
  readonly pending: Promise<V>
  loaded: boolean
  value?: V
}

export async function notifiedCache<V>(db: Db, channel: string, maxEntries = 10_000): Promise<NotifiedCache<V> & { stop(): Promise<void> }> {
  const entries = new Map<string, Entry<V>>()
  const clear = () => entries.clear()
  // On drivers without LISTEN (Workers), every read goes to the database: correct, not cached.
  const unlisten = db.listen ? await db.listen(channel, clear, clear) : null
  const entry = (key: string, load: () => Promise<V>): Entry<V> => {
    const hit = entries.get(key)
    if (hit) return hit
    const pending = load()
    const fresh: Entry<V> = { pending, loaded: false }
    if (entries.size >= maxEntries) entries.clear()
    entries.set(key, fresh)
    pending.then(
      (value) => {
        fresh.value = value
        fresh.loaded = true
      },
      () => {
        if (entries.get(key) === fresh) entries.delete(key)
      },
    )
    return fresh
  }
  return {
    active: unlisten !== null,
    clear,
    async get(key, load) {
      if (!unlisten) return load()
      return entry(key, load).pending
    },
    read(key, load) {
      if (!unlisten) return load()
      const found = entry(key, load)
      return found.loaded ? found.value! : found.pending
    },
    stop: async () => {
      await unlisten?.()
    },
  }
}
