/**
 * The trigger subscribers: `run-triggers` on the ticket events that are event kinds (see
 * model.ts), and `trigger-effects`, which performs each outgoing result on its own, retried by
 * the dispatcher until it succeeds or is parked as a dead letter. The event declared here,
 * `ticket.trigger-effect`, is the outbox record of one outgoing result.
 */
import { z, type Subscriber } from '../../../core/mod.ts'
import { triggerCache } from './cache.ts'
import { performEffect } from './effects.ts'
import { runTriggers } from './run.ts'

export const TicketTriggerEffect = z.object({
  runId: z.uuid(),
  index: z.number().int().min(0),
  triggerId: z.uuid(),
  triggerTitle: z.string(),
  ticketId: z.uuid(),
  eventId: z.uuid(),
  result: z.looseObject({ type: z.string() }).openapi({ description: 'The result as the trigger held it when it matched' }),
})

// Internal: the payload holds the saved result (callback and Dooray! URLs, which often carry a
// token, and plugin-action parameters); it is work for the `trigger-effects` subscriber, not news.
export const triggerEvents = { 'ticket.trigger-effect': { payload: TicketTriggerEffect, internal: true } } as const

/** The subscribers with their compiled-trigger cache (keyed by service, so platforms sharing a process share it safely). */
export function triggerSubscribers(): Subscriber[] {
  const cache = triggerCache()
  const run: Subscriber['handle'] = async (event, ctx) => void (await runTriggers(ctx, cache, event))
  return [
    { id: 'run-triggers.created', event: 'ticket.created', handle: run },
    { id: 'run-triggers.updated', event: 'ticket.updated', handle: run },
    { id: 'run-triggers.replied', event: 'ticket.replied', handle: run },
    { id: 'trigger-effects', event: 'ticket.trigger-effect', handle: (event, ctx) => performEffect(ctx, event) },
  ]
}
