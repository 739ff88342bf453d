/**
 * What the core hands a plugin: at boot, in routes, and to subscribers and jobs. The tenant
 * database (tenant-db.ts) and request values (request.ts) it refers to are re-exported here.
 */
import type { Db, Queryable, TenantScope } from './db.ts'
import type { Logger } from '../log.ts'
import type { TenantDb } from './tenant-db.ts'
import type { TenantBlobs } from './blobs.ts'
import type { FieldCrypto } from './crypto.ts'
import type { PluginMail } from './mail.ts'
import type { OutboundGuard } from './outbound.ts'
import type { ServiceDirectory, ServiceHandle } from './services.ts'
import type { ExtensionPoint, InstalledContribution } from './extension-points.ts'
import type { ServiceRef } from './refs.ts'
import type { PlatformContext } from './request.ts'
import type { TenantTx } from './tenant-db.ts'
import type { PluginTypes } from './plugin-types.ts'

export type { TenantDb, TenantTx } from './tenant-db.ts'
export type { PlatformContext, PlatformEnv, RequestVars } from './request.ts'

/** The blob store as plugins reach it outside a request. */
export interface PluginBlobs {
  /** The blobs of one tenant, with the platform's upload policy as the default for `put`. */
  forTenant(scope: TenantScope): TenantBlobs
}

/**
 * What the core hands a plugin. `T` is what the plugin's own schemas say (see plugin-types.ts):
 * `definePlugin` fills it in for the callbacks written in the definition, and
 * `PluginContextOf<{ settings, features, events }>` names it in the plugin's other files.
 * Untyped (`PluginContext`), settings and features are plain records and any event may be emitted.
 *
 * @example
 * type HelloContext = PluginContextOf<{ settings: typeof HelloSettings; features: typeof helloFeatures; events: typeof helloEvents }>
 * async function greet(ctx: HelloContext, tx: TenantTx, name: string) {
 *   const { greeting } = await ctx.settings(tx)          // string, from HelloSettings
 *   await ctx.emit(tx, 'hello.greeted', { name, text: `${greeting}, ${name}` })   // checked against the event's schema
 * }
 */
export interface PluginContext<T extends PluginTypes = PluginTypes> {
  readonly pluginId: string
  readonly log: Logger
  /** The platform database as its owner role; for onBoot work that is not a tenant's. */
  readonly db: Db
  /** Field encryption (personal information): `ctx.crypto.forTenant(scope)`; throws `OC_CRYPTO_NOT_CONFIGURED` on use when no master key is configured. */
  readonly crypto: FieldCrypto
  /** Outgoing mail: the platform's sender or a tenant's SMTP account; use from subscribers only. */
  readonly mail: PluginMail
  /**
   * Outgoing HTTP to URLs a tenant chose (callbacks, messenger hooks), under the platform's SSRF
   * rules: `check(url)` when a URL is saved (refusals are 422 errors naming the rule), `fetch`
   * when calling it from a subscriber.
   */
  readonly outbound: OutboundGuard
  /**
   * A service for work outside requests (subscribers, jobs): its tenant record (languages,
   * contract) and its database bound to it, whose `tx.emit` writes events in the same
   * transaction. Null once the service is gone. Call outside any open transaction.
   *
   * @example
   * const service = await ctx.tenant({ orgId: event.orgId, serviceId: event.serviceId! })
   * await service?.db.tx(async (tx) => { ...; await tx.emit('ticket.updated', payload) })
   */
  tenant(scope: TenantScope): Promise<ServiceHandle | null>
  /**
   * The database of one tenant outside a request, without reading its record: the same
   * {@link TenantDb} routes get as `c.var.db`. Its `tx` is the one way a plugin opens a tenant
   * transaction (routes: `c.var.db.tx`; elsewhere: this, or `ctx.tenant(scope)`'s `db`).
   * @example await ctx.tenantDb(event.scope).tx((tx) => tx.sql`SELECT title FROM tickets WHERE id = ${id}`)
   */
  tenantDb(scope: TenantScope): TenantDb
  /**
   * Every service that contracts this plugin, as a handle (tenant record and its database), for
   * jobs that work tenant by tenant under each one's row-level security.
   * @example
   * for await (const service of ctx.contractedServices()) {
   *   await service.db.tx((tx) => closeStaleTickets(tx, ctx.features(service)))
   * }
   */
  contractedServices(): AsyncIterable<ServiceHandle>
  /** Read-only agents and groups of a service with members' addresses; see {@link ServiceDirectory}. */
  readonly directory: ServiceDirectory
  /**
   * Every contribution to an extension point this plugin declares (else
   * `OC_PLUGIN_EXTENSION_POINT_UNOWNED`), in plugin dependency order, each with its contributor's
   * id and context: run a contribution's code with that context, so it runs as its own plugin.
   * @example
   * for (const { value: action, context } of ctx.contributions(triggerResults)) await action.run(effect, context)
   */
  contributions<T>(point: ExtensionPoint<T>): readonly InstalledContribution<T, PluginContext>[]
  /**
   * Files of one tenant outside a request (subscribers attaching a stored file to a mail, jobs
   * storing a received one); routes use `c.var.blobs`, bound the same way.
   * @example const file = await ctx.blobs.forTenant(scope).get(row.blob_key)
   */
  readonly blobs: PluginBlobs
  /**
   * The service another plugin provides under `ref`, which this plugin declared in `uses`
   * (else `OC_PLUGIN_REF_UNDECLARED`). Methods that touch tenant data take the caller's `tx`,
   * so the call is part of the caller's transaction.
   * @example await ctx.use(ticketsRef).create(tx, { service: c.var.tenant.service, actor }, { title, content, channel: 'web' })
   */
  use<T>(ref: ServiceRef<T>): T
  /**
   * Reads this plugin's settings for the tenant of `tx`, with defaults applied, typed by the
   * plugin's `settings` schema (an empty object for a plugin without one).
   * @example const { greeting } = await ctx.settings(tx)
   */
  settings(tx: Queryable): Promise<T['settings']>
  /**
   * This plugin's contract features for a service, with defaults applied: the request's
   * (`ctx.features(c)` in a route) or, in subscribers and jobs, one from `ctx.tenant(scope)`;
   * typed by the plugin's `contract.features`.
   * @example const { loud } = ctx.features(c)
   */
  features(from: PlatformContext | ServiceHandle): T['features']
  /**
   * `tx.emit` for one of this plugin's own events, its type and payload checked against the
   * declaration in `events` when the plugin compiles (the outbox checks the payload again on
   * write). The payload is the schema's output, the shape subscribers receive.
   * @example await ctx.emit(tx, 'hello.greeted', { greetingId: row.id, name, text })
   */
  emit<K extends keyof T['events'] & string>(tx: TenantTx, type: K, payload: T['events'][K]): Promise<string>
}
