/**
 * Installs trigger actions: binds every plugin's declared `triggerActions` to that plugin's
 * context, as `ctx.triggerActions` hands them to the plugin that runs triggers.
 */
import type { TriggerAction } from '../api/define.ts'
import type { PluginContext } from '../api/context.ts'
import type { InstalledTriggerAction, TriggerEffect } from '../api/trigger-actions.ts'

/** Binds every plugin's declared actions to that plugin's context. */
export function installTriggerActions(plugins: readonly { readonly id: string; readonly triggerActions?: readonly TriggerAction[] }[], contextOf: (plugin: never) => PluginContext): InstalledTriggerAction[] {
  return plugins.flatMap((plugin) => {
    if (!plugin.triggerActions?.length) return []
    const ctx = contextOf(plugin as never)
    return plugin.triggerActions.map((action) => ({
      pluginId: plugin.id,
      type: action.type,
      title: action.title,
      description: action.description ?? '',
      params: action.params,
      check: async (params: unknown) => void (await action.check?.(params, ctx)),
      run: (effect: TriggerEffect) => action.run(effect, ctx),
    }))
  })
}
