/**
 * The checks and the reader behind extension points (the types and helpers plugin authors use
 * are in core/api/extension-points.ts): every declaration and contribution is checked at
 * registration, and `ctx.contributions(point)` reads a point's contributions with each
 * contributor's own context.
 */
import { PluginError } from '../api/errors.ts'
import type { Contribution, ExtensionPoint, InstalledContribution } from '../api/extension-points.ts'

/** The parts of a plugin declaration extension points are checked against. */
interface PointDeclarer {
  readonly id: string
  readonly dependsOn?: readonly string[]
  readonly extensionPoints?: readonly ExtensionPoint<unknown>[]
  readonly contributes?: readonly Contribution[]
}

/**
 * The declaring plugin of every extension point, after checking the declarations and the
 * contributions against them.
 */
export function extensionPointOwners(plugins: readonly PointDeclarer[]): Map<string, { readonly pluginId: string; readonly point: ExtensionPoint<unknown> }> {
  const owners = new Map<string, { pluginId: string; point: ExtensionPoint<unknown> }>()
  for (const plugin of plugins) {
    for (const point of plugin.extensionPoints ?? []) {
      if (!point.id.startsWith(`${plugin.id}.`)) throw new PluginError('OC_PLUGIN_EXTENSION_POINT_NAMESPACE', plugin.id, `declares extension point '${point.id}', which belongs to plugin '${point.id.split('.')[0]}'; name it '${plugin.id}.<name>'`)
      // Point ids carry their plugin's id, and plugin ids are unique: only one plugin can repeat itself.
      if (owners.has(point.id)) throw new PluginError('OC_PLUGIN_EXTENSION_POINT_DUPLICATE', plugin.id, `declares extension point '${point.id}' twice; declare each point once`)
      owners.set(point.id, { pluginId: plugin.id, point })
    }
  }
  const keys = new Map<string, Map<string, string>>()
  for (const plugin of plugins) {
    for (const { point: named, value } of plugin.contributes ?? []) {
      const owner = owners.get(named.id)
      const ownerId = named.id.split('.')[0]!
      if (!owner) throw new PluginError('OC_PLUGIN_EXTENSION_POINT_MISSING', plugin.id, `contributes to extension point '${named.id}', which no installed plugin declares; install plugin '${ownerId}' or drop the contribution`)
      if (owner.pluginId !== plugin.id && !plugin.dependsOn?.includes(owner.pluginId)) {
        throw new PluginError('OC_PLUGIN_CONTRIBUTION_DEPENDENCY', plugin.id, `contributes to extension point '${named.id}' of plugin '${owner.pluginId}' without depending on it; add '${owner.pluginId}' to its dependsOn`)
      }
      const problem = owner.point.check?.(value, plugin.id)
      if (problem) throw new PluginError('OC_PLUGIN_CONTRIBUTION_INVALID', plugin.id, `contributes a value that extension point '${named.id}' of plugin '${owner.pluginId}' refuses: ${problem}`)
      const key = owner.point.key?.(value)
      if (key === undefined) continue
      const seen = keys.get(named.id) ?? new Map<string, string>()
      keys.set(named.id, seen)
      const earlier = seen.get(key)
      if (earlier) throw new PluginError('OC_PLUGIN_CONTRIBUTION_INVALID', plugin.id, `contributes '${key}' to extension point '${named.id}' of plugin '${owner.pluginId}', which ${earlier === plugin.id ? 'it contributes' : `plugin '${earlier}' contributes`} already; contribute each once`)
      seen.set(key, plugin.id)
    }
  }
  return owners
}

/**
 * `ctx.contributions` for one plugin: every contribution to a point it declares, in plugin order
 * (`plugins` comes in dependency order), each with its contributor's context from `contextOf`.
 * Read once per point, on first use. The declarations are checked already (`extensionPointOwners`).
 */
export function contributionReader<C>(plugins: readonly PointDeclarer[], contextOf: (pluginId: string) => C) {
  const read = new Map<string, readonly InstalledContribution<unknown, C>[]>()
  const contexts = new Map<string, C>()
  const contextFor = (pluginId: string) => {
    if (!contexts.has(pluginId)) contexts.set(pluginId, contextOf(pluginId))
    return contexts.get(pluginId)!
  }
  return (reader: PointDeclarer) =>
    <T>(point: ExtensionPoint<T>): readonly InstalledContribution<T, C>[] => {
      const declared = (reader.extensionPoints ?? []).some((own) => own.id === point.id)
      if (!declared) throw new PluginError('OC_PLUGIN_EXTENSION_POINT_UNOWNED', reader.id, `reads the contributions to extension point '${point.id}', which it does not declare; only the plugin listing a point in 'extensionPoints' reads it`)
      let found = read.get(point.id)
      if (!found) {
        found = plugins.flatMap((plugin) => (plugin.contributes ?? []).filter((c) => c.point.id === point.id).map((c) => ({ pluginId: plugin.id, value: c.value, context: contextFor(plugin.id) })))
        read.set(point.id, found)
      }
      return found as readonly InstalledContribution<T, C>[]
    }
}
