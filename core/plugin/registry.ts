/**
 * Registration checks and dependency order. Everything here runs before the first migration,
 * so a broken plugin set fails at start with a coded error instead of at request time.
 */
import semver from 'semver'
import { CORE_VERSION } from '../version.ts'
import type { Plugin } from '../api/define.ts'
import { PluginError } from '../api/errors.ts'
import type { ServiceRef } from '../api/refs.ts'
import { CORE_PROVIDER, refProviders } from './refs.ts'
import { extensionPointOwners } from './extension-points.ts'

const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/

/**
 * Checks each plugin and the set, and returns the plugins in dependency order (dependencies first).
 * `coreRefs` are the services the core provides itself (platform.ts `CORE_REFS`), which plugins may use.
 */
export function registerPlugins(plugins: readonly Plugin[], coreRefs: readonly ServiceRef<unknown>[] = []): Plugin[] {
  const byId = new Map<string, Plugin>()
  for (const plugin of plugins) {
    checkOne(plugin)
    if (byId.has(plugin.id)) throw new PluginError('OC_PLUGIN_DUPLICATE_ID', plugin.id, 'is registered twice')
    byId.set(plugin.id, plugin)
  }
  for (const plugin of plugins) {
    for (const dep of plugin.dependsOn ?? []) {
      if (!byId.has(dep)) throw new PluginError('OC_PLUGIN_DEPENDENCY_MISSING', plugin.id, `needs '${dep}', which is not installed`)
    }
  }
  const providers = refProviders(plugins, coreRefs)
  extensionPointOwners(plugins)
  // A plugin comes after the plugins it depends on and after those whose services it uses (the core's are there from the start).
  const needs = (plugin: Plugin) => [...new Set([...(plugin.dependsOn ?? []), ...Object.values(plugin.uses ?? {}).map((ref) => providers.get(ref.id)!)])].filter((id) => id !== plugin.id && id !== CORE_PROVIDER)
  return dependencyOrder(plugins, byId, needs)
}

function checkOne(plugin: Plugin): void {
  const id = String(plugin.id)
  if (!ID_PATTERN.test(id)) throw new PluginError('OC_PLUGIN_INVALID_ID', id, 'has an invalid id: use kebab-case such as "help-center"')
  // The core's own service refs are named under it.
  if (id === CORE_PROVIDER) throw new PluginError('OC_PLUGIN_INVALID_ID', id, "has the id the core's own services are named under; choose another id")
  if (!semver.valid(plugin.version)) {
    throw new PluginError('OC_PLUGIN_INVALID_VERSION', id, `has version '${plugin.version}'; use a semantic version such as 1.0.0`)
  }
  if (!semver.validRange(plugin.core) || !semver.satisfies(CORE_VERSION, plugin.core)) {
    throw new PluginError('OC_PLUGIN_CORE_MISMATCH', id, `requires core '${plugin.core}', but this core is ${CORE_VERSION}`)
  }
  for (const mount of plugin.mounts ?? []) checkMountPath(id, mount.path)
  for (const event of Object.keys(plugin.events ?? {})) {
    if (!event.startsWith(`${id}.`)) throw new PluginError('OC_PLUGIN_EVENT_NAMESPACE', id, `declares event '${event}'; name it '${id}.<name>'`)
  }
}

const MOUNT_PATH = /^(\/[A-Za-z0-9._-]+)+$/

/** A mount path names real segments and never shadows the platform's `/api/v1` prefix. */
function checkMountPath(id: string, path: string): void {
  const shadowsApi = path === '/api' || path === '/api/v1' || path.startsWith('/api/v1/')
  if (typeof path !== 'string' || !MOUNT_PATH.test(path) || shadowsApi || path.split('/').some((s) => s === '.' || s === '..')) {
    throw new PluginError('OC_PLUGIN_MOUNT_INVALID', id, `declares mount path '${String(path)}'; use a path such as '/openapi/v1' outside '/api/v1'`)
  }
}

/** Depth-first topological sort; reports the first cycle found with its full path. */
function dependencyOrder(plugins: readonly Plugin[], byId: Map<string, Plugin>, needs: (plugin: Plugin) => string[]): Plugin[] {
  const ordered: Plugin[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (plugin: Plugin, path: string[]): void => {
    const seen = state.get(plugin.id)
    if (seen === 'done') return
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(plugin.id)), plugin.id]
      throw new PluginError('OC_PLUGIN_DEPENDENCY_CYCLE', plugin.id, `is part of a dependency cycle (through dependsOn or the services it uses): ${cycle.join(' -> ')}`)
    }
    state.set(plugin.id, 'visiting')
    for (const dep of needs(plugin)) visit(byId.get(dep)!, [...path, plugin.id])
    state.set(plugin.id, 'done')
    ordered.push(plugin)
  }
  for (const plugin of plugins) visit(plugin, [])
  return ordered
}
