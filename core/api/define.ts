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

/** A handler of one event type, run by the event dispatcher at least once per event. */
export interface Subscriber {
  /** Unique within the plugin; deliveries are recorded per subscriber id. */
  readonly id: string
  readonly event: string
  handle(event: EventEnvelope, ctx: PluginContext): Promise<void>
}

export interface PluginDefinition {
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
   * `provides: [provide(ticketsRef, (ctx) => ticketsService(ctx))]` (see refs.ts).
   */
  readonly provides?: readonly ProvidedService<PluginContext>[]
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
  readonly routes?: (app: PluginApp, ctx: PluginContext) => void
  /**
   * Route groups at other paths under the service prefix (`/o/{org}/{service}<path>/...`, and
   * `{org}.{baseDomain}/{service}<path>/...`), for URL schemes the plugin does not choose, such as
   * a vendor API it stands in for. Each group is contract-gated and access-checked exactly like
   * `routes`, and listed in the service's OpenAPI document with its full path. See {@link PluginMount}.
   */
  readonly mounts?: readonly PluginMount[]
  readonly subscribers?: readonly Subscriber[]
  /** Scheduled jobs (croner patterns), each run once per cluster per tick; see {@link Job}. */
  readonly jobs?: readonly Job[]
  /** Runs once, after migrations and before the first request. */
  readonly onBoot?: (ctx: PluginContext) => void | Promise<void>
  /** Runs once on shutdown, in reverse boot order. */
  readonly onShutdown?: (ctx: PluginContext) => void | Promise<void>
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
export interface PluginMount {
  readonly path: string
  readonly bodyLimitBytes?: number
  readonly routes: (app: PluginApp, ctx: PluginContext) => void
}

/** A checked plugin definition, as `definePlugin` returns it. */
export type Plugin = PluginDefinition & { readonly __ocPlugin: true }

/**
 * Declares a plugin. Checking happens when the platform registers it, so that errors name
 * every plugin involved (a missing dependency, a cycle).
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
 * })
 */
export function definePlugin<const D extends PluginDefinition>(definition: D): D & Plugin {
  return Object.freeze({ ...definition, __ocPlugin: true as const })
}
