/**
 * The plugin contract: one declaration that says everything a plugin adds to the platform.
 * The core reads it at registration (checks), at migration time, at boot and when it builds
 * each service's routes, settings and OpenAPI document.
 */
import type { z } from 'zod'
import type { Migration } from './migrations.ts'
import type { PluginApp } from './routes.ts'
import type { PluginContext } from './context.ts'
import type { EventEnvelope } from '../events/types.ts'
import type { Job } from './jobs.ts'
import type { EventDeclarations } from '../events/declarations.ts'
import type { ProvidedService, ServiceRef } from './refs.ts'
import type { PermissionDeclaration } from './permissions.ts'
import type { Contribution, ExtensionPoint } from './extension-points.ts'
import type { FeatureSchemas, PluginTypes, PluginTypesOf } from './plugin-types.ts'

/**
 * A handler of one event type, run by the event dispatcher at least once per event. `P` is the
 * payload's type and `T` the subscribing plugin's (see `SubscriberOf` for naming both from schemas).
 */
export interface Subscriber<P = unknown, T extends PluginTypes = PluginTypes> {
  /** Unique within the plugin; deliveries are recorded per subscriber id. */
  readonly id: string
  readonly event: string
  handle(event: EventEnvelope<P>, ctx: PluginContext<T>): Promise<void>
}

/**
 * The subscriber of event type `K` in a plugin of types `T`: the payload is typed by the event's
 * schema when `K` is one of the plugin's own events, `unknown` otherwise.
 */
export type SubscriberFor<T extends PluginTypes, K extends string> = Subscriber<K extends keyof T['events'] ? T['events'][K] : unknown, T> & {
  readonly event: K
}

/**
 * A plugin's declaration. `T` types the context its callbacks receive; `definePlugin` reads it
 * off the declaration's own schemas, and the core holds every plugin untyped (the default).
 */
export interface PluginDefinition<T extends PluginTypes = PluginTypes> {
  /** kebab-case, unique on the platform; prefixes the plugin's events, migrations and settings. */
  readonly id: string
  /** The plugin's own semantic version. */
  readonly version: string
  /** The core versions this plugin works with, as a semver range (e.g. `^1`). */
  readonly core: string
  readonly description?: string
  /** Plugins that must be installed (and contracted alongside) for this one to work. */
  readonly dependsOn?: readonly string[]
  /**
   * Services this plugin offers other plugins, each under a typed ref named `<id>.<name>`:
   * `provides: [provide(ticketsRef, (ctx) => ticketsService(ctx))]` (see refs.ts). A factory
   * written inline gets the untyped context (TypeScript types the nested call before it reads
   * the schemas); one typed `(ctx: PluginContextOf<...>)` gets the plugin's typed context.
   */
  readonly provides?: readonly ProvidedService<PluginContext<T>>[]
  /**
   * Services of other plugins this one calls, by ref: `uses: { tickets: ticketsRef }`. Each is
   * checked at start (a ref nobody provides fails it) and orders the provider first; read it
   * with `ctx.use(ticketsRef)`.
   */
  readonly uses?: Readonly<Record<string, ServiceRef<unknown>>>
  /**
   * Agent permissions this plugin's routes ask for (`access: { permission: 'hello' }`), each named
   * `<plugin id>` or `<plugin id>.<name>`, with a title per language and the rules that tie it to
   * others (see {@link PermissionDeclaration}). Administrators hold a permission like agents do,
   * unless it is marked `admins`; organization owners pass every check.
   * @example permissions: { hello: { title: { ko: '인사', en: 'Greetings' } } }
   */
  readonly permissions?: Readonly<Record<string, PermissionDeclaration>>
  /**
   * What this plugin keeps per agent (an assignment switch, a cap of open work), set through the
   * agent API under `settings.<plugin id>` and read from `ctx.directory` as `agent.settings[<plugin id>]`.
   * Every setting needs a default (agents exist before the plugin is installed).
   * @example agentSettings: z.object({ assignment: z.boolean().default(true) })
   */
  readonly agentSettings?: z.ZodObject
  /**
   * Extension points this plugin declares, each named `<id>.<name>`, for other plugins to
   * contribute to; read them with `ctx.contributions(point)` (see extension-points.ts).
   */
  readonly extensionPoints?: readonly ExtensionPoint<unknown>[]
  /**
   * Values this plugin adds to other plugins' extension points, such as a trigger result type:
   * `contributes: [contribute(triggerResults, slackPost)]`. The point's plugin must be in `dependsOn`.
   */
  readonly contributes?: readonly Contribution[]
  /** What a contract can switch for this plugin beyond on/off, e.g. `{ phoneCti: z.boolean().default(false) }`. */
  readonly contract?: { readonly features?: Readonly<Record<string, z.ZodType>> }
  /** Per-service settings; validated on write, published as JSON Schema. Mark secrets with `secret()`. */
  readonly settings?: z.ZodObject
  /** Ordered schema changes; ids are recorded as `<plugin id>:<migration id>`. */
  readonly migrations?: readonly Migration[]
  /**
   * Event types this plugin emits: names start with `<plugin id>.`; each is its payload's zod
   * schema, or `{ payload, internal: true }` for work the plugin hands itself through the outbox,
   * which web hooks never receive nor may subscribe to (see {@link EventDeclarations}).
   */
  readonly events?: EventDeclarations
  /**
   * Registers the plugin's routes, mounted at `/api/v1/<id>` of each contracted service: paths
   * are relative to it (`/greetings` is `/api/v1/hello/greetings`), and middleware the plugin
   * adds (`app.use('*')`) runs on these routes only.
   */
  readonly routes?: (app: PluginApp, ctx: PluginContext<T>) => void
  /**
   * Route groups at other paths under the service prefix (`/o/{org}/{service}<path>/...`, and
   * `{org}.{baseDomain}/{service}<path>/...`), for URL schemes the plugin does not choose, such as
   * a vendor API it stands in for. Each group is contract-gated and access-checked exactly like
   * `routes`, and listed in the service's OpenAPI document with its full path. See {@link PluginMount}.
   */
  readonly mounts?: readonly PluginMount<T>[]
  /**
   * Event handlers: of the plugin's own events or of any other event type. Written inline in
   * `definePlugin`, a subscriber of an own event gets its payload typed by the declared schema.
   */
  readonly subscribers?: readonly Subscriber<unknown, T>[]
  /** Scheduled jobs (croner patterns), each run once per cluster per tick; see {@link Job}. */
  readonly jobs?: readonly Job<PluginContext<T>>[]
  /** Runs once, after migrations and before the first request. */
  readonly onBoot?: (ctx: PluginContext<T>) => void | Promise<void>
  /** Runs once on shutdown, in reverse boot order. */
  readonly onShutdown?: (ctx: PluginContext<T>) => void | Promise<void>
  /**
   * Runs on this instance after a save of the plugin's settings for a service committed, before
   * the answer: for a plugin that keeps what its settings decide in memory (other instances
   * learn of the change their own way, e.g. a trigger's NOTIFY).
   */
  readonly onSettingsSaved?: (scope: { orgId: string; serviceId: string }) => void
}

/**
 * A group of routes mounted at `path` under each contracted service's prefix instead of `/api/v1`.
 *
 * - `path` starts with `/`, has at least one segment of letters, digits, `.`, `_` or `-`, and
 *   must not be `/api` itself or reach under `/api/v1` (the platform's own prefix).
 * - The group gets its own app: `app.onError(...)` there answers the group's errors in its own
 *   shape (e.g. a vendor's envelope) without touching the rest of the platform.
 * - `bodyLimitBytes` replaces the platform's body limit for the routes of this group that declare
 *   none of their own (`route({ bodyLimit })`), e.g. a vendor API whose uploads are large.
 *
 * @example
 * mounts: [{
 *   path: '/openapi/v1',
 *   bodyLimitBytes: 11 * 1024 * 1024,
 *   routes(app, ctx) {
 *     app.onError((error, c) => c.json({ header: { isSuccessful: false } }, 400))
 *     app.openapi(route({ method: 'post', path: '/ticket.json', access: 'public', ... }), handler)
 *   },
 * }]
 */
export interface PluginMount<T extends PluginTypes = PluginTypes> {
  readonly path: string
  readonly bodyLimitBytes?: number
  readonly routes: (app: PluginApp, ctx: PluginContext<T>) => void
}

/** A checked plugin definition, as `definePlugin` returns it. */
export type Plugin = PluginDefinition & { readonly __ocPlugin: true }

type SettingsSchema = z.ZodObject | undefined
type FeaturesSchemas = FeatureSchemas | undefined
type EventsSchemas = EventDeclarations | undefined

/** The context types a definition's own `settings`, `contract.features` and `events` give. */
type DefinedTypes<S extends SettingsSchema, F extends FeaturesSchemas, E extends EventsSchemas> = PluginTypesOf<{ settings: S; features: F; events: E }>

/**
 * What `definePlugin` takes: a definition typed by its own schemas.
 *
 * The schemas are type parameters of their own (`S`, `F`, `E`) rather than read off one
 * parameter for the whole definition (TypeScript cannot type a definition's callbacks from a
 * constraint that names the definition itself): inferred from the schema properties first, they
 * then type the inline callbacks (`routes(app, ctx)`, a job's `run(ctx)`, `onBoot(ctx)`).
 * Subscribers are typed element by element from the event types they name (`L`, a tuple): a union
 * of "own event" and "any event" subscribers gives TypeScript two `handle` signatures for an own
 * event, and it then types the inline `handle` with neither. A list built by spreading arrays
 * (`[...a, ...b]`) is read as `string[]`, so its inline subscribers get `unknown` payloads.
 */
export type TypedDefinition<S extends SettingsSchema, F extends FeaturesSchemas, E extends EventsSchemas, L extends readonly string[]> = Omit<
  PluginDefinition<DefinedTypes<S, F, E>>,
  'settings' | 'contract' | 'events' | 'subscribers'
> & {
  readonly contract?: { readonly features?: F }
  readonly settings?: S
  readonly events?: E
  readonly subscribers?: { readonly [I in keyof L]: SubscriberFor<DefinedTypes<S, F, E>, L[I]> }
}

/**
 * Declares a plugin. Checking happens when the platform registers it, so that errors name
 * every plugin involved (a missing dependency, a cycle).
 *
 * The callbacks written in the declaration get a context typed by its own schemas:
 * `ctx.settings(tx)` by `settings`, `ctx.features(c)` by `contract.features`, `ctx.emit(tx, type,
 * payload)` and an own event's subscriber by `events`. Code in other files names the same
 * context with `PluginContextOf` (and subscribers with `SubscriberOf` or `subscriber()`).
 *
 * @example
 * export default definePlugin({
 *   id: 'hello',
 *   version: '1.0.0',
 *   core: '^1',
 *   settings: z.object({ greeting: z.string().default('Hello') }),
 *   migrations: [{ id: '0001_greetings', sql: 'CREATE TABLE hello_greetings (...)' }],
 *   events: { 'hello.greeted': z.object({ name: z.string() }) },
 *   routes(app) { app.openapi(greetRoute, greetHandler) },
 *   subscribers: [{
 *     id: 'log-greeting',
 *     event: 'hello.greeted',
 *     async handle(event, ctx) { ctx.log.info('greeted', { name: event.payload.name }) },   // payload: { name: string }
 *   }],
 * })
 */
export function definePlugin<
  S extends SettingsSchema = undefined,
  F extends FeaturesSchemas = undefined,
  E extends EventsSchemas = undefined,
  const L extends readonly string[] = [],
>(definition: TypedDefinition<S, F, E, L>): TypedDefinition<S, F, E, L> & Plugin {
  // The core reads every plugin untyped: a typed callback only asks more of the context it gets.
  return Object.freeze({ ...definition, __ocPlugin: true as const }) as TypedDefinition<S, F, E, L> & Plugin
}
