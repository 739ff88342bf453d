/**
 * The cluster-wide scheduler (C11): croner reads the patterns, the database decides who runs.
 *
 * Every instance keeps a timer per job and wakes at each tick of its pattern. The tick (the
 * pattern's time, not the clock's) is the run's identity, so all instances name it alike, and
 * one atomic statement hands it to exactly one of them:
 *
 *   UPDATE oc_jobs SET last_tick = <tick>, leased_until = now() + <lease>, lease_owner = <me>
 *   WHERE id = <job> AND (last_tick IS NULL OR last_tick < <tick>) AND leased_until < now()
 *
 * `last_tick` makes each tick run once in total; `leased_until` keeps runs of one job from
 * overlapping (a tick that falls inside a run is skipped) and lets another instance take over
 * when the runner dies: the runner renews its lease while it works, so a lease that lapses means
 * its instance is gone. When an instance stops, the others simply win the next ticks.
 *
 * Where no process lives between requests (Workers), `runDue()` from a cron trigger runs each
 * job's most recent tick if nobody has, so a job runs at most as often as the trigger fires.
 */
import { Cron } from 'croner'
import type { Db } from '../storage/db.ts'
import type { Logger } from '../log.ts'
import { OcError } from '../http/errors.ts'
import type { Job } from '../api/jobs.ts'

/** A job with the context it runs with and its cluster-wide key. */
export interface ScheduledJob {
  /** `<plugin or area id>:<job id>`. */
  readonly key: string
  // The context type differs per owner (plugin or area); the owner pairs them when it registers.
  readonly job: Job<never>
  readonly ctx: unknown
}

export interface SchedulerOptions {
  readonly db: Db
  readonly log: Logger
  readonly jobs: readonly ScheduledJob[]
  /** Names this instance in `oc_jobs.lease_owner` (default: a random id). */
  readonly instanceId?: string
}

export interface Scheduler {
  readonly instanceId: string
  /** The keys of every registered job. */
  readonly keys: readonly string[]
  /** Registers the lease rows and starts a timer per job. */
  start(): Promise<void>
  /** Stops the timers, aborts running jobs' signals, waits for them and releases their leases. */
  stop(): Promise<void>
  /** For cron triggers (Workers): runs each job's latest tick at `now` unless it already ran; returns the keys run. */
  runDue(now?: Date): Promise<string[]>
  /**
   * Runs the chosen jobs now, as a tick of their own (under their lease, so never beside a run of
   * the same job elsewhere: such a job is reported `busy`). For commands run by hand.
   */
  runNow(choose: (key: string, job: Job<never>) => boolean): Promise<JobRun[]>
}

/** What a run came to: done (with the job's own line, if any), failed, or not run because the job was running elsewhere. */
export type JobOutcome = { readonly outcome: 'busy' } | { readonly outcome: 'done'; readonly summary: string | null } | { readonly outcome: 'failed'; readonly error: string }

/** What {@link Scheduler.runNow} did with one job. */
export type JobRun = JobOutcome & { readonly key: string }

/** Longest single timer wait; longer waits are re-armed (setTimeout overflows at 2^31 ms). */
const MAX_WAIT_MS = 60 * 60 * 1000
const DEFAULT_LEASE_SECONDS = 300

interface Entry {
  readonly key: string
  readonly job: Job<unknown>
  readonly ctx: unknown
  readonly cron: Cron
  readonly leaseSeconds: number
  /** The last tick this instance woke for, so the next wake is strictly after it. */
  lastTick: Date | null
  timer: ReturnType<typeof setTimeout> | undefined
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, log } = options
  const instanceId = options.instanceId ?? `instance-${crypto.randomUUID()}`
  const entries = checkJobs(options.jobs)
  const running = new Set<Promise<void>>()
  const abort = new AbortController()
  let stopped = false
  let rows: Promise<void> | undefined

  const ensureRows = () =>
    (rows ??= (async () => {
      for (const entry of entries) {
        await db.sql`INSERT INTO oc_jobs (id, cron) VALUES (${entry.key}, ${entry.job.cron}) ON CONFLICT (id) DO UPDATE SET cron = EXCLUDED.cron`
      }
    })().catch((error) => {
      rows = undefined
      throw error
    }))

  /** Claims `tick` for this instance and runs it; resolves when the run (if any) is over, with what it did. */
  const runTick = async (entry: Entry, tick: Date): Promise<JobOutcome> => {
    const lease = entry.leaseSeconds
    const tickText = tick.toISOString()
    const claimed = await db.sql`
      UPDATE oc_jobs SET last_tick = ${tickText}::timestamptz, leased_until = now() + ${lease} * interval '1 second', lease_owner = ${instanceId}, last_started_at = now()
      WHERE id = ${entry.key} AND (last_tick IS NULL OR last_tick < ${tickText}::timestamptz) AND leased_until < now()
      RETURNING id`
    if (claimed.length === 0) return { outcome: 'busy' }
    // Renew well before the lease lapses, so only a dead instance loses it.
    const renew = setInterval(() => {
      db.sql`UPDATE oc_jobs SET leased_until = now() + ${lease} * interval '1 second' WHERE id = ${entry.key} AND lease_owner = ${instanceId} AND last_tick = ${tickText}::timestamptz`.catch((error) =>
        log.warn('job lease renewal failed', { job: entry.key, error }),
      )
    }, (lease * 1000) / 3)
    let failure: string | null = null
    let summary: string | null = null
    try {
      summary = (await entry.job.run(entry.ctx, { scheduledAt: tick, signal: abort.signal })) || null
    } catch (error) {
      failure = (error as Error)?.message ?? String(error)
      log.error('job failed', { job: entry.key, tick: tickText, error })
    } finally {
      clearInterval(renew)
    }
    await db.sql`
      UPDATE oc_jobs SET leased_until = now(), last_finished_at = now(), last_error = ${failure}, runs = runs + 1, failures = failures + ${failure ? 1 : 0}
      WHERE id = ${entry.key} AND lease_owner = ${instanceId} AND last_tick = ${tickText}::timestamptz`
    return failure === null ? { outcome: 'done', summary } : { outcome: 'failed', error: failure }
  }

  const track = (work: Promise<unknown>) => {
    const done = work.then(
      () => undefined,
      (error) => log.error('job tick failed', { error }),
    )
    running.add(done)
    void done.finally(() => running.delete(done))
  }

  const arm = (entry: Entry) => {
    if (stopped) return
    const now = Date.now()
    const next = entry.cron.nextRun(new Date(Math.max(now, entry.lastTick?.getTime() ?? 0)))
    if (!next) return // the pattern has no future ticks
    const wait = next.getTime() - now
    entry.timer = setTimeout(() => {
      if (wait > MAX_WAIT_MS) return arm(entry)
      entry.lastTick = next
      arm(entry)
      track(runTick(entry, next))
    }, Math.min(Math.max(wait, 0), MAX_WAIT_MS))
  }

  return {
    instanceId,
    keys: entries.map((e) => e.key),
    async start() {
      if (!entries.length) return
      await ensureRows()
      for (const entry of entries) arm(entry)
    },
    async stop() {
      stopped = true
      for (const entry of entries) clearTimeout(entry.timer)
      abort.abort(new Error('the platform is stopping'))
      await Promise.allSettled([...running])
    },
    async runDue(now = new Date()) {
      if (!entries.length) return []
      await ensureRows()
      const ran = await Promise.all(
        entries.map(async (entry) => {
          // previousRuns counts a tick earlier in the same second as the reference: step 1 ms past `now`.
          const [latest] = entry.cron.previousRuns(1, new Date(now.getTime() + 1))
          return latest && (await runTick(entry, latest)).outcome !== 'busy' ? entry.key : null
        }),
      )
      return ran.filter((key): key is string => key !== null)
    },
    async runNow(choose) {
      const chosen = entries.filter((entry) => choose(entry.key, entry.job as Job<never>))
      if (!chosen.length) return []
      await ensureRows()
      // A tick of its own, later than any the job had: a scheduled tick claimed after it waits for the next.
      return Promise.all(chosen.map(async (entry): Promise<JobRun> => ({ key: entry.key, ...(await runTick(entry, new Date())) })))
    },
  }
}

function checkJobs(jobs: readonly ScheduledJob[]): Entry[] {
  const seen = new Set<string>()
  return jobs.map(({ key, job, ctx }) => {
    if (seen.has(key)) throw new OcError('OC_JOB_INVALID', `job '${key}' is declared twice; job ids must be unique within a plugin or area`)
    seen.add(key)
    const leaseSeconds = job.leaseSeconds ?? DEFAULT_LEASE_SECONDS
    if (!(Number.isInteger(leaseSeconds) && leaseSeconds >= 1)) throw new OcError('OC_JOB_INVALID', `job '${key}': leaseSeconds must be a whole number of seconds, at least 1`)
    let cron: Cron
    try {
      cron = new Cron(job.cron, { timezone: job.timezone ?? 'UTC', paused: true })
    } catch (error) {
      throw new OcError('OC_JOB_INVALID', `job '${key}': cron '${job.cron}' is not a valid pattern (${(error as Error).message}); use e.g. '0 */5 * * * *' for every five minutes`)
    }
    return { key, job: job as Job<unknown>, ctx, cron, leaseSeconds, lastTick: null, timer: undefined }
  })
}
