/**
 * The ticket plugin's public entry: what other plugins may use (they list `ticket` in their
 * `dependsOn` and import only this file of it).
 */
import { createExtensionPoint, type PluginContext, type TenantScope, type z } from '../../core/mod.ts'

// ---------------------------------------------------------------------------------------------
// Trigger result types (T4, C13): an extension point other plugins contribute actions to. The
// ticket plugin validates an action's `params` when a trigger is saved and runs the action from
// an outbox subscriber when the trigger matches, so a throw is retried with back-off and an
// effect is never lost.
// ---------------------------------------------------------------------------------------------

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
 * A result type for ticket triggers, contributed to {@link triggerResults}. `check` and `run`
 * get the contributing plugin's own context.
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
 * export default definePlugin({ id: 'slack', version: '1.0.0', core: '^1', dependsOn: ['ticket'], contributes: [contribute(triggerResults, slackPost)] })
 */
export interface TriggerAction<P = any> {
  /** `<plugin id>.<name>` in lower case, unique on the platform; what a trigger's result names in `type`. */
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

const ACTION_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$/

/**
 * The result types other plugins add to ticket triggers; administrators pick them like the
 * built-in results. A type is named `<contributing plugin id>.<name>` and contributed once.
 * @example contributes: [contribute(triggerResults, slackPost)]
 */
export const triggerResults = createExtensionPoint<TriggerAction>('ticket.trigger-results', {
  check: (action, pluginId) => (ACTION_TYPE.test(action.type) && action.type.startsWith(`${pluginId}.`) ? undefined : `trigger action type '${action.type}' must be named '${pluginId}.<name>' in lower case`),
  key: (action) => action.type,
})
