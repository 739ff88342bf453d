/**
 * Naming a plugin's typed context and subscribers from its schemas, for its files other than
 * `mod.ts`: routes and subscribers in files of their own cannot import types from `mod.ts`,
 * which imports them (no import circles, type-only imports included), but they can import the
 * schemas `mod.ts` declares with.
 */
import type { PluginContext } from './context.ts'
import type { SubscriberFor } from './define.ts'
import type { PluginSchemas, PluginTypesOf } from './plugin-types.ts'

/**
 * The context `definePlugin` gives a plugin declaring these schemas (each may be left out).
 *
 * @example
 * // examples/hello-plugin/context.ts
 * export type HelloContext = PluginContextOf<{ settings: typeof HelloSettings; features: typeof helloFeatures; events: typeof helloEvents }>
 * // routes/greetings.ts
 * export function greetingRoutes(app: PluginApp, ctx: HelloContext) { ... await ctx.settings(tx) ... }
 */
export type PluginContextOf<S extends PluginSchemas> = PluginContext<PluginTypesOf<S>>

/**
 * A subscriber of event type `K` in the plugin declaring schemas `S`: `event.payload` typed by
 * the event's schema when `K` is one of the plugin's own events (`unknown` otherwise), and its
 * context typed as {@link PluginContextOf}.
 *
 * @example
 * export const logGreeting: SubscriberOf<HelloSchemas, 'hello.greeted'> = {
 *   id: 'log-greeting', event: 'hello.greeted',
 *   async handle(event, ctx) { ctx.log.info('greeted', { name: event.payload.name }) },
 * }
 */
export type SubscriberOf<S extends PluginSchemas, K extends string> = SubscriberFor<PluginTypesOf<S>, K>

/**
 * Declares a subscriber in a file of its own, typed by the plugin's schemas: the event type is
 * read off the subscriber (hence the two calls: `S` is given, `K` inferred).
 *
 * @example
 * export const logGreeting = subscriber<HelloSchemas>()({
 *   id: 'log-greeting',
 *   event: 'hello.greeted',
 *   async handle(event, ctx) { ctx.log.info('greeted', { name: event.payload.name }) },   // payload typed
 * })
 */
export function subscriber<S extends PluginSchemas = {}>(): <const K extends string>(declared: SubscriberOf<S, K>) => SubscriberOf<S, K> {
  return (declared) => declared
}
