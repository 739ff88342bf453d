/**
 * The composition root: takes a database and plugins, checks the plugins, builds the core areas
 * and the plugin contexts, and wires them into the root HTTP app (platform/root-app.ts) and the
 * lifecycle (platform/lifecycle.ts). Each piece it wires is a file of its own in platform/.
 *
 * Runtime entries (core/runtime/*) create a platform and serve its `fetch`.
 */
import type { z } from 'zod'
import type { Plugin } from './api/define.ts'
import type { PluginBlobs } from './api/context.ts'
import { registerPlugins } from './plugin/registry.ts'
import type { Db } from './storage/db.ts'
import { bindBlobs } from './storage/blob.ts'
import { databaseBlobStore } from './storage/blob-db.ts'
import { settingsArea } from './settings/area.ts'
import { tenancyArea } from './tenancy/area.ts'
import { identityArea } from './identity/area.ts'
import { auditArea } from './audit/area.ts'
import { eventsArea } from './events/area.ts'
import { readEventDeclaration } from './events/declarations.ts'
import type { CoreArea, CoreDeps } from './area.ts'
import type { Job } from './api/jobs.ts'
import type { JobRun } from './jobs/scheduler.ts'
import { pluginMail } from './mail/plugin-mail.ts'
import { outboundGuard } from './http/outbound.ts'
import { detectRuntimeServices } from './runtime/native.ts'
import { fieldCrypto } from './crypto/tenant-crypto.ts'
import { createLogger, type Logger } from './log.ts'
import type { PlatformOptions } from './platform/options.ts'
import { CORE_REFS, pluginContexts } from './platform/plugin-contexts.ts'
import { serviceDirectory } from './plugin/service-access.ts'
import { agentSettingsCatalogue } from './identity/agent-settings.ts'
import { permissionCatalogue, permissionCheck } from './plugin/permissions.ts'
import { routeGuards } from './platform/guards.ts'
import { rootApp } from './platform/root-app.ts'
import { lifecycle } from './platform/lifecycle.ts'

export type { PlatformOptions } from './platform/options.ts'
export { CORE_REFS } from './platform/plugin-contexts.ts'

export interface Platform {
  /**
   * The web-standard entry point: every runtime serves this. Like Hono's `fetch`, it answers
   * synchronously when every step of the request could (see http/fused-router.ts).
   */
  fetch(request: Request, env?: unknown, executionContext?: unknown): Response | Promise<Response>
  /** Migrates, wires caches and runs every plugin's `onBoot`, once. `fetch` calls it if needed. */
  start(): Promise<void>
  /** Runs `onShutdown` in reverse boot order and stops listeners; the database is the caller's to close. */
  stop(): Promise<void>
  /** Applies pending migrations of the core and every plugin; returns their ids. */
  migrate(): Promise<string[]>
  /**
   * Delivers pending events and due retries now, until none is left or `maxMs` has passed;
   * returns how many deliveries it claimed. Where no process lives between requests
   * (`events.background: false`, Workers) this is the dispatcher: after a change and on a cron trigger.
   */
  drainEvents(options?: { maxMs?: number }): Promise<number>
  /** Runs each scheduled job whose latest tick at `now` has not run yet (a cron trigger); returns the keys run. */
  runDueJobs(now?: Date): Promise<string[]>
  /**
   * Runs the jobs `choose` picks now, whatever their schedule, each under its lease (a job running
   * elsewhere is reported `busy`). For commands run by hand, e.g. `opencontact keys rotate`.
   */
  runJobsNow(choose: (key: string, job: Job<never>) => boolean): Promise<JobRun[]>
  readonly plugins: readonly Plugin[]
  /** The core areas, built-in first; tests and embedders reach area services through them. */
  readonly areas: readonly CoreArea[]
  readonly db: Db
  readonly log: Logger
}

export function createPlatform(options: PlatformOptions): Platform {
  const { db } = options
  const log = options.log ?? createLogger()
  const plugins = registerPlugins(options.plugins ?? [], CORE_REFS)
  const installed = new Map(plugins.map((p) => [p.id, p]))
  const catalogue = new Map<string, z.ZodType>()
  const internalEvents = new Set<string>()
  const areas: CoreArea[] = []
  const runtime = options.runtime ?? detectRuntimeServices()
  const outbound = outboundGuard({ allowlist: options.outboundAllowlist, resolve: runtime.resolveHost })
  const mail = pluginMail(options.mail)
  const crypto = fieldCrypto(options.keyring)
  const blobStore = options.blobStore ?? databaseBlobStore(db)
  const uploadPolicy = options.uploadPolicy ?? { maxBytes: 10 * 1024 * 1024 }
  const blobs: PluginBlobs = { forTenant: (scope) => bindBlobs(blobStore, scope, uploadPolicy) }
  // What plugins declare of the agent model: permissions and per-agent settings (checked here).
  const permissions = permissionCatalogue(plugins)
  const agentSettings = agentSettingsCatalogue(plugins)
  const directory = serviceDirectory(db, agentSettings)
  // One builder for every context handed to plugin and area code; Open API access is the identity area's.
  const contexts = pluginContexts({ db, log, plugins, catalogue, crypto, mail, outbound, blobs, directory, openApi: () => identity.openApi })
  const deps: CoreDeps = { db, log, runtime, plugins, installed, catalogue, internalEvents, options, areas, outbound, crypto, mail, blobs, permissions, agentSettings, directory, pluginContext: contexts.of, areaContext: contexts.ofArea }
  // Areas are built in this order, and their routes, authenticators and lifecycle hooks run in it.
  const tenancy = tenancyArea(deps)
  const identity = identityArea(deps)
  const between = [settingsArea, auditArea].map((make) => make(deps))
  const events = eventsArea(deps)
  areas.push(tenancy, identity, ...between, events, ...(options.areas ?? []).map((make) => make(deps)))
  for (const source of [...areas, ...plugins]) {
    for (const [type, declared] of Object.entries(source.events ?? {})) {
      const { payload, internal } = readEventDeclaration(declared)
      catalogue.set(type, payload)
      if (internal) internalEvents.add(type)
    }
  }

  const guards = routeGuards({ authenticators: areas.flatMap((area) => area.authenticators ?? []), bodyLimitBytes: options.bodyLimitBytes, uploadPolicy, checkAccess: permissionCheck(permissions, installed) })
  const app = rootApp({ options, db, log, plugins, areas, tenancy, catalogue, blobStore, uploadPolicy, guards, contextOf: contexts.of })
  const life = lifecycle({ db, log, plugins, areas, migrateOnStart: options.migrateOnStart !== false, contextOf: contexts.of })

  return {
    plugins,
    db,
    log,
    areas,
    migrate: life.migrate,
    start: life.start,
    stop: life.stop,
    drainEvents: (drain) => events.dispatcher.drain(drain),
    runDueJobs: (now) => events.scheduler.runDue(now),
    runJobsNow: (choose) => events.scheduler.runNow(choose),
    fetch: (request, env, executionContext) =>
      life.started ? app.fetch(request, env, executionContext as never) : life.start().then(() => app.fetch(request, env, executionContext as never)),
  }
}
