/**
 * A plugin for event delivery tests: a route that emits `relay.pinged` events in one
 * transaction, and subscribers whose behaviour each event's payload scripts (fail a number
 * of times, fail until cured, take a while). What they saw is kept in a probe per plugin
 * instance, so two platforms in one test each have their own.
 */
import { definePlugin, type EventEnvelope, json, jsonBody, route, z } from '../../core/mod.ts'

export const RelayPinged = z.object({
  n: z.number().int(),
  /** The `flaky` subscriber fails this many attempts of the event, then succeeds. */
  failTimes: z.number().int().min(0).default(0),
  /** The `flaky` subscriber fails every attempt until the probe cures the event. */
  poison: z.boolean().default(false),
  /** The `record` subscriber takes this long. */
  delayMs: z.number().int().min(0).default(0),
  /** The `record` subscriber never finishes. */
  hang: z.boolean().default(false),
})
export type RelayPinged = z.infer<typeof RelayPinged>

export interface RelayProbe {
  /** Every event the `record` subscriber finished, in order. */
  readonly recorded: EventEnvelope<RelayPinged>[]
  /** Events `record` has started on. */
  readonly started: Set<string>
  /** Attempts `flaky` has seen per event id. */
  readonly flakyAttempts: Map<string, number>
  /** Poisoned events that `flaky` now accepts. */
  readonly cured: Set<string>
}

export const createProbe = (): RelayProbe => ({ recorded: [], started: new Set(), flakyAttempts: new Map(), cured: new Set() })

export function relayPlugin(probe: RelayProbe = createProbe()) {
  return definePlugin({
    id: 'relay',
    version: '1.0.0',
    core: '^1',
    events: { 'relay.pinged': RelayPinged },
    permissions: { relay: { title: { en: 'Send pings' } } },
    subscribers: [
      {
        id: 'record',
        event: 'relay.pinged',
        async handle(event) {
          const payload = event.payload as RelayPinged
          probe.started.add(event.id)
          if (payload.hang) await new Promise(() => {})
          if (payload.delayMs) await new Promise((resolve) => setTimeout(resolve, payload.delayMs))
          probe.recorded.push(event as EventEnvelope<RelayPinged>)
        },
      },
      {
        id: 'flaky',
        event: 'relay.pinged',
        async handle(event) {
          const payload = event.payload as RelayPinged
          const seen = (probe.flakyAttempts.get(event.id) ?? 0) + 1
          probe.flakyAttempts.set(event.id, seen)
          if (payload.poison && !probe.cured.has(event.id)) throw new Error(`event ${payload.n} is poison`)
          if (seen <= payload.failTimes) throw new Error(`failing attempt ${seen} of ${payload.failTimes}`)
        },
      },
    ],
    routes(app) {
      app.openapi(
        route({
          method: 'post',
          path: '/pings',
          access: { permission: 'relay' },
          request: jsonBody(z.object({ count: z.number().int().min(1).max(10_000).default(1), from: z.number().int().default(0), ping: RelayPinged.omit({ n: true }).partial().default({}) })),
          responses: { 201: json(z.object({ ids: z.array(z.string()) }), 'Emitted') },
        }),
        async (c) => {
          const { count, from, ping } = c.req.valid('json')
          const ids = await c.var.db.tx(async (tx) => {
            const emitted: string[] = []
            for (let i = 0; i < count; i++) emitted.push(await tx.emit('relay.pinged', { ...ping, n: from + i }))
            return emitted
          })
          return c.json({ ids }, 201)
        },
      )
    },
  })
}
