/**
 * Scheduled jobs (C11) as plugins and core areas declare them. A job runs once per cluster per
 * tick of its cron pattern, however many platform instances share the database: instances
 * race for a lease row per job and only the winner runs that tick (see jobs/scheduler.ts).
 */
import type { PluginContext } from './context.ts'
import type { Db } from './db.ts'
import type { Logger } from '../log.ts'

/** One run of a job. */
export interface JobTick {
  /** The tick of the cron pattern this run is for (not when it started). */
  readonly scheduledAt: Date
  /** Aborted when the platform stops; long runs should check it and return early. */
  readonly signal: AbortSignal
}

/**
 * A job declared in `definePlugin({ jobs })` or on a core area.
 *
 * @example
 * jobs: [{
 *   id: 'close-stale-tickets',
 *   cron: '0 15 * * * *',               // hourly, at minute 15 second 0
 *   async run(ctx, tick) { await closeStale(ctx.db, tick.scheduledAt) },
 * }]
 */
export interface Job<C = PluginContext> {
  /** Unique within its plugin or area; the lease is kept per `<plugin or area id>:<job id>`. */
  readonly id: string
  /**
   * A croner pattern: 5 fields (minute precision) or 6 with seconds first
   * (`'* * * * * *'` is every second), or a nickname such as `@daily`.
   */
  readonly cron: string
  /** IANA time zone the pattern is read in (default `UTC`, so every instance agrees on the ticks). */
  readonly timezone?: string
  /**
   * How long one run may take before the cluster presumes its instance died (default 300).
   * The running instance renews the lease while it works; ticks that fall inside a run are skipped,
   * so runs of one job never overlap.
   */
  readonly leaseSeconds?: number
  /**
   * The job re-seals what it keeps encrypted under the newest master key. `opencontact keys
   * rotate` runs every such job at once, after a key is added, instead of waiting for its tick.
   */
  readonly keyRotation?: boolean
  /** Does the work of one tick; may return one line saying what it did (shown when run by hand). */
  run(ctx: C, tick: JobTick): Promise<void | string>
}

/** What a core area's job receives (plugins' jobs receive their {@link PluginContext}). */
export interface CoreJobContext {
  /** The platform database as its owner role. */
  readonly db: Db
  readonly log: Logger
}
