/**
 * Core areas: the parts of the core (settings, operator API, identity, events, audit) plug
 * into the platform through this one interface, the way feature plugins do through
 * `definePlugin`, but with access to core internals. `createPlatform` builds every area from
 * the same dependencies and wires its routes, authenticators, events, subscribers and
 * background work.
 */
import type { RuntimeServices } from './platform/runtime-services.ts'
import type { z } from 'zod'
import type { PluginApp } from './plugin/app.ts'
import type { Plugin, Subscriber } from './api/define.ts'
import type { PluginBlobs, PluginContext } from './api/context.ts'
import type { CoreJobContext, Job } from './api/jobs.ts'
import type { Authenticator } from './identity/guard.ts'
import type { EventCatalogue } from './events/outbox.ts'
import type { EventDeclarations } from './events/declarations.ts'
import type { Db } from './storage/db.ts'
import type { Logger } from './log.ts'
import type { OutboundGuard } from './http/outbound.ts'
import type { FieldCrypto } from './api/crypto.ts'
import type { PluginMail } from './mail/plugin-mail.ts'
import type { IdentityPlatformOptions } from './identity/options.ts'
import type { EventPlatformOptions } from './events/options.ts'
import type { ServiceDirectory } from './api/services.ts'
import type { AgentSettingsCatalogue } from './identity/agent-settings.ts'
import type { PermissionCatalogue } from './plugin/permissions.ts'

/** What every area is built from. */
export interface CoreDeps {
  readonly db: Db
  readonly log: Logger
  /** The runtime's services (the web hook signer's HMAC, the outbound guard's resolver). */
  readonly runtime: RuntimeServices
  /** Installed plugins in dependency order. */
  readonly plugins: readonly Plugin[]
  readonly installed: ReadonlyMap<string, Plugin>
  /** Every declared event type (core areas' and plugins'), with its payload schema. */
  readonly catalogue: EventCatalogue
  /** The declared event types marked internal: never delivered to, nor subscribable by, web hooks. Filled with `catalogue`. */
  readonly internalEvents: ReadonlySet<string>
  /** The platform options core areas read (each group declared by its area). */
  readonly options: IdentityPlatformOptions & EventPlatformOptions
  /** The SSRF rules for every outgoing call to a tenant-chosen URL (`outboundAllowlist` applied). */
  readonly outbound: OutboundGuard
  /** Field encryption under the configured keyring (refuses every operation without one). */
  readonly crypto: FieldCrypto
  /** Outgoing mail as subscribers send it (`mail` option). */
  readonly mail: PluginMail
  /** Each tenant's files, for work outside requests (`ctx.blobs`). */
  readonly blobs: PluginBlobs
  /** The installed plugins' agent permissions and their rules (checked when the platform is made). */
  readonly permissions: PermissionCatalogue
  /** The installed plugins' per-agent settings (checked when the platform is made). */
  readonly agentSettings: AgentSettingsCatalogue
  /** Agents and groups of a service for work outside requests (`ctx.directory`). */
  readonly directory: ServiceDirectory
  /** Every core area, built-in first; filled right after all areas are built, like `catalogue`. */
  readonly areas: readonly CoreArea[]
  /** The context the platform hands `plugin` (routes, onBoot), for running its subscribers and jobs. */
  pluginContext(plugin: Plugin): PluginContext
  /** The context an area's own subscribers run with: the plugin context's shape, without settings, features or services. */
  areaContext(areaId: string): PluginContext
}

export interface CoreArea {
  readonly id: string
  /** Routes under each service's API prefix, `/o/{org}/{service}/api/v1`. */
  serviceRoutes?(app: PluginApp): void
  /** Routes under an organization, `/o/{org}/org/v1`; `c.var.org` is set. */
  orgRoutes?(app: PluginApp): void
  /** Routes of the operator API, `/operator/v1`. */
  operatorRoutes?(app: PluginApp): void
  /** Bearer-token authenticators this area contributes (tried in area order). */
  readonly authenticators?: readonly Authenticator[]
  /** Core event types, named `core.<area>.<name>`. */
  readonly events?: EventDeclarations
  /** Core subscribers, run by the event dispatcher like plugin subscribers. */
  readonly subscribers?: readonly Subscriber[]
  /** Core scheduled jobs, run once per cluster per tick like plugin jobs. */
  readonly jobs?: readonly Job<CoreJobContext>[]
  /** Runs in `platform.start()` after migrations, before plugins boot. */
  start?(): Promise<void>
  /**
   * Runs in `platform.start()` after every plugin's `onBoot`: the place to start background work
   * that calls into plugins (subscribers, jobs), so none runs against a plugin not yet booted.
   */
  ready?(): Promise<void>
  /** Runs in `platform.stop()` before plugins shut down, in reverse area order: stop what `ready` started. */
  quiesce?(): Promise<void>
  /** Runs in `platform.stop()` after plugins shut down, in reverse area order. */
  stop?(): Promise<void>
}

/**
 * Builds an area. The catalogue in `deps` is filled with every area's and plugin's events
 * right after all areas are built, so read it at request time, not in the factory.
 */
export type CoreAreaFactory = (deps: CoreDeps) => CoreArea
