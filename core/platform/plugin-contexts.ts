/**
 * The one builder of the context the core hands a plugin (`PluginContext`): for each plugin, in
 * its routes, `onBoot`, subscribers and jobs, and for each core area's subscribers, which get
 * the same shape without settings, contract features or services of their own.
 */
import type { z } from 'zod'
import type { Plugin } from '../api/define.ts'
import type { PluginBlobs, PluginContext, TenantTx } from '../api/context.ts'
import type { FieldCrypto } from '../api/crypto.ts'
import type { PluginMail } from '../api/mail.ts'
import type { OutboundGuard } from '../api/outbound.ts'
import { type OpenApiAccess, openApiAccessRef } from '../api/open-api.ts'
import type { ServiceDirectory } from '../api/services.ts'
import type { ServiceRef } from '../api/refs.ts'
import { provide } from '../api/refs.ts'
import { PluginError } from '../api/errors.ts'
import type { Db, TenantScope } from '../storage/db.ts'
import type { Logger } from '../log.ts'
import { OcError } from '../http/errors.ts'
import { effectiveSettings, readStoredSettings } from '../settings/store.ts'
import { serviceResolver } from '../plugin/refs.ts'
import { contributionReader } from '../plugin/extension-points.ts'
import { contractedServices, serviceHandles } from '../plugin/service-access.ts'
import { tenantDb } from '../storage/tenant-db.ts'

/** The services the core provides itself, under refs named `core.<name>`, for the plugins that declare them in `uses`. */
export const CORE_REFS: readonly ServiceRef<unknown>[] = [openApiAccessRef]

/** What every context shares: the platform's services, built once. */
export interface ContextParts {
  readonly db: Db
  readonly log: Logger
  /** Installed plugins in dependency order. */
  readonly plugins: readonly Plugin[]
  /** Every declared event type with its payload schema; read when a tenant database emits. */
  readonly catalogue: ReadonlyMap<string, z.ZodType>
  readonly crypto: FieldCrypto
  readonly mail: PluginMail
  readonly outbound: OutboundGuard
  readonly blobs: PluginBlobs
  /** Agents and groups of a service with the plugins' per-agent settings (`ctx.directory`). */
  readonly directory: ServiceDirectory
  /** The identity area's Open API access (`openApiAccessRef`); a getter, as the area is built after the contexts' parts. */
  readonly openApi: () => OpenApiAccess
}

export interface PluginContexts {
  /** The context of one installed plugin. */
  of(plugin: Plugin): PluginContext
  /** The context of a core area's subscribers: no settings, contract features or services. */
  ofArea(areaId: string): PluginContext
}

export function pluginContexts(parts: ContextParts): PluginContexts {
  const { db, log, plugins, crypto, mail, outbound, blobs, directory } = parts
  const tenant = serviceHandles(db, parts.catalogue)
  const servicesContracting = contractedServices(db, tenant)
  // A plugin's typed emit is its transaction's; the type check is at compile time, the payload check in the outbox.
  const emit = (tx: TenantTx, type: string, payload: unknown) => tx.emit(type, payload)
  const shared = { db, crypto, mail, outbound, blobs, directory, tenant, emit, tenantDb: (scope: TenantScope) => tenantDb(db, scope, parts.catalogue) }

  // Services between plugins, made on first use with their provider's context (plugin/refs.ts),
  // and the core's own (CORE_REFS) for the plugins that declare them. The identity area hands out
  // the one Open API access; asked for on use, since contexts are made before it.
  const byId = new Map(plugins.map((p) => [p.id, p]))
  const coreServices = [
    provide(openApiAccessRef, (): OpenApiAccess => ({
      policy: (c) => parts.openApi().policy(c),
      verifySignature: (c, messages, signature) => parts.openApi().verifySignature(c, messages, signature),
    })),
  ]
  const useFor = serviceResolver(plugins, (id) => of(byId.get(id)!), coreServices)
  // Extension points: each contribution read with its contributor's context (plugin/extension-points.ts).
  const contributionsFor = contributionReader(plugins, (id) => of(byId.get(id)!))

  const of = (plugin: Plugin): PluginContext => ({
    ...shared,
    pluginId: plugin.id,
    log: log.child({ plugin: plugin.id }),
    use: useFor(plugin),
    contractedServices: () => servicesContracting(plugin.id),
    contributions: contributionsFor(plugin),
    async settings(tx) {
      if (!plugin.settings) return {} as never
      const values = effectiveSettings(plugin.settings, await readStoredSettings(tx, plugin.id, crypto))
      if (!values) throw new OcError('OC_CONFLICT', `plugin '${plugin.id}' is not configured for this service: save its settings first (PUT /settings/${plugin.id})`)
      return values as never
    },
    features: (from) => (('var' in from ? from.var.tenant : from.tenant).service.contract.plugins[plugin.id]?.features ?? {}) as never,
  })

  const ofArea = (areaId: string): PluginContext => ({
    ...shared,
    pluginId: areaId,
    log: log.child({ area: areaId }),
    use: (ref) => {
      throw new PluginError('OC_PLUGIN_REF_UNDECLARED', areaId, `is a core area and uses no plugin services (asked for '${ref.id}')`)
    },
    // A core area is no plugin: no contract names it.
    contractedServices: async function* () {},
    contributions: (point) => {
      throw new PluginError('OC_PLUGIN_EXTENSION_POINT_UNOWNED', areaId, `is a core area and declares no extension points (read '${point.id}')`)
    },
    settings: async () => ({}) as never,
    features: () => ({}) as never,
  })

  return { of, ofArea }
}
