/**
 * The event dispatcher (C7): turns outbox rows into deliveries and runs them, at least once,
 * on any number of instances sharing one database.
 *
 * - Work is claimed with `FOR UPDATE SKIP LOCKED` and held by a lease (`next_attempt_at` moved
 *   `leaseMs` ahead), never by an open transaction, so a slow receiver holds no connection and
 *   PGlite's single connection stays free for requests. If an instance dies, its leases lapse
 *   and the deliveries come due again elsewhere; that is the "at least once".
 * - Claims are made in batches (a claim costs round trips) into a small local queue; each
 *   delivery then takes one of `concurrency` slots on its own: a slow or failing subscriber
 *   holds one slot for at most its timeout, never a batch, and never another event's turn.
 *   Results are written in batches behind the deliveries. What keeps failing is parked as a
 *   dead letter after `maxAttempts`.
 * - Instances are woken by NOTIFY on `oc_events` (a trigger on `oc_outbox`; ids only), by a
 *   timer for retries this instance scheduled, and by a sweep every `sweepIntervalMs` for
 *   anything else (a missed notification, a retry another instance scheduled and then died).
 * - `drain()` is the same work as one call that returns when nothing is due: Workers run it
 *   from a cron trigger and after requests (`waitUntil`); tests run it to step deterministically.
 */
import type { Db } from '../storage/db.ts'
import type { Logger } from '../log.ts'
import { retryDelayMs } from './backoff.ts'
import type { DeliveryChannel, DeliveryOutcome } from './channels.ts'
import { type AttemptRecord, type ClaimedDelivery, claimDue, fanOut, recordAttempts } from './delivery-store.ts'
import type { EventDeliveryOptions } from './options.ts'

export interface Dispatcher {
  /** Listens for notifications and starts the sweep (long-lived processes). */
  start(): Promise<void>
  /** Stops claiming, waits for deliveries in flight and records them. */
  stop(): Promise<void>
  /**
   * Delivers everything due now, then returns how many attempts it made. Retries scheduled
   * for later are left to a later call. `maxMs` stops claiming new work after that long.
   */
  drain(options?: { maxMs?: number }): Promise<number>
  /** Looks for work now (e.g. after a replay); cheap to call often. */
  wake(): void
}

export interface DispatcherDeps {
  readonly db: Db
  readonly log: Logger
  /** Read on first use: channels depend on every area and plugin, built after this. */
  readonly channels: () => readonly DeliveryChannel[]
  readonly settings: EventDeliveryOptions
}

/** Added to a retry timer, so it fires after the row is due rather than a hair before. */
const RETRY_SLACK_MS = 5
/** How long a claim waits for more room to open up, to claim it together. */
const REFILL_WAIT_MS = 5
/** Error texts are stored and shown to admins; keep them short. */
const MAX_ERROR_LENGTH = 1_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createDispatcher({ db, log, channels, settings }: DispatcherDeps): Dispatcher {
  const inFlight = new Set<Promise<AttemptRecord['next']>>()
  /** Claimed deliveries waiting for a slot, with when they were claimed (their lease started then). */
  const queue: { delivery: ClaimedDelivery; claimedAt: number }[] = []
  const finished: AttemptRecord[] = []
  let recording: Promise<void> | null = null
  let pumping: Promise<number> | null = null
  let wokenWhilePumping = false
  let stopping = false
  let started = false
  let unlisten: (() => Promise<void>) | null = null
  let sweepTimer: ReturnType<typeof setTimeout> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let retryAt = Infinity

  const refillAt = Math.ceil(settings.batchSize / 2)
  const channelFor = (subscriber: string) => channels().find((c) => c.owns(subscriber))

  const attempt = async (delivery: ClaimedDelivery, leaseLeftMs: number): Promise<DeliveryOutcome> => {
    const channel = channelFor(delivery.subscriber)
    if (!channel) return { ok: false, retry: false, error: `subscriber '${delivery.subscriber}' is gone: its plugin, area or web hook subscription is no longer there` }
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<DeliveryOutcome>((resolve) => {
      // Past its lease the delivery may be claimed again elsewhere: give up the slot.
      timer = setTimeout(() => resolve({ ok: false, retry: true, error: `did not finish within its lease of ${settings.leaseMs} ms (leaseMs)` }), leaseLeftMs)
    })
    try {
      return await Promise.race([channel.deliver(delivery.subscriber, delivery.envelope, delivery.attempt), timeout])
    } catch (error) {
      return { ok: false, retry: true, error: (error as Error)?.message ?? String(error) }
    } finally {
      clearTimeout(timer)
    }
  }

  const decide = (delivery: ClaimedDelivery, outcome: DeliveryOutcome): AttemptRecord['next'] => {
    if (outcome.ok) return { state: 'delivered' }
    const failures = delivery.attempt - delivery.retryBase
    if (!outcome.retry || failures >= settings.maxAttempts) return { state: 'dead' }
    return { state: 'pending', retryInMs: retryDelayMs(failures, { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs }) }
  }

  /** Writes finished attempts; one write at a time, so attempts finishing meanwhile go in the next batch. */
  const record = (): Promise<void> => {
    if (recording) return recording
    if (!finished.length) return Promise.resolve()
    const writing = (async () => {
      while (finished.length) {
        const batch = finished.splice(0, 500)
        try {
          await recordAttempts(db, batch)
        } catch (error) {
          // Not lost: the deliveries are still leased and come due again when the lease lapses.
          log.error('recording delivery attempts failed; they will be attempted again after their lease', { error, deliveries: batch.length })
        }
      }
    })()
    recording = writing.finally(() => (recording = null))
    return recording
  }

  const armRetry = (inMs: number) => {
    const at = Date.now() + inMs
    if (!started || at >= retryAt) return
    clearTimeout(retryTimer)
    retryAt = at
    retryTimer = setTimeout(() => {
      retryAt = Infinity
      wake()
    }, inMs)
  }

  /** Starts queued deliveries while slots are free; a delivery whose lease is mostly gone is left to lapse and come due again. */
  const pull = () => {
    while (queue.length && inFlight.size < settings.concurrency) {
      const { delivery, claimedAt } = queue.shift()!
      const leaseLeft = settings.leaseMs - (performance.now() - claimedAt)
      if (leaseLeft > settings.leaseMs / 2) launch(delivery, leaseLeft)
    }
  }

  const launch = (delivery: ClaimedDelivery, leaseLeftMs: number) => {
    const run = (async () => {
      const startedAt = new Date()
      const started = performance.now()
      const outcome = await attempt(delivery, leaseLeftMs)
      const next = decide(delivery, outcome)
      const error = outcome.ok ? null : outcome.error.slice(0, MAX_ERROR_LENGTH)
      if (!outcome.ok) log[next.state === 'dead' ? 'warn' : 'debug']('delivery failed', { subscriber: delivery.subscriber, event: delivery.envelope.id, attempt: delivery.attempt, next: next.state, error })
      finished.push({ delivery, startedAt, durationMs: performance.now() - started, ok: outcome.ok, statusCode: outcome.statusCode ?? null, error, next })
      return next
    })()
    inFlight.add(run)
    // The slot frees as soon as the attempt is over; recording goes on in batches behind it.
    void run.then(async (next) => {
      inFlight.delete(run)
      pull()
      await record()
      // Armed once recorded: the row is due `retryInMs` after the write, by the database's clock.
      if (next.state === 'pending') armRetry(next.retryInMs + RETRY_SLACK_MS)
    })
  }

  /**
   * Claims work into the local queue until none is left or `deadline` passes; returns how many
   * deliveries it claimed. Claims cost round trips, so they are made in batches while the queue
   * still feeds the slots: a claim is made when room for half a batch has opened (or at once
   * when idle), and the queue holds at most one batch beyond the deliveries in flight.
   */
  const fill = async (deadline: number): Promise<number> => {
    let claimedTotal = 0
    let outboxEmpty = false
    while (!stopping && Date.now() < deadline) {
      const room = Math.min(settings.batchSize, settings.concurrency + settings.batchSize - inFlight.size - queue.length)
      const idle = inFlight.size === 0 && queue.length === 0
      if (room <= 0 || (room < refillAt && !idle)) {
        await Promise.race([...inFlight, sleep(REFILL_WAIT_MS)])
        continue
      }
      const claimed: ClaimedDelivery[] = []
      if (!outboxEmpty) {
        const fanned = await fanOut(db, channels(), { events: room, claimLimit: room, leaseMs: settings.leaseMs })
        outboxEmpty = fanned.events === 0
        claimed.push(...fanned.claimed)
      }
      if (claimed.length < room) claimed.push(...(await claimDue(db, room - claimed.length, settings.leaseMs)))
      if (claimed.length === 0 && outboxEmpty) break
      const claimedAt = performance.now()
      for (const delivery of claimed) queue.push({ delivery, claimedAt })
      pull()
      claimedTotal += claimed.length
    }
    return claimedTotal
  }

  const pump = async (): Promise<number> => {
    let launched = 0
    do {
      wokenWhilePumping = false
      try {
        launched += await fill(Infinity)
      } catch (error) {
        log.error('event dispatch failed; the next sweep tries again', { error })
        return launched
      }
    } while (wokenWhilePumping && !stopping)
    return launched
  }

  function wake(): void {
    // Without start() (Workers, tests stepping by hand) nothing runs by itself: drain() does the work.
    if (stopping || !started) return
    if (pumping) {
      wokenWhilePumping = true
      return
    }
    pumping = pump().finally(() => (pumping = null))
  }

  const sweep = () => {
    // A little jitter, so instances started together do not sweep in step.
    sweepTimer = setTimeout(() => {
      wake()
      sweep()
    }, settings.sweepIntervalMs * (0.8 + Math.random() * 0.4))
  }

  const settle = async () => {
    while (inFlight.size || queue.length || recording || finished.length) {
      pull()
      await Promise.allSettled([...inFlight])
      await record()
    }
  }

  return {
    wake,
    async start() {
      stopping = false
      started = true
      // On every (re)connect of the listener, look: notifications sent while disconnected are lost.
      unlisten = db.listen ? await db.listen('oc_events', wake, wake) : async () => {}
      sweep()
      wake()
    },
    async stop() {
      stopping = true
      started = false
      clearTimeout(sweepTimer)
      clearTimeout(retryTimer)
      await unlisten?.()
      unlisten = null
      await pumping
      await settle()
    },
    async drain(options = {}) {
      const deadline = options.maxMs === undefined ? Infinity : Date.now() + options.maxMs
      let total = 0
      for (;;) {
        const launched = await fill(deadline)
        await settle()
        total += launched
        if (launched === 0 || Date.now() >= deadline) return total
      }
    },
  }
}
