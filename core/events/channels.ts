/**
 * Delivery channels: who receives an event and how. The dispatcher knows only this interface;
 * plugin and core subscribers are one channel (below), web hook subscriptions another
 * (webhooks/channel.ts). A subscriber is named by a key, recorded with every delivery:
 * `<plugin or area id>:<subscriber id>` for code, `webhook:<subscription id>` for web hooks.
 */
import type { Subscriber } from '../api/define.ts'
import type { PluginContext } from '../api/context.ts'
import type { Queryable } from '../storage/db.ts'
import type { Contract } from '../tenancy/types.ts'
import { isContracted } from '../tenancy/contract.ts'
import type { EventEnvelope } from './types.ts'

/** An event the dispatcher has claimed from the outbox, with what channels need to route it. */
export interface OutboxEvent {
  readonly outboxId: string
  readonly envelope: EventEnvelope
  /** The contract of the event's service: plugin subscribers receive events only where their plugin is contracted. */
  readonly contract: Contract
}

export interface DeliveryTarget {
  readonly outboxId: string
  readonly subscriber: string
}

export type DeliveryOutcome =
  | { readonly ok: true; readonly statusCode?: number }
  | {
      readonly ok: false
      readonly error: string
      readonly statusCode?: number
      /** False when trying again cannot help (a refused address, a removed subscriber): park it as a dead letter at once. */
      readonly retry: boolean
    }

export interface DeliveryChannel {
  /** Whether `subscriber` is one of this channel's keys. */
  owns(subscriber: string): boolean
  /** The subscribers each event goes to; runs inside the transaction that claims the events. */
  targets(events: readonly OutboxEvent[], tx: Queryable): Promise<DeliveryTarget[]>
  /** Delivers one event to one subscriber; throwing counts as a failed attempt. */
  deliver(subscriber: string, event: EventEnvelope, attempt: number): Promise<DeliveryOutcome>
}

/** A subscriber with its owner and the context it runs with. */
export interface RegisteredSubscriber {
  /** `<owner id>:<subscriber id>`. */
  readonly key: string
  readonly owner: { readonly kind: 'plugin' | 'area'; readonly id: string }
  readonly subscriber: Subscriber
  readonly ctx: PluginContext
}

/** Plugin and core-area subscribers: matched by event type in memory, run in process. */
export function subscriberChannel(subscribers: readonly RegisteredSubscriber[]): DeliveryChannel {
  const byKey = new Map(subscribers.map((s) => [s.key, s]))
  const byType = new Map<string, RegisteredSubscriber[]>()
  for (const s of subscribers) byType.set(s.subscriber.event, [...(byType.get(s.subscriber.event) ?? []), s])
  return {
    owns: (key) => byKey.has(key),
    async targets(events) {
      return events.flatMap((event) =>
        (byType.get(event.envelope.type) ?? [])
          .filter((s) => s.owner.kind === 'area' || isContracted(event.contract, s.owner.id))
          .map((s) => ({ outboxId: event.outboxId, subscriber: s.key })),
      )
    },
    async deliver(key, event) {
      const registered = byKey.get(key)!
      await registered.subscriber.handle(event, registered.ctx)
      return { ok: true }
    },
  }
}
