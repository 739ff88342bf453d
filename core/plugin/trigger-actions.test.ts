/**
 * Trigger actions (C13) in the core: names checked at registration, and every installed action
 * handed to plugins bound to its own plugin's context.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePlugin, type PluginDefinition } from '../api/define.ts'
import { registerPlugins } from './registry.ts'
import { PluginError } from '../api/errors.ts'
import { installTriggerActions } from './trigger-actions.ts'
import type { TriggerAction } from '../api/define.ts'
import type { PluginContext } from '../api/context.ts'

const action = (type: string, run: TriggerAction['run'] = async () => {}): TriggerAction => ({ type, title: type, params: z.object({ n: z.number() }), run })
const plugin = (id: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', ...extra })

describe('trigger actions', () => {
  it.each([
    ['another plugin’s prefix', 'ticket.post'],
    ['no name after the prefix', 'slack.'],
    ['upper case', 'slack.Post'],
    ['no prefix', 'post'],
  ])('refuses an action type with %s', (_, type) => {
    const attempt = () => registerPlugins([plugin('slack', { triggerActions: [action(type)] })])
    expect(attempt).toThrow(PluginError)
    expect(attempt).toThrow(/OC_PLUGIN_TRIGGER_ACTION: plugin 'slack' declares trigger action/)
  })

  it('refuses a type declared twice', () => {
    expect(() => registerPlugins([plugin('slack', { triggerActions: [action('slack.post'), action('slack.post')] })])).toThrow(/twice/)
  })

  it("binds each action to its own plugin's context and defaults its check and description", async () => {
    const seen: string[] = []
    const plugins = registerPlugins([
      plugin('slack', { triggerActions: [action('slack.post', async (effect, ctx) => void seen.push(`${ctx.pluginId}:${(effect.params as { n: number }).n}`))] }),
      plugin('quiet'),
    ])
    const installed = installTriggerActions(plugins, ((p: { id: string }) => ({ pluginId: p.id }) as PluginContext) as never)
    expect(installed.map((a) => [a.pluginId, a.type, a.description])).toEqual([['slack', 'slack.post', '']])
    await expect(installed[0]!.check({ n: 1 })).resolves.toBeUndefined()
    await installed[0]!.run({ params: { n: 7 } } as never)
    expect(seen).toEqual(['slack:7'])
  })
})
