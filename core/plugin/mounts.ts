/**
 * Plugin route groups mounted outside `/api/v1` (`PluginDefinition.mounts`): building each
 * group's app with the same guards as `routes`, its own body limit, and placing its paths in the
 * service's OpenAPI document, whose servers end in `/api/v1`, with a per-path server that ends at
 * the service prefix, so a client resolves them to their real full URLs.
 */
import type { Plugin } from '../api/define.ts'
import { createPluginApp, type PluginApp, type RouteGuards } from './app.ts'
import type { PlatformEnv, PluginContext } from '../api/context.ts'

/** One mounted group of one plugin. */
export interface MountedGroup {
  readonly pluginId: string
  /** Under the service prefix, e.g. `/openapi/v1`. */
  readonly path: string
  readonly app: PluginApp
}

/**
 * Builds every plugin's mounted groups. The group's body limit is the default of its routes
 * (a route may still declare its own); it runs in the route's chain inside the group's app, so
 * a refusal is answered by the group's own error handler (its `app.onError`), in the group's shape.
 */
export function buildMountedGroups(plugins: readonly Plugin[], guards: RouteGuards, contextOf: (plugin: Plugin) => PluginContext): MountedGroup[] {
  const groups: MountedGroup[] = []
  for (const plugin of plugins) {
    for (const mount of plugin.mounts ?? []) {
      const app = createPluginApp(plugin.id, { ...guards, bodyLimit: (declared) => guards.bodyLimit(declared ?? mount.bodyLimitBytes) }, { idPath: mount.path })
      mount.routes(app, contextOf(plugin))
      groups.push({ pluginId: plugin.id, path: mount.path, app })
    }
  }
  return groups
}

/** The document paths a set of groups contributes, as the generator writes them (`{param}` form). */
export function mountedDocumentPaths(groups: readonly MountedGroup[]): Set<string> {
  const paths = new Set<string>()
  for (const group of groups) {
    for (const def of group.app.openAPIRegistry.definitions) if (def.type === 'route') paths.add(`${group.path}${def.route.path}`)
  }
  return paths
}

/** Gives each mounted path item its own server (the service prefix, without `/api/v1`). */
export function withMountServers(paths: Record<string, unknown> | undefined, mounted: ReadonlySet<string>, serviceBase: string): Record<string, unknown> | undefined {
  if (!paths || mounted.size === 0) return paths
  const out: Record<string, unknown> = {}
  for (const [path, item] of Object.entries(paths)) out[path] = mounted.has(path) ? { servers: [{ url: serviceBase }], ...(item as object) } : item
  return out
}
