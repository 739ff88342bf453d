/**
 * Trigger actions (C13): result types other plugins add to ticket triggers (T4). A plugin lists
 * them in `triggerActions` (each a `TriggerAction`, declared in define.ts beside the definition);
 * the core checks their names at registration and hands every installed action, bound to its
 * own plugin's context, to plugins through `ctx.triggerActions` (plugin/trigger-actions.ts).
 * The ticket plugin validates an action's `params` when a trigger is saved and runs the action
 * from an outbox subscriber when the trigger matches, so a throw is retried with back-off and an
 * effect is never lost.
 */
import type { z } from 'zod'
import type { TenantScope } from './db.ts'

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
