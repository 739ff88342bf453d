/**
 * What every page of a service is made of besides its URL, kept in memory per service on this
 * instance: the page version (pages/versions-migration.ts), the help center's settings and the
 * theme in use for each layout. An anonymous visitor's cached page is found with these alone, so
 * a cache hit opens no transaction.
 *
 * As in the ticket plugin's form cache, a state is kept only after the transaction that read it
 * committed and only if no change was announced since its read began (`generation`); the NOTIFY
 * the triggers send forgets the service's state on every instance. It is also read again after
 * `SAFETY_MS` (a missed notification heals by itself) and at the earliest coming `publish_at` (a
 * scheduled entry shows when it comes due). Without LISTEN (Workers) nothing is kept.
 */
import type { PluginContext, Queryable } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import type { HelpCenterSettings } from '../settings.ts'
import type { Device } from '../default-theme/mod.ts'
import { pageTheme, type PageTheme } from '../themes/in-use.ts'
import { PAGES_CHANNEL } from './versions-migration.ts'

const SAFETY_MS = 30_000

export interface PageState {
  /** The page version: part of every cached page's key. */
  readonly version: string
  readonly settings: HelpCenterSettings
  readonly themes: Readonly<Record<Device, PageTheme>>
}

interface KeptState {
  readonly state: PageState
  /** When the state must be read again (the safety re-read, or the next scheduled entry coming due). */
  readonly until: number
}

export interface PageStates {
  /** Starts listening for page changes, once (at boot); until it is up, nothing is kept. */
  start(): Promise<unknown>
  /** The kept state of `serviceId`, if fresh. */
  kept(serviceId: string): PageState | undefined
  /** The state of the tenant of `tx`, read there; `keep` stores it once that transaction committed. */
  read(ctx: HelpCenterContext, tx: Queryable, serviceId: string): Promise<{ state: PageState; keep(): void }>
  /** Forgets what is kept of `serviceId` (this instance's own writes, before their NOTIFY comes). */
  forget(serviceId: string): void
}

const registry = new WeakMap<PluginContext['db'], PageStates>()
/** Every page-state set of this process (one per platform database), for a change known by service alone. */
const everyStates = new Set<WeakRef<PageStates>>()

/** Forgets the kept state of `serviceId` on every platform of this process (a settings save, from the core's hook). */
export function forgetPageState(serviceId: string): void {
  for (const ref of everyStates) {
    const states = ref.deref()
    if (states) states.forget(serviceId)
    else everyStates.delete(ref)
  }
}

/** The page states of the platform database `db` (one per database). */
export function pageStates(db: PluginContext['db']): PageStates {
  let states = registry.get(db)
  if (!states) {
    registry.set(db, (states = createPageStates(db)))
    everyStates.add(new WeakRef(states))
  }
  return states
}

async function readState(ctx: HelpCenterContext, tx: Queryable): Promise<{ state: PageState; nextDue: number | null }> {
  const [settings, [row], pc, mobile] = await Promise.all([
    ctx.settings(tx),
    tx.sql<{ version: string | null; next_due: Date | null }>`
      SELECT (SELECT version::text FROM helpcenter_page_versions) AS version,
        (SELECT min(publish_at) FROM helpcenter_entries WHERE published AND publish_at > now()) AS next_due`,
    pageTheme(tx, 'pc'),
    pageTheme(tx, 'mobile'),
  ])
  // The next due entry is part of the version, so a page cached before it came due is a new key after.
  const nextDue = row!.next_due ? new Date(row!.next_due).getTime() : null
  return { state: { version: `${row!.version ?? '0'}.${nextDue ?? '-'}`, settings, themes: { pc, mobile } }, nextDue }
}

function createPageStates(db: PluginContext['db']): PageStates {
  const states = new Map<string, KeptState>()
  let generation = 0
  const forgetAll = () => {
    generation++
    states.clear()
  }
  const forget = (serviceId: string) => {
    generation++
    states.delete(serviceId)
  }
  let listening: Promise<boolean> | undefined
  let up = false
  const listen = () =>
    (listening ??= db.listen
      ? db.listen(PAGES_CHANNEL, (payload) => (payload ? forget(payload) : forgetAll()), forgetAll).then(
          () => (up = true),
          () => false,
        )
      : Promise.resolve(false))
  return {
    start: listen,
    forget,
    kept(serviceId) {
      void listen()
      const found = states.get(serviceId)
      if (!found || !up) return undefined
      if (Date.now() >= found.until) {
        states.delete(serviceId)
        return undefined
      }
      return found.state
    },
    async read(ctx, tx, serviceId) {
      void listen()
      const seen = generation
      const active = up
      const { state, nextDue } = await readState(ctx, tx)
      const until = Math.min(Date.now() + SAFETY_MS, nextDue ?? Infinity)
      return {
        state,
        keep() {
          if (active && generation === seen) states.set(serviceId, { state, until })
        },
      }
    },
  }
}
