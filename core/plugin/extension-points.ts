/**
 * Extension points: a plugin declares a point in `extensionPoints`, other plugins add values to
 * it in `contributes`, and the declaring plugin reads them with `ctx.contributions(point)`. Every
 * declaration and contribution is checked at registration (a point outside its plugin's
 * namespace or declared twice, a contribution to a point nobody declares, a contributor that
 * does not depend on the point's plugin, a value the point refuses: coded errors naming both
 * plugins), so a wrong contribution fails the start, never a request.
 *
 * A contribution reaches its point's plugin with the contributor's id and the contributor's own
 * plugin context: code in a contribution runs as its own plugin (its settings, log, services),
 * whichever plugin calls it. Contributions come in plugin dependency order.
 *
 * @example
 * // plugins/ticket/api.ts
 * export const triggerResults = createExtensionPoint<TriggerAction>('ticket.trigger-results', { key: (a) => a.type })
 * // plugins/ticket/mod.ts
 * extensionPoints: [triggerResults],
 * ... for (const { pluginId, value, context } of ctx.contributions(triggerResults)) ...
 * // plugins/slack/mod.ts
 * dependsOn: ['ticket'],
 * contributes: [contribute(triggerResults, slackPost)],
 */
import { PluginError } from './errors.ts'

/** A typed place other plugins contribute values to; its id is `<declaring plugin id>.<name>`. */
export interface ExtensionPoint<T> {
  readonly id: string
  /** Why a contributed value is refused (checked at registration), or nothing when it is fine. */
  check?(value: T, contributorId: string): string | undefined
  /** What must be unique among the point's contributions, e.g. a result type's name. */
  key?(value: T): string
  /** Carries the contributions' type; never set. */
  readonly __contribution?: T
}

export interface ExtensionPointOptions<T> {
  /** Refuses a value at registration by returning why: `(action, pluginId) => action.type.startsWith(`${pluginId}.`) ? undefined : '...'`. */
  check?(value: T, contributorId: string): string | undefined
  /** Two contributions with the same key are refused at registration. */
  key?(value: T): string
}

const POINT_ID = /^[a-z][a-z0-9-]*\.[a-z][a-zA-Z0-9-]*$/

/**
 * Declares an extension point; list it in the declaring plugin's `extensionPoints` and export
 * it from the plugin's `api.ts`, so contributors can name it.
 *
 * @example
 * export const menuItems = createExtensionPoint<MenuItem>('console.menu-items', {
 *   check: (item) => (item.label ? undefined : 'a menu item needs a label'),
 *   key: (item) => item.path,
 * })
 */
export function createExtensionPoint<T>(id: string, options: ExtensionPointOptions<T> = {}): ExtensionPoint<T> {
  if (!POINT_ID.test(id)) throw new TypeError(`extension point id '${id}' must be '<plugin id>.<name>', such as 'helpcenter.page-slots'`)
  return Object.freeze({ id, check: options.check, key: options.key })
}

/** One value a plugin adds to another plugin's extension point, as `contribute` makes it. */
export interface Contribution {
  readonly point: ExtensionPoint<unknown>
  readonly value: unknown
}

/**
 * Pairs a point with the value contributed to it, typed together; list it in `contributes`.
 *
 * @example
 * contributes: [contribute(triggerResults, { type: 'slack.post', title: 'Post to Slack', params, run })]
 */
export function contribute<T>(point: ExtensionPoint<T>, value: NoInfer<T>): Contribution {
  return { point: point as ExtensionPoint<unknown>, value }
}

/** A contribution as the point's plugin reads it: the value, who gave it, and that plugin's context to run it with. */
export interface InstalledContribution<T, C = unknown> {
  readonly pluginId: string
  readonly value: T
  /** The contributor's own plugin context: pass it to the value's code, so it runs as its own plugin. */
  readonly context: C
}

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
