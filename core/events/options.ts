/**
 * What an operator can tune about event delivery, the scheduler and outgoing calls: the
 * platform options `events`, `scheduler` and `outboundAllowlist`, with their defaults. One zod
 * schema per option group is the validator, the type and the documentation.
 */
import { z } from 'zod'
import { OcError } from '../http/errors.ts'
import { zodIssues } from '../http/validation.ts'
import { describeIssues } from '../http/errors.ts'

export const EventDeliveryOptions = z.strictObject({
  /**
   * Listen for new events, sweep for due retries and run scheduled jobs in this process
   * (default true). False where no process lives between requests (Workers): there a cron
   * trigger calls `drain()` and `runDue()`, and requests call `drain()` through `waitUntil`.
   */
  background: z.boolean().default(true),
  /** Attempts per delivery before it is parked as a dead letter. */
  maxAttempts: z.number().int().min(1).max(100).default(12),
  /** The first retry waits about this long; each further retry doubles it (ms). */
  backoffBaseMs: z.number().int().min(1).default(10_000),
  /** The longest wait between two attempts (ms). */
  backoffMaxMs: z.number().int().min(1).default(60 * 60 * 1000),
  /** How long a claimed delivery stays invisible to other instances; a subscriber running longer counts as failed (ms). */
  leaseMs: z.number().int().min(100).default(60_000),
  /** Deliveries in flight at once on this instance. */
  concurrency: z.number().int().min(1).max(1000).default(32),
  /** Events claimed per statement. */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** How often an instance looks for work it was not told about (missed notifications, retries due on other instances) (ms). */
  sweepIntervalMs: z.number().int().min(10).default(2_000),
  /** Delivered events older than this are deleted by the daily `events:prune` job; dead letters are kept. */
  retentionDays: z.number().int().min(1).default(14),
  /** Each web hook call is abandoned after this long (ms). */
  webhookTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
})
export type EventDeliveryOptions = z.output<typeof EventDeliveryOptions>

export const SchedulerSettings = z.strictObject({
  /** Names this instance in lease rows (default: a random id per process). */
  instanceId: z.string().min(1).max(200).optional(),
})

/** The platform options the events area reads; part of `PlatformOptions`. */
export interface EventPlatformOptions {
  /** Event delivery: background work, attempts, back-off, leases, concurrency, retention, web hook timeout. */
  events?: z.input<typeof EventDeliveryOptions>
  /** This instance's name in scheduler lease rows (default: random). */
  scheduler?: z.input<typeof SchedulerSettings>
  /** Addresses, CIDR ranges and host names outgoing calls may reach despite the SSRF rules, e.g. `['127.0.0.1']`. */
  outboundAllowlist?: readonly string[]
}

export interface EventSettings {
  readonly events: EventDeliveryOptions
  readonly scheduler: z.output<typeof SchedulerSettings>
  readonly outboundAllowlist: readonly string[]
}

/** Reads and checks the options; a wrong value is a start-up error naming the option. */
export function readEventSettings(options: EventPlatformOptions): EventSettings {
  const events = EventDeliveryOptions.safeParse(options.events ?? {})
  if (!events.success) throw configError(zodIssues(events.error, 'events'))
  const scheduler = SchedulerSettings.safeParse(options.scheduler ?? {})
  if (!scheduler.success) throw configError(zodIssues(scheduler.error, 'scheduler'))
  const allowlist = z.array(z.string()).safeParse(options.outboundAllowlist ?? [])
  if (!allowlist.success) throw configError(zodIssues(allowlist.error, 'outboundAllowlist'))
  return { events: events.data, scheduler: scheduler.data, outboundAllowlist: allowlist.data }
}

function configError(issues: ReturnType<typeof zodIssues>): OcError {
  return new OcError('OC_CONFIG_INVALID', `platform options: ${describeIssues(issues)}`, { status: 500, issues })
}
