/**
 * The events area: the outbox dispatcher, subscribers, dead letters, the scheduler and web
 * hooks (C7, C11, I5), wired from every plugin's and core area's declarations.
 *
 * In a long-lived process `start()` listens for new events, sweeps for due retries and starts
 * the scheduler's timers; `stop()` stops them and waits for deliveries and jobs in flight.
 * With `events.background: false` (Workers) nothing runs by itself: the runtime calls the
 * platform's `drainEvents()` and `runDueJobs()`, which reach this area's dispatcher and scheduler.
 */
import type { CoreArea, CoreDeps } from '../area.ts'
import type { PluginContext } from '../api/context.ts'
import { OcError } from '../http/errors.ts'
import type { OutboundGuard } from '../http/outbound.ts'
import { notifiedCache } from '../storage/notified-cache.ts'
import { createScheduler, type ScheduledJob, type Scheduler } from '../jobs/scheduler.ts'
import type { CoreJobContext, Job } from '../api/jobs.ts'
import { type DeliveryChannel, type RegisteredSubscriber, subscriberChannel } from './channels.ts'
import { createDispatcher, type Dispatcher } from './dispatcher.ts'
import { pruneDelivered } from './delivery-store.ts'
import { registerDeadLetterRoutes } from './dead-letter-routes.ts'
import { type EventSettings, readEventSettings } from './options.ts'
import { loadSubscriptionTarget, type SubscriptionLookup, type SubscriptionTarget, webhookChannel } from './webhooks/channel.ts'
import { registerWebhookRoutes } from './webhooks/routes.ts'
import { webhookSigner } from './webhooks/signing.ts'

export interface EventsArea extends CoreArea {
  readonly id: 'events'
  readonly settings: EventSettings
  /** Delivers outbox events to subscribers and web hooks; `drain()` for runtimes without a long-lived process. */
  readonly dispatcher: Dispatcher
  /** Runs every plugin's and area's jobs once per cluster per tick; `runDue()` for cron triggers. */
  readonly scheduler: Scheduler
  /** The SSRF guard every outgoing call of the platform goes through. */
  readonly outbound: OutboundGuard
}

/** The events area of a platform, for tests that step its dispatcher or read its scheduler. */
export function eventsAreaOf(platform: { readonly areas: readonly CoreArea[] }): EventsArea {
  const area = platform.areas.find(isEventsArea)
  if (!area) throw new Error('this platform has no events area')
  return area
}

const isEventsArea = (area: CoreArea): area is EventsArea => area.id === 'events' && 'dispatcher' in area && 'scheduler' in area

/** Events older than the retention are deleted daily, at a quiet minute so instances' clocks agree on it. */
const PRUNE_CRON = '0 17 3 * * *'

export function eventsArea(deps: CoreDeps): EventsArea {
  const { db, log } = deps
  const settings = readEventSettings(deps.options)
  const { outbound } = deps
  const background = settings.events.background

  // Subscription targets are cached while a listener can empty the cache on change.
  let cache: Awaited<ReturnType<typeof notifiedCache<SubscriptionTarget | null>>> | undefined
  const loadTarget = loadSubscriptionTarget(db)
  const lookup: SubscriptionLookup = (id) => (cache ? cache.get(id, () => loadTarget(id)) : loadTarget(id))

  // Channels and jobs come from every area and plugin, complete only after all areas are built.
  let channels: DeliveryChannel[] | undefined
  const allChannels = () =>
    (channels ??= [subscriberChannel(collectSubscribers(deps)), webhookChannel({ lookup, guard: outbound, signer: webhookSigner(deps.runtime.webhookHmac ?? undefined), timeoutMs: settings.events.webhookTimeoutMs, internal: deps.internalEvents })])

  const dispatcher = createDispatcher({ db, log: log.child({ area: 'events' }), channels: allChannels, settings: settings.events })

  const jobs: Job<CoreJobContext>[] = [
    {
      id: 'prune',
      cron: PRUNE_CRON,
      async run(ctx) {
        const deleted = await pruneDelivered(ctx.db, settings.events.retentionDays)
        if (deleted) ctx.log.info('pruned delivered events', { deleted, retentionDays: settings.events.retentionDays })
      },
    },
  ]
  let scheduler: Scheduler | undefined
  const theScheduler = () => (scheduler ??= createScheduler({ db, log: log.child({ area: 'jobs' }), jobs: collectJobs(deps), instanceId: settings.scheduler.instanceId }))

  return {
    id: 'events',
    settings,
    dispatcher,
    outbound,
    get scheduler() {
      return theScheduler()
    },
    jobs,
    serviceRoutes(app) {
      registerDeadLetterRoutes(app, dispatcher.wake)
      registerWebhookRoutes(app, { catalogue: deps.catalogue, internal: deps.internalEvents, guard: outbound, wake: dispatcher.wake })
    },
    async start() {
      allChannels()
      theScheduler()
      if (background) cache = await notifiedCache<SubscriptionTarget | null>(db, 'oc_webhooks')
    },
    // Subscribers and jobs call into plugins: deliver only between every plugin's onBoot and onShutdown.
    async ready() {
      if (!background) return
      await dispatcher.start()
      await theScheduler().start()
    },
    async quiesce() {
      await scheduler?.stop()
      await dispatcher.stop()
    },
    async stop() {
      await cache?.stop()
      cache = undefined
    },
  }
}

/** Every plugin's and core area's subscribers, checked: unique ids, declared event types. */
function collectSubscribers(deps: CoreDeps): RegisteredSubscriber[] {
  const found: RegisteredSubscriber[] = []
  const add = (owner: RegisteredSubscriber['owner'], list: CoreArea['subscribers'], ctx: PluginContext) => {
    for (const subscriber of list ?? []) {
      const key = `${owner.id}:${subscriber.id}`
      const who = `${owner.kind} '${owner.id}' subscriber '${subscriber.id}'`
      if (found.some((s) => s.key === key)) throw new OcError('OC_SUBSCRIBER_INVALID', `${who} is declared twice; subscriber ids must be unique within a ${owner.kind}`)
      if (!deps.catalogue.has(subscriber.event)) {
        throw new OcError('OC_SUBSCRIBER_INVALID', `${who} listens to '${subscriber.event}', which no installed plugin or core area declares; check the name or add the plugin that emits it to dependsOn`)
      }
      found.push({ key, owner, subscriber, ctx })
    }
  }
  for (const area of deps.areas) add({ kind: 'area', id: area.id }, area.subscribers, deps.areaContext(area.id))
  for (const plugin of deps.plugins) add({ kind: 'plugin', id: plugin.id }, plugin.subscribers, deps.pluginContext(plugin))
  return found
}

function collectJobs(deps: CoreDeps): ScheduledJob[] {
  return [
    ...deps.areas.flatMap((area) => (area.jobs ?? []).map((job) => ({ key: `${area.id}:${job.id}`, job, ctx: { db: deps.db, log: deps.log.child({ area: area.id, job: job.id }) } satisfies CoreJobContext }))),
    ...deps.plugins.flatMap((plugin) => (plugin.jobs ?? []).map((job) => ({ key: `${plugin.id}:${job.id}`, job, ctx: deps.pluginContext(plugin) }))),
  ]
}
