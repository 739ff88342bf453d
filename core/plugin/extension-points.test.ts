/**
 * Extension points (extension-points.ts): declarations and contributions checked at registration
 * with coded errors naming both plugins, contributions read by the declaring plugin only, in
 * plugin dependency order, each with its contributor's own context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contribute, createExtensionPoint, definePlugin, type InstalledContribution, type PluginContext, type PluginDefinition } from '../mod.ts'
import { registerPlugins } from './registry.ts'
import { pluginFailure as failure } from '../../test/support/plugin-errors.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

interface Greeter {
  readonly name: string
  greet(ctx: PluginContext): string
}
const greeters = createExtensionPoint<Greeter>('host.greeters', {
  check: (g, pluginId) => (g.name.startsWith(`${pluginId}-`) ? undefined : `name '${g.name}' must start with '${pluginId}-'`),
  key: (g) => g.name,
})
const greeter = (name: string): Greeter => ({ name, greet: (ctx) => `${name} from ${ctx.pluginId}` })
const plugin = (id: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', ...extra })
const host = plugin('host', { extensionPoints: [greeters] })

describe('extension points at registration', () => {
  it("refuses a point outside its plugin's namespace, naming both plugins", () => {
    const error = failure(() => registerPlugins([host, plugin('guest', { extensionPoints: [greeters] })]))
    expect(error.code).toBe('OC_PLUGIN_EXTENSION_POINT_NAMESPACE')
    expect(error.message).toContain("plugin 'guest' declares extension point 'host.greeters', which belongs to plugin 'host'; name it 'guest.<name>'")
  })

  it('refuses a point declared twice', () => {
    const error = failure(() => registerPlugins([plugin('host', { extensionPoints: [greeters, createExtensionPoint<Greeter>('host.greeters')] })]))
    expect(error.code).toBe('OC_PLUGIN_EXTENSION_POINT_DUPLICATE')
    expect(error.message).toContain("plugin 'host' declares extension point 'host.greeters' twice")
  })

  it('refuses a contribution to a point no installed plugin declares, naming the plugin to install', () => {
    const error = failure(() => registerPlugins([plugin('guest', { contributes: [contribute(greeters, greeter('guest-a'))] })]))
    expect(error.code).toBe('OC_PLUGIN_EXTENSION_POINT_MISSING')
    expect(error.message).toContain("plugin 'guest' contributes to extension point 'host.greeters', which no installed plugin declares; install plugin 'host'")
  })

  it("refuses a contributor that does not depend on the point's plugin", () => {
    const error = failure(() => registerPlugins([host, plugin('guest', { contributes: [contribute(greeters, greeter('guest-a'))] })]))
    expect(error.code).toBe('OC_PLUGIN_CONTRIBUTION_DEPENDENCY')
    expect(error.message).toContain("plugin 'guest' contributes to extension point 'host.greeters' of plugin 'host' without depending on it; add 'host' to its dependsOn")
  })

  it("refuses a value the point's check refuses, and a key another plugin contributed", () => {
    const refused = failure(() => registerPlugins([host, plugin('guest', { dependsOn: ['host'], contributes: [contribute(greeters, greeter('other-a'))] })]))
    expect(refused.code).toBe('OC_PLUGIN_CONTRIBUTION_INVALID')
    expect(refused.message).toContain("plugin 'guest' contributes a value that extension point 'host.greeters' of plugin 'host' refuses: name 'other-a' must start with 'guest-'")
    // The check passes both (the name carries no plugin prefix rule here); the key is what collides.
    const loose = createExtensionPoint<Greeter>('host.loose', { key: (g) => g.name })
    const repeated = failure(() =>
      registerPlugins([plugin('host', { extensionPoints: [loose] }), plugin('a', { dependsOn: ['host'], contributes: [contribute(loose, greeter('x'))] }), plugin('b', { dependsOn: ['host'], contributes: [contribute(loose, greeter('x'))] })]),
    )
    expect(repeated.code).toBe('OC_PLUGIN_CONTRIBUTION_INVALID')
    expect(repeated.message).toContain("plugin 'b' contributes 'x' to extension point 'host.loose' of plugin 'host', which plugin 'a' contributes already")
  })

  it('lets a plugin contribute to its own point without depending on itself', () => {
    expect(registerPlugins([plugin('host', { extensionPoints: [greeters], contributes: [contribute(greeters, greeter('host-own'))] })]).map((p) => p.id)).toEqual(['host'])
  })

  it('checks a point id', () => {
    expect(() => createExtensionPoint('greeters')).toThrow(/'<plugin id>\.<name>'/)
  })
})

describe('contributions on a platform', () => {
  let t: TestPlatform
  let hostContext: PluginContext
  let guestContext: PluginContext
  const onBoot = (keep: (ctx: PluginContext) => void) => (ctx: PluginContext) => keep(ctx)

  beforeAll(async () => {
    t = await testPlatform({
      plugins: [
        // Listed before what it depends on: contributions still come in dependency order.
        plugin('late', { dependsOn: ['host', 'guest'], contributes: [contribute(greeters, greeter('late-z'))] }),
        plugin('guest', { dependsOn: ['host'], contributes: [contribute(greeters, greeter('guest-a')), contribute(greeters, greeter('guest-b'))], onBoot: onBoot((ctx) => (guestContext = ctx)) }),
        plugin('host', { extensionPoints: [greeters], onBoot: onBoot((ctx) => (hostContext = ctx)) }),
      ],
    })
  })
  afterAll(() => t.close())

  it("hands the declaring plugin every contribution in dependency order, each with its contributor's context", () => {
    const found: readonly InstalledContribution<Greeter, PluginContext>[] = hostContext.contributions(greeters)
    expect(found.map((c) => [c.pluginId, c.value.name])).toEqual([['guest', 'guest-a'], ['guest', 'guest-b'], ['late', 'late-z']])
    expect(found.map((c) => c.value.greet(c.context))).toEqual(['guest-a from guest', 'guest-b from guest', 'late-z from late'])
    expect(hostContext.contributions(greeters)).toBe(found)
  })

  it('refuses the contributions of a point to any plugin but the one declaring it', () => {
    const error = failure(() => guestContext.contributions(greeters))
    expect(error.code).toBe('OC_PLUGIN_EXTENSION_POINT_UNOWNED')
    expect(error.message).toContain("plugin 'guest' reads the contributions to extension point 'host.greeters', which it does not declare")
  })
})
