/**
 * Service refs at boot: the declarations of every installed plugin checked against each other
 * (`refProviders`) and the resolver behind `ctx.use` (`serviceResolver`). The refs themselves and
 * `provide` are part of the contract (api/refs.ts).
 */
import { PluginError } from '../api/errors.ts'
import type { ProvidedService, ServiceRef } from '../api/refs.ts'

/** The provider id of the services the core itself offers (refs named `core.<name>`); no plugin may take it. */
export const CORE_PROVIDER = 'core'

/** The parts of a plugin declaration refs are checked against. */
interface RefDeclarer {
  readonly id: string
  readonly provides?: readonly ProvidedService<never>[]
  readonly uses?: Readonly<Record<string, ServiceRef<unknown>>>
}

/**
 * The provider of every provided ref, after checking the declarations: each ref is named under
 * its provider's id and provided once, and each used ref is provided by an installed plugin or,
 * among `coreRefs`, by the core.
 */
export function refProviders(plugins: readonly RefDeclarer[], coreRefs: readonly ServiceRef<unknown>[] = []): Map<string, string> {
  const providers = new Map<string, string>(coreRefs.map((ref) => [ref.id, CORE_PROVIDER]))
  for (const plugin of plugins) {
    for (const { ref } of plugin.provides ?? []) {
      if (!ref.id.startsWith(`${plugin.id}.`)) throw new PluginError('OC_PLUGIN_REF_NAMESPACE', plugin.id, `provides ref '${ref.id}'; name it '${plugin.id}.<name>'`)
      // Ref ids carry their provider's id, and plugin ids are unique: only one plugin can repeat itself.
      if (providers.has(ref.id)) throw new PluginError('OC_PLUGIN_REF_DUPLICATE', plugin.id, `provides ref '${ref.id}' twice; provide each service once`)
      providers.set(ref.id, plugin.id)
    }
  }
  for (const plugin of plugins) {
    for (const [name, ref] of Object.entries(plugin.uses ?? {})) {
      if (!providers.has(ref.id)) {
        const owner = ref.id.split('.')[0]
        throw new PluginError('OC_PLUGIN_REF_MISSING', plugin.id, `uses ref '${ref.id}' (as '${name}'), which no installed plugin provides; install plugin '${owner}' or drop the use`)
      }
    }
  }
  return providers
}

/**
 * `ctx.use` for one plugin: the service of a ref it declared in `uses`, made on first use by its
 * provider. `contextOf` gives each provider's context; `coreServices` are the core's own, made
 * without one. The declarations are checked already (`refProviders`, at registration).
 */
export function serviceResolver<C>(plugins: readonly RefDeclarer[], contextOf: (pluginId: string) => C, coreServices: readonly ProvidedService<void>[] = []) {
  const made = new Map<string, unknown>()
  const builders = new Map<string, () => unknown>(coreServices.map(({ ref, make }) => [ref.id, () => make()]))
  for (const plugin of plugins) for (const { ref, make } of plugin.provides ?? []) builders.set(ref.id, () => (make as (ctx: C) => unknown)(contextOf(plugin.id)))
  return (user: RefDeclarer) =>
    <T>(ref: ServiceRef<T>): T => {
      const declared = Object.values(user.uses ?? {}).some((used) => used.id === ref.id)
      if (!declared) throw new PluginError('OC_PLUGIN_REF_UNDECLARED', user.id, `uses ref '${ref.id}' without declaring it; add it to the plugin's 'uses'`)
      if (!made.has(ref.id)) made.set(ref.id, builders.get(ref.id)!())
      return made.get(ref.id) as T
    }
}
