/**
 * Compiled triggers per service, kept in process memory. Each event reads the service's
 * configuration version (one primary-key lookup; see migrations.ts for what bumps it) and
 * recompiles only when it moved, so another instance's change is seen at the next event and no
 * notification channel is needed. Bounded: the least recently used service is dropped first.
 */
import type { Queryable, Service } from '../../../core/mod.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { listFields } from '../fields/store.ts'
import { compileTriggers, type CompiledTriggers } from './compile.ts'
import { configVersion, listTriggers } from './store.ts'

const MAX_SERVICES = 500

export interface TriggerCache {
  /** The service's compiled active triggers, current as of this transaction. */
  get(tx: Queryable, service: Pick<Service, 'id' | 'languages'>): Promise<CompiledTriggers>
  /** How many compilations ran (tests check that an unchanged service is not recompiled). */
  readonly compilations: number
}

export function triggerCache(): TriggerCache {
  // The compiled set is kept as a promise, so events arriving together after a change wait for
  // one compilation instead of each running their own.
  const entries = new Map<string, { version: number; compiled: Promise<CompiledTriggers> }>()
  let compilations = 0
  return {
    get compilations() {
      return compilations
    },
    async get(tx, service) {
      // The version is read before the data: a change committed in between makes the entry
      // look older than it is, so it is recompiled once more, never kept stale.
      const version = await configVersion(tx)
      const hit = entries.get(service.id)
      if (hit && hit.version === version) {
        entries.delete(service.id)
        entries.set(service.id, hit)
        return hit.compiled
      }
      const entry = { version, compiled: compile(tx, service) }
      compilations++
      entries.delete(service.id)
      entries.set(service.id, entry)
      if (entries.size > MAX_SERVICES) entries.delete(entries.keys().next().value!)
      // A failed compilation (its transaction aborted) is not kept: the next event tries again.
      entry.compiled.catch(() => entries.get(service.id) === entry && entries.delete(service.id))
      return entry.compiled
    },
  }
}

async function compile(tx: Queryable, service: Pick<Service, 'id' | 'languages'>): Promise<CompiledTriggers> {
  const [triggers, intake, processing, fields] = [await listTriggers(tx), await loadCategoryTree(tx, 'intake'), await loadCategoryTree(tx, 'processing'), await listFields(tx, service)]
  return compileTriggers(triggers, { intake, processing, fields: new Map(fields.map((f) => [f.code, f])) })
}
