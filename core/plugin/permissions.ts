/**
 * Agent permissions as plugins declare them: each plugin names the permissions its routes ask
 * for (`access: { permission: 'ticket' }`), with a title per language and the rules that tie
 * them together. The core knows no permission by name: this catalogue, built from the installed
 * plugins at start, is what the agent API validates and normalizes against.
 *
 * Rules a declaration can carry, as the admin guide's own permissions need them: a phone
 * permission that brings the ticket one with it (`implies`), a callback permission that
 * administrators always hold (`admins`) and that an agent may hold only together with the phone
 * one (`requires`).
 */
import { errors } from '../http/errors.ts'
import type { Access } from '../identity/principal.ts'
import { PluginError } from '../api/errors.ts'
import type { PermissionDeclaration } from '../api/permissions.ts'

export type { PermissionDeclaration }

/** A declared permission with the plugin that declared it. */
export interface DeclaredPermission extends PermissionDeclaration {
  readonly name: string
  readonly plugin: string
}

export type AgentRole = 'admin' | 'agent'

/** The installed plugins' permissions, in plugin dependency order, and the rules over them. */
export interface PermissionCatalogue {
  readonly permissions: readonly DeclaredPermission[]
  /** Whether an installed plugin declares `name` (a stored grant may outlive its plugin). */
  has(name: string): boolean
  /**
   * The permission set an agent with `role` actually holds, in catalogue order: what it asked for,
   * what those imply, and for administrators every `admins` permission. Throws 422 naming
   * `body.permissions` for an unknown name or an agent missing a required permission.
   */
  normalize(role: AgentRole, requested: readonly string[]): string[]
  /**
   * What an administrator demoted to agent keeps of `held` when no permissions are given with
   * the change: a permission only the admin role gave is dropped, unless the agent holds what it
   * requires (a callback permission stays with an agent holding the phone one).
   */
  keptOnDemotion(held: readonly string[]): string[]
}

interface PermissionSource {
  readonly id: string
  readonly dependsOn?: readonly string[]
  readonly permissions?: Readonly<Record<string, PermissionDeclaration>>
}

/** `<plugin id>` itself or `<plugin id>.<name>`, so two plugins never claim one name. */
const ownName = (plugin: string, name: string) => name === plugin || new RegExp(`^${plugin}\\.[a-z][a-zA-Z0-9-]*$`).test(name)

/** Builds and checks the catalogue; `plugins` in dependency order (as `registerPlugins` returns them). */
export function permissionCatalogue(plugins: readonly PermissionSource[]): PermissionCatalogue {
  const permissions: DeclaredPermission[] = plugins.flatMap((p) =>
    Object.entries(p.permissions ?? {}).map(([name, declaration]) => {
      if (!ownName(p.id, name)) throw new PluginError('OC_PLUGIN_PERMISSION_NAMESPACE', p.id, `declares permission '${name}': name it '${p.id}' or '${p.id}.<name>'`)
      return { ...declaration, name, plugin: p.id }
    }),
  )
  const byName = new Map(permissions.map((p) => [p.name, p]))
  for (const permission of permissions) {
    const source = plugins.find((p) => p.id === permission.plugin)!
    for (const other of [...(permission.implies ?? []), ...(permission.requires ?? [])]) {
      const target = byName.get(other)
      if (!target) throw new PluginError('OC_PLUGIN_PERMISSION_UNKNOWN', permission.plugin, `ties permission '${permission.name}' to '${other}', which no installed plugin declares`)
      if (target.plugin !== permission.plugin && !source.dependsOn?.includes(target.plugin)) {
        throw new PluginError('OC_PLUGIN_PERMISSION_UNKNOWN', permission.plugin, `ties permission '${permission.name}' to '${other}' of plugin '${target.plugin}': add '${target.plugin}' to dependsOn`)
      }
    }
  }
  const inOrder = (held: ReadonlySet<string>) => permissions.map((p) => p.name).filter((name) => held.has(name))
  const known = permissions.map((p) => p.name)

  return {
    permissions,
    has: (name) => byName.has(name),
    normalize(role, requested) {
      requested.forEach((name, index) => {
        if (!byName.has(name)) {
          const choice = known.length ? `one of ${known.map((k) => `'${k}'`).join(', ')}` : 'none: no installed plugin declares permissions'
          throw errors.invalid([{ path: `body.permissions.${index}`, message: `unknown permission '${name}'; the permissions are ${choice} (GET /permissions)`, code: 'unknown_permission' }])
        }
      })
      const held = new Set<string>()
      const take = (name: string): void => {
        if (held.has(name)) return
        held.add(name)
        for (const implied of byName.get(name)!.implies ?? []) take(implied)
      }
      requested.forEach(take)
      switch (role) {
        case 'admin':
          for (const p of permissions) if (p.admins) take(p.name)
          break
        case 'agent':
          for (const name of inOrder(held)) {
            const missing = (byName.get(name)!.requires ?? []).filter((r) => !held.has(r))
            if (missing.length) {
              const needs = missing.map((m) => `'${m}'`).join(' and ')
              throw errors.invalid([{ path: 'body.permissions', message: `an agent may hold '${name}' only with ${needs}: add ${needs} or remove '${name}'`, code: 'permission_requires' }])
            }
          }
          break
        default: {
          const unreachable: never = role
          throw new Error(`unknown role ${String(unreachable)}`)
        }
      }
      return inOrder(held)
    },
    keptOnDemotion(held) {
      const holding = new Set(held)
      return held.filter((name) => {
        const p = byName.get(name)
        if (!p?.admins) return true
        return (p.requires ?? []).length > 0 && p.requires!.every((r) => holding.has(r))
      })
    },
  }
}

/**
 * The route check of plugin apps: a route may ask only for a permission its own plugin or one it
 * `dependsOn` declares, so a typo or a missing dependency fails at start, not as a 403 for everyone.
 */
export function permissionCheck(catalogue: PermissionCatalogue, installed: ReadonlyMap<string, PermissionSource>) {
  const owner = new Map(catalogue.permissions.map((p) => [p.name, p.plugin]))
  return (pluginId: string, rule: Access, route: string): void => {
    if (typeof rule === 'string' || !('permission' in rule) || !rule.permission) return
    const declaredBy = owner.get(rule.permission)
    if (declaredBy === pluginId || (declaredBy && installed.get(pluginId)?.dependsOn?.includes(declaredBy))) return
    const fix = declaredBy ? `add '${declaredBy}', which declares it, to dependsOn` : `declare it in the plugin's permissions`
    throw new PluginError('OC_PLUGIN_PERMISSION_UNKNOWN', pluginId, `registers ${route} asking for permission '${rule.permission}': ${fix}`)
  }
}
