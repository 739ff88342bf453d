/**
 * Trigger actions (C13): result types other plugins add to ticket triggers (T4). A plugin lists
 * them in `triggerActions`; the core checks their names at registration and hands every
 * installed action, bound to its own plugin's context, to plugins through `ctx.triggerActions`.
 * The ticket plugin validates an action's `params` when a trigger is saved and runs the action
 * from an outbox subscriber when the trigger matches, so a throw is retried with back-off and an
 * effect is never lost.
 */
import type { z } from 'zod'
import type { TenantScope } from '../storage/db.ts'
import type { PluginContext } from './context.ts'

/** The ticket as a trigger action sees it. Personal-info field values are left out. */
export interface TriggerTicket {
  readonly id: string
  readonly number: number
  /** The public ticket id (e.g. `T1658199661153IXTfw`). */
  readonly ticketId: string
  readonly title: string
  readonly content: string
  readonly status: string
  readonly channel: string
  readonly language: string | null
  readonly requester: { readonly email: string | null; readonly name: string | null }
  readonly assigneeAgentId: string | null
  readonly assigneeGroupId: string | null
  readonly intakeCategoryId: string | null
  readonly processingCategoryId: string | null
  /** Field values by code, except personal-info fields. */
  readonly fields: Readonly<Record<string, unknown>>
  readonly createdAt: string
  readonly updatedAt: string
}

/** One matched trigger's request to perform an action on one ticket. */
export interface TriggerEffect<P = unknown> {
  readonly scope: TenantScope
  /** Unique per effect and stable across retries: use it to deduplicate at the receiving end. */
  readonly effectId: string
  /** The ticket event that ran the trigger. */
  readonly eventId: string
  readonly trigger: { readonly id: string; readonly title: string }
  /** The ticket as it is when the effect runs (not when the trigger matched). */
  readonly ticket: TriggerTicket
  /** The parameters saved on the trigger, parsed by the action's `params` schema. */
  readonly params: P
}

/**
 * A result type for ticket triggers, declared by a plugin in `triggerActions`.
 *
 * @example
 * const slackPost: TriggerAction<{ channel: string }> = {
 *   type: 'slack.post',
 *   title: 'Post to a Slack channel',
 *   params: z.strictObject({ channel: z.string().min(1) }),
 *   async run(effect, ctx) {
 *     const res = await ctx.outbound.fetch('https://slack.example/api', { method: 'POST', timeoutMs: 5000, body: JSON.stringify({ channel: effect.params.channel, text: effect.ticket.title }) })
 *     if (!res.ok) throw new Error(`slack answered ${res.status}`) // retried by the dispatcher
 *   },
 * }
 * export default definePlugin({ id: 'slack', version: '1.0.0', core: '^1', triggerActions: [slackPost] })
 */
export interface TriggerAction<P = any> {
  /** `<plugin id>.<name>`, unique on the platform; what a trigger's result names in `type`. */
  readonly type: string
  /** Shown to administrators when they pick a result type. */
  readonly title: string
  readonly description?: string
  /** The result's parameters (`{ type, params }` on the trigger); validated when the trigger is saved. */
  readonly params: z.ZodType<P>
  /** Further checks on save that need the platform (e.g. `ctx.outbound.check(url)`); throw an `OcError` to refuse. */
  check?(params: P, ctx: PluginContext): Promise<void>
  /** Performs the action for one ticket. Runs in an event subscriber: throw to have it retried. */
  run(effect: TriggerEffect<P>, ctx: PluginContext): Promise<void>
}

/** An installed action as other plugins call it: bound to the context of the plugin that declared it. */
export interface InstalledTriggerAction {
  readonly pluginId: string
  readonly type: string
  readonly title: string
  readonly description: string
  readonly params: z.ZodType
  check(params: unknown): Promise<void>
  run(effect: TriggerEffect): Promise<void>
}

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
