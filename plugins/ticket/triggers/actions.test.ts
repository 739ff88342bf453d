/**
 * Trigger result types through the ticket plugin's extension point (api.ts `triggerResults`):
 * names checked at registration, and every contributed action handed to the trigger code bound
 * to its own plugin's context.
 */
import { describe, expect, it } from 'vitest'
import { contribute, definePlugin, z, type PluginContext, type PluginDefinition } from '../../../core/mod.ts'
import { registerPlugins } from '../../../core/plugin/registry.ts'
import { PluginError } from '../../../core/api/errors.ts'
import { contributionReader } from '../../../core/plugin/extension-points.ts'
import { CORE_REFS } from '../../../core/platform.ts'
import ticket from '../mod.ts'
import { triggerResults, type TriggerAction } from '../api.ts'
import { triggerActions } from './actions.ts'

const action = (type: string, run: TriggerAction['run'] = async () => {}): TriggerAction => ({ type, title: type, params: z.object({ n: z.number() }), run })
const plugin = (id: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', dependsOn: ['ticket'], ...extra })

describe('trigger actions', () => {
  it.each([
    ['another plugin’s prefix', 'ticket.post'],
    ['no name after the prefix', 'slack.'],
    ['upper case', 'slack.Post'],
    ['no prefix', 'post'],
  ])('refuses an action type with %s', (_, type) => {
    const attempt = () => registerPlugins([ticket, plugin('slack', { contributes: [contribute(triggerResults, action(type))] })], CORE_REFS)
    expect(attempt).toThrow(PluginError)
    expect(attempt).toThrow(/OC_PLUGIN_CONTRIBUTION_INVALID: plugin 'slack' contributes a value that extension point 'ticket.trigger-results' of plugin 'ticket' refuses: trigger action type/)
  })

  it('refuses a type contributed twice', () => {
    expect(() => registerPlugins([ticket, plugin('slack', { contributes: [contribute(triggerResults, action('slack.post')), contribute(triggerResults, action('slack.post'))] })], CORE_REFS)).toThrow(/OC_PLUGIN_CONTRIBUTION_INVALID: .*'slack\.post'.*which it contributes already/)
  })

  it('refuses a contributor that does not depend on the ticket plugin', () => {
    expect(() => registerPlugins([ticket, plugin('slack', { dependsOn: [], contributes: [contribute(triggerResults, action('slack.post'))] })], CORE_REFS)).toThrow(/OC_PLUGIN_CONTRIBUTION_DEPENDENCY: plugin 'slack' .* of plugin 'ticket' without depending on it/)
  })

  it("binds each action to its own plugin's context and defaults its check and description", async () => {
    const seen: string[] = []
    const plugins = registerPlugins([
      plugin('slack', { contributes: [contribute(triggerResults, action('slack.post', async (effect, ctx) => void seen.push(`${ctx.pluginId}:${(effect.params as { n: number }).n}`)))] }),
      plugin('quiet'),
      ticket,
    ], CORE_REFS)
    const read = contributionReader(plugins, (id) => ({ pluginId: id }) as PluginContext)
    const ticketCtx = { pluginId: 'ticket', contributions: read(ticket) } as unknown as PluginContext
    const installed = triggerActions(ticketCtx)
    expect(installed.map((a) => [a.pluginId, a.type, a.description])).toEqual([['slack', 'slack.post', '']])
    expect(triggerActions(ticketCtx)).toBe(installed)
    await expect(installed[0]!.check({ n: 1 })).resolves.toBeUndefined()
    await installed[0]!.run({ params: { n: 7 } } as never)
    expect(seen).toEqual(['slack:7'])
  })
})
