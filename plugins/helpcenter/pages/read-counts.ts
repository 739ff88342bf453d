/**
 * The read counts of notice and FAQ pages, gathered in memory and written in one statement per
 * service every `FLUSH_MS` and on shutdown, so a view (a cached page, a 304) writes nothing on its
 * own. A count not yet written is lost if the process dies: read counts are a rough figure.
 */
import type { HelpCenterContext } from '../context.ts'

const FLUSH_MS = 5_000

interface Pending {
  readonly scope: { orgId: string; serviceId: string }
  readonly reads: Map<string, number>
}

export interface ReadCounts {
  /** One more read of entry `entryId` of the service `scope`. */
  count(scope: { orgId: string; serviceId: string }, entryId: string): void
  /** Writes every gathered count (one statement per service). */
  flush(): Promise<void>
  /** Flushes every `FLUSH_MS` from now on (at boot). */
  start(): void
  /** Stops the timer and writes what is left (at shutdown). */
  stop(): Promise<void>
}

const registry = new WeakMap<HelpCenterContext['db'], ReadCounts>()

/** The read counts of the platform database of `ctx` (one per database, shared by the pages). */
export function readCountsOf(ctx: Pick<HelpCenterContext, 'db' | 'tenantDb' | 'log'>): ReadCounts {
  let counts = registry.get(ctx.db)
  if (!counts) registry.set(ctx.db, (counts = createReadCounts(ctx)))
  return counts
}

/** The read counts already made for the platform database `db`, if any (for a flush from outside a plugin context). */
export const readCountsFor = (db: HelpCenterContext['db']): ReadCounts | undefined => registry.get(db)

function createReadCounts(ctx: Pick<HelpCenterContext, 'tenantDb' | 'log'>): ReadCounts {
  let pending = new Map<string, Pending>()
  let timer: ReturnType<typeof setInterval> | undefined
  const flush = async () => {
    const batch = pending
    pending = new Map()
    for (const { scope, reads } of batch.values()) {
      try {
        await ctx.tenantDb(scope).tx((tx) => tx.sql`
          UPDATE helpcenter_entries e SET read_count = e.read_count + v.reads
          FROM unnest(${[...reads.keys()]}::uuid[], ${[...reads.values()]}::int[]) AS v(id, reads) WHERE e.id = v.id`)
      } catch (error) {
        ctx.log.warn('the help center\'s read counts could not be written; they are dropped', { serviceId: scope.serviceId, error: String(error) })
      }
    }
  }
  return {
    count(scope, entryId) {
      const key = scope.serviceId
      let service = pending.get(key)
      if (!service) pending.set(key, (service = { scope, reads: new Map() }))
      service.reads.set(entryId, (service.reads.get(entryId) ?? 0) + 1)
    },
    flush,
    start() {
      timer ??= setInterval(() => void flush(), FLUSH_MS)
      // Node: the timer alone does not keep the process alive.
      ;(timer as { unref?: () => void }).unref?.()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      await flush()
    },
  }
}
