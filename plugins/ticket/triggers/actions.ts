/**
 * The trigger result types installed plugins contribute (api.ts `triggerResults`), as the
 * trigger code calls them: each bound to the context of the plugin that contributed it, so its
 * `check` and `run` see that plugin's settings, log and services.
 */
import type { PluginContext, z } from '../../../core/mod.ts'
import { triggerResults, type TriggerEffect } from '../api.ts'

/** A contributed action as the trigger code calls it. */
export interface InstalledTriggerAction {
  readonly pluginId: string
  readonly type: string
  readonly title: string
  readonly description: string
  readonly params: z.ZodType
  check(params: unknown): Promise<void>
  run(effect: TriggerEffect): Promise<void>
}

// Contributions are read once per platform; keyed by that list, the bound actions are too.
const bound = new WeakMap<object, readonly InstalledTriggerAction[]>()

/** Every contributed trigger action, in plugin dependency order; `ctx` is the ticket plugin's. */
export function triggerActions(ctx: PluginContext): readonly InstalledTriggerAction[] {
  const contributions = ctx.contributions(triggerResults)
  let actions = bound.get(contributions)
  if (!actions) {
    actions = contributions.map(({ pluginId, value: action, context }) => ({
      pluginId,
      type: action.type,
      title: action.title,
      description: action.description ?? '',
      params: action.params,
      check: async (params: unknown) => void (await action.check?.(params, context)),
      run: (effect: TriggerEffect) => action.run(effect, context),
    }))
    bound.set(contributions, actions)
  }
  return actions
}
