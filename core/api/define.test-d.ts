/**
 * Type tests of the typed plugin definition, checked by `tsc --noEmit` (never run): the context
 * `definePlugin` gives callbacks written inline, and the one `PluginContextOf`, `SubscriberOf`
 * and `subscriber()` give code in other files, are typed by the definition's own schemas.
 */
import { expectTypeOf } from 'vitest'
import { z } from 'zod'
import { definePlugin, type Plugin } from './define.ts'
import { createServiceRef, provide } from './refs.ts'
import type { PluginContext, PlatformContext, TenantTx } from './context.ts'
import type { EventEnvelope } from '../events/types.ts'
import { subscriber, type PluginContextOf, type SubscriberOf } from './typed-plugin.ts'
import type { PluginTypesOf } from './plugin-types.ts'

declare const tx: TenantTx
declare const c: PlatformContext

const DemoSettings = z.object({
  greeting: z.string().default('Hello'),
  punctuation: z.enum(['!', '.']).default('!'),
  signingKey: z.string().optional(),
})
const demoFeatures = { loud: z.boolean().default(false), limit: z.number().int().default(10) }
const demoEvents = {
  'demo.greeted': z.object({ name: z.string(), times: z.number() }),
  'demo.queued': { payload: z.object({ jobId: z.string() }), internal: true },
}
interface DemoSchemas {
  settings: typeof DemoSettings
  features: typeof demoFeatures
  events: typeof demoEvents
}
type DemoSettings = { greeting: string; punctuation: '!' | '.'; signingKey?: string | undefined }
type DemoFeatures = { readonly loud: boolean; readonly limit: number }
type DemoEvents = { readonly 'demo.greeted': { name: string; times: number }; readonly 'demo.queued': { jobId: string } }

/** The demo plugin's identity and schemas, declared by both definitions below. */
const demoDeclared = { id: 'demo', version: '1.0.0', core: '^1', settings: DemoSettings, contract: { features: demoFeatures }, events: demoEvents } as const

/** Checks one context as the demo plugin's, whichever way it was typed. */
async function checkDemoContext(ctx: PluginContextOf<DemoSchemas>): Promise<void> {
  // Settings and features: the schemas' output, defaults applied.
  expectTypeOf(await ctx.settings(tx)).toEqualTypeOf<DemoSettings>()
  expectTypeOf(ctx.features(c)).toEqualTypeOf<DemoFeatures>()
  // @ts-expect-error: no such setting
  void (await ctx.settings(tx)).salutation

  // Emit: only the plugin's own event types, each with its payload.
  await ctx.emit(tx, 'demo.greeted', { name: 'Ada', times: 1 })
  await ctx.emit(tx, 'demo.queued', { jobId: 'j1' })
  // @ts-expect-error: not one of the plugin's events
  await ctx.emit(tx, 'demo.waved', { name: 'Ada', times: 1 })
  // @ts-expect-error: another plugin's event
  await ctx.emit(tx, 'ticket.created', {})
  // @ts-expect-error: a payload of the wrong shape
  await ctx.emit(tx, 'demo.greeted', { name: 'Ada', times: '1' })
  // @ts-expect-error: a payload missing a field
  await ctx.emit(tx, 'demo.greeted', { name: 'Ada' })
  // @ts-expect-error: another event's payload
  await ctx.emit(tx, 'demo.greeted', { jobId: 'j1' })
  // The transaction's own emit stays untyped, for code that emits any declared type.
  await tx.emit('demo.anything', { any: 'thing' })
}

interface Greeter {
  greet(tx: TenantTx, name: string): Promise<string>
}
const greeterRef = createServiceRef<Greeter>('demo.greeter')
const typedGreeterRef = createServiceRef<Greeter>('demo.typed-greeter')
const greeterService = (ctx: PluginContextOf<DemoSchemas>): Greeter => ({
  async greet(tx, name) {
    await checkDemoContext(ctx)
    const { greeting, punctuation } = await ctx.settings(tx)
    return `${greeting}, ${name}${punctuation}`
  },
})

const demo = definePlugin({
  ...demoDeclared,
  provides: [
    // Written inline, a factory gets the untyped context: TypeScript types the nested generic call
    // before it has read the schemas. A factory in a file of its own names its context instead.
    provide(greeterRef, (ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<PluginContext>()
      return { greet: async (_tx, name) => name }
    }),
    provide(typedGreeterRef, greeterService),
  ],
  // Inline callbacks are typed without annotations.
  routes(_app, ctx) {
    expectTypeOf(ctx).toEqualTypeOf<PluginContextOf<DemoSchemas>>()
    expectTypeOf(ctx.features(c).loud).toEqualTypeOf<boolean>()
  },
  mounts: [{ path: '/vendor', routes: (_app, ctx) => void expectTypeOf(ctx.features(c).limit).toEqualTypeOf<number>() }],
  async onBoot(ctx) {
    await checkDemoContext(ctx)
  },
  onShutdown: (ctx) => checkDemoContext(ctx),
  jobs: [{ id: 'tick', cron: '* * * * *', run: (ctx) => checkDemoContext(ctx) }],
  subscribers: [
    {
      id: 'greeted',
      event: 'demo.greeted',
      async handle(event, ctx) {
        expectTypeOf(event.payload).toEqualTypeOf<{ name: string; times: number }>()
        // @ts-expect-error: the payload has no such field
        void event.payload.text
        await checkDemoContext(ctx)
      },
    },
    {
      // An internal event's payload, declared as `{ payload, internal }`.
      id: 'queued',
      event: 'demo.queued',
      async handle(event) {
        expectTypeOf(event.payload).toEqualTypeOf<{ jobId: string }>()
      },
    },
    {
      // Another plugin's event: the payload is not this plugin's to know.
      id: 'tickets',
      event: 'ticket.created',
      handle: async (event, ctx) => {
        expectTypeOf(event.payload).toEqualTypeOf<unknown>()
        await checkDemoContext(ctx)
      },
    },
  ],
})

// A typed plugin goes wherever the platform takes plugins, and its context wherever an untyped one is asked for.
expectTypeOf(demo).toExtend<Plugin>()
expectTypeOf<PluginContextOf<DemoSchemas>>().toExtend<PluginContext>()
// An untyped context reads plain records and emits any event type.
expectTypeOf<ReturnType<PluginContext['features']>>().toEqualTypeOf<Readonly<Record<string, unknown>>>()
declare const untyped: PluginContext
void untyped.emit(tx, 'any.event', { any: 'thing' })
// A context typed for one plugin is not another's: its settings are not the demo's.
expectTypeOf<PluginContext>().not.toExtend<PluginContextOf<DemoSchemas>>()
expectTypeOf<PluginTypesOf<DemoSchemas>['events']>().toEqualTypeOf<DemoEvents>()

// A plugin without settings, features or events gets empty ones, and emits nothing.
definePlugin({
  id: 'bare',
  version: '1.0.0',
  core: '^1',
  async onBoot(ctx) {
    expectTypeOf(await ctx.settings(tx)).toEqualTypeOf<{}>()
    expectTypeOf(ctx.features(c)).toEqualTypeOf<{}>()
    // @ts-expect-error: a plugin without settings has none to read
    void (await ctx.settings(tx)).greeting
    // @ts-expect-error: a plugin without features has none to read
    void ctx.features(c).loud
    // @ts-expect-error: a plugin without events has none to emit
    await ctx.emit(tx, 'bare.done', {})
  },
})
expectTypeOf<Awaited<ReturnType<PluginContextOf<{}>['settings']>>>().toEqualTypeOf<{}>()
// Schemas left out of PluginContextOf read as none.
expectTypeOf<ReturnType<PluginContextOf<{ settings: typeof DemoSettings }>['features']>>().toEqualTypeOf<{}>()
expectTypeOf<Awaited<ReturnType<PluginContextOf<{ events: typeof demoEvents }>['settings']>>>().toEqualTypeOf<{}>()

// Routes and subscribers in files of their own, typed from the schemas (no import of mod.ts).
function demoRoutes(_app: unknown, ctx: PluginContextOf<DemoSchemas>): void {
  void checkDemoContext(ctx)
}
const logGreeting: SubscriberOf<DemoSchemas, 'demo.greeted'> = {
  id: 'log-greeting',
  event: 'demo.greeted',
  async handle(event, ctx) {
    expectTypeOf(event).toEqualTypeOf<EventEnvelope<{ name: string; times: number }>>()
    await checkDemoContext(ctx)
  },
}
const countGreeting = subscriber<DemoSchemas>()({
  id: 'count-greeting',
  event: 'demo.greeted',
  async handle(event) {
    expectTypeOf(event.payload.times).toEqualTypeOf<number>()
  },
})
// @ts-expect-error: a typed subscriber names the event it was typed for
const wrongEvent: SubscriberOf<DemoSchemas, 'demo.greeted'> = { id: 'x', event: 'demo.queued', handle: async () => {} }
definePlugin({
  ...demoDeclared,
  routes: demoRoutes,
  subscribers: [logGreeting, countGreeting],
})
// Routes typed for another plugin's schemas do not fit. (TypeScript takes the schemas from both
// places, and the routes' win, so it is the settings it reports as not fitting them.)
definePlugin({
  id: 'other',
  version: '1.0.0',
  core: '^1',
  // @ts-expect-error: these settings are not the ones the routes are typed for
  settings: z.object({ other: z.string() }),
  routes: demoRoutes,
})
void wrongEvent
