/**
 * Permissions and per-agent settings that plugins declare: the start-time checks of the catalogue
 * (names in the plugin's namespace, rules naming declared permissions of itself or its
 * dependencies, routes asking for declared permissions, settings with defaults), each a coded
 * error naming the plugin; normalization itself is tested through the agent API (agents.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { createPlatform } from '../platform.ts'
import { createLogger } from '../log.ts'
import { definePlugin, route, z } from '../mod.ts'
import type { PluginDefinition } from '../api/define.ts'
import { permissionCatalogue } from './permissions.ts'
import { agentSettingsCatalogue } from '../identity/agent-settings.ts'
import type { Db } from '../storage/db.ts'

const plugin = (id: string, rest: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', ...rest })
const thrown = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message }
  }
  throw new Error('expected a throw')
}

describe('plugin permissions', () => {
  it('takes names in the plugin namespace only', () => {
    expect(permissionCatalogue([plugin('desk', { permissions: { desk: { title: { en: 'Desk' } }, 'desk.export': { title: { en: 'Export' } } } })]).permissions.map((p) => p.name)).toEqual(['desk', 'desk.export'])
    expect(thrown(() => permissionCatalogue([plugin('desk', { permissions: { admin: { title: { en: 'All' } } } })]))).toEqual({
      code: 'OC_PLUGIN_PERMISSION_NAMESPACE',
      message: "OC_PLUGIN_PERMISSION_NAMESPACE: plugin 'desk' declares permission 'admin': name it 'desk' or 'desk.<name>'",
    })
  })

  it('ties a permission only to declared ones of the plugin or those it depends on', () => {
    const base = plugin('base', { permissions: { base: { title: { en: 'Base' } } } })
    const implying = (dependsOn: string[]) => plugin('calls', { dependsOn, permissions: { calls: { title: { en: 'Calls' }, implies: ['base'] } } })
    expect(permissionCatalogue([base, implying(['base'])]).permissions).toHaveLength(2)
    expect(thrown(() => permissionCatalogue([base, implying([])])).message).toBe(
      "OC_PLUGIN_PERMISSION_UNKNOWN: plugin 'calls' ties permission 'calls' to 'base' of plugin 'base': add 'base' to dependsOn",
    )
    expect(thrown(() => permissionCatalogue([plugin('calls', { permissions: { calls: { title: { en: 'Calls' }, requires: ['calls.typo'] } } })])).message).toBe(
      "OC_PLUGIN_PERMISSION_UNKNOWN: plugin 'calls' ties permission 'calls' to 'calls.typo', which no installed plugin declares",
    )
  })

  it('refuses at start a route asking for a permission its plugin cannot rely on', () => {
    const asking = (permission: string, dependsOn: string[] = []) =>
      plugin('asker', {
        dependsOn,
        permissions: { asker: { title: { en: 'Ask' } } },
        routes(app) {
          app.openapi(route({ method: 'get', path: '/things', access: { permission }, responses: { 200: { description: 'ok' } } }), (c) => c.body(null, 200))
        },
      })
    const other = plugin('other', { permissions: { other: { title: { en: 'Other' } } } })
    const platform = (...plugins: PluginDefinition[]) => createPlatform({ db: {} as Db, log: createLogger('silent'), plugins: plugins as never })
    expect(() => platform(asking('asker'))).not.toThrow()
    expect(() => platform(other, asking('other', ['other']))).not.toThrow()
    expect(thrown(() => platform(other, asking('other'))).message).toBe("OC_PLUGIN_PERMISSION_UNKNOWN: plugin 'asker' registers GET /asker/things asking for permission 'other': add 'other', which declares it, to dependsOn")
    expect(thrown(() => platform(asking('ticket'))).message).toBe("OC_PLUGIN_PERMISSION_UNKNOWN: plugin 'asker' registers GET /asker/things asking for permission 'ticket': declare it in the plugin's permissions")
  })

  it('needs a default for every per-agent setting', () => {
    expect(agentSettingsCatalogue([plugin('desk', { agentSettings: z.object({ on: z.boolean().default(true) }) })]).resolve({})).toEqual({ desk: { on: true } })
    expect(thrown(() => agentSettingsCatalogue([plugin('desk', { agentSettings: z.object({ on: z.boolean() }) })])).code).toBe('OC_PLUGIN_AGENT_SETTINGS')
  })

  it('reads a stored value its schema no longer takes as the default, and merges changes over stored values', () => {
    const catalogue = agentSettingsCatalogue([plugin('desk', { agentSettings: z.object({ on: z.boolean().default(true), cap: z.number().int().nullable().default(null) }) })])
    expect(catalogue.resolve({ desk: { on: 'yes' } })).toEqual({ desk: { on: true, cap: null } })
    expect(catalogue.merge({ desk: { on: false, cap: 3 } }, { desk: { cap: 4 } })).toEqual({ desk: { on: false, cap: 4 } })
    expect(thrown(() => catalogue.merge({}, { desk: { cap: 1.5 } })).message).toMatch(/body\.settings\.desk\.cap|invalid/i)
  })
})
