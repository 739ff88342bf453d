/**
 * What a trigger (T4) is: its conditions (attributes, operators, values), its results and the
 * event kinds it reacts to, as zod schemas that are the wire format, the stored format and the
 * types at once. Which operator suits which attribute lives here too, because the save-time
 * check and the compiler must agree on it.
 *
 * Event kinds: `created` (a new ticket), `updated` (a change through PATCH: status, assignment,
 * categories, requester, fields), `customer-reply`, `agent-reply` and `note`. The separate
 * `ticket.status-changed` and `ticket.assigned` events always accompany one of these, so
 * triggers do not run on them (a status change would otherwise run every trigger twice); use
 * `status changed` / `changed to` conditions instead.
 */
import { z } from '../../../core/mod.ts'
import { TICKET_STATUSES } from '../tickets/lifecycle.ts'
import { CHANNELS } from '../tickets/schemas.ts'

export const EVENT_KINDS = ['created', 'updated', 'customer-reply', 'agent-reply', 'note'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export const ATTRIBUTES = ['event', 'channel', 'status', 'intakeCategory', 'processingCategory', 'requesterEmail', 'requesterDomain', 'title', 'content', 'assignee', 'group', 'field'] as const
export type Attribute = (typeof ATTRIBUTES)[number]

export const OPERATORS = ['is', 'is-not', 'contains', 'not-contains', 'starts-with', 'regex', 'greater', 'less', 'changed', 'changed-to'] as const
export type Operator = (typeof OPERATORS)[number]

/** How an attribute's value is compared; a field's kind follows from its type. */
export type ValueKind = 'event' | 'enum' | 'category' | 'text' | 'ref' | 'number' | 'date' | 'choice' | 'multi' | 'yes-no'

const TEXT_OPS: readonly Operator[] = ['is', 'is-not', 'contains', 'not-contains', 'starts-with', 'regex']

/** Operators each kind of value allows (before `changed` / `changed-to`, see {@link changeable}). */
export const OPERATORS_BY_KIND: Readonly<Record<ValueKind, readonly Operator[]>> = {
  event: ['is', 'is-not'],
  enum: ['is', 'is-not'],
  category: ['is', 'is-not'],
  text: TEXT_OPS,
  ref: ['is', 'is-not'],
  number: ['is', 'is-not', 'greater', 'less'],
  date: ['is', 'is-not', 'greater', 'less'],
  choice: ['is', 'is-not'],
  multi: ['contains', 'not-contains'],
  'yes-no': ['is', 'is-not'],
}

/** The name an attribute has in events' `changed` lists (null: it never changes). */
export function changedKey(attribute: Attribute, fieldCode?: string): string | null {
  switch (attribute) {
    case 'event':
    case 'content':
      return null
    case 'channel':
      return 'channel'
    case 'status':
      return 'status'
    case 'intakeCategory':
      return 'intakeCategoryId'
    case 'processingCategory':
      return 'processingCategoryId'
    case 'requesterEmail':
    case 'requesterDomain':
      return 'requester.email'
    case 'title':
      return 'title'
    case 'assignee':
      return 'assigneeAgentId'
    case 'group':
      return 'assigneeGroupId'
    case 'field':
      return `fields.${fieldCode}`
    default: {
      const unreachable: never = attribute
      throw new Error(`unknown attribute ${String(unreachable)}`)
    }
  }
}

/** The operators an attribute of this kind allows: its comparisons, plus changed / changed-to where it can change. */
export function operatorsFor(attribute: Attribute, kind: ValueKind, fieldCode?: string): readonly Operator[] {
  const base = OPERATORS_BY_KIND[kind]
  if (changedKey(attribute, fieldCode) === null) return base
  // "changed to X" needs an X to compare with; multi-valued fields only say "changed".
  return kind === 'multi' ? [...base, 'changed'] : [...base, 'changed', 'changed-to']
}

export const ConditionValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])

export const Condition = z
  .strictObject({
    attribute: z.enum(ATTRIBUTES),
    /** The field code, for `attribute: 'field'`. */
    field: z.string().min(1).max(100).optional(),
    operator: z.enum(OPERATORS),
    /** Absent only for `changed`; `null` with `assignee` / `group` means "nobody". */
    value: ConditionValue.optional(),
  })
  .openapi('TicketTriggerCondition', {
    description:
      "One test on the ticket. Text comparisons ignore case; `regex` is a JavaScript regular expression matched case-insensitively. `is` on a category also matches its sub-categories. `changed` is true when the event changed the attribute; `changed-to` when it changed it to the value.",
    example: { attribute: 'requesterDomain', operator: 'is', value: 'example.com' },
  })
export type Condition = z.infer<typeof Condition>

export const Conditions = z
  .strictObject({
    all: z.array(Condition).max(50).default([]).openapi({ description: 'Every one of these must hold' }),
    any: z.array(Condition).max(50).default([]).openapi({ description: 'At least one of these must hold (ignored when empty)' }),
  })
  .openapi('TicketTriggerConditions')
export type Conditions = z.infer<typeof Conditions>

const Message = z.strictObject({ subject: z.string().trim().min(1).max(300), body: z.string().min(1).max(50_000) })

export const AssignResult = z
  .strictObject({
    type: z.literal('assign'),
    groupId: z.uuid().nullable().default(null).openapi({ description: 'The group the ticket goes to; its members are the agents to pick from unless `agentIds` narrows them' }),
    mode: z.enum(['random', 'round-robin', 'agent']).openapi({ description: 'random / round-robin among the agents, or the one named agent' }),
    agentIds: z.array(z.uuid()).max(500).optional().openapi({ description: 'Agents to pick from, in round-robin order (default: the group, or every agent, in the order they were added)' }),
    agentId: z.uuid().optional().openapi({ description: "The agent, for mode 'agent'" }),
  })
  .openapi('TicketTriggerAssign')
export const NotifyResult = z
  .strictObject({
    type: z.literal('notify'),
    to: z.enum(['assignee', 'agent', 'group', 'customer']),
    agentId: z.uuid().optional().openapi({ description: "For to 'agent'" }),
    groupId: z.uuid().optional().openapi({ description: "For to 'group' (default: the ticket's group)" }),
    format: z.enum(['text', 'html']).default('text'),
    messages: z.record(z.string(), Message).openapi({ description: 'Subject and body per help-center language; substitution codes such as #{ticket.title} are filled in' }),
  })
  .openapi('TicketTriggerNotify')
export const ForwardResult = z
  .strictObject({
    type: z.literal('forward'),
    to: z.email().max(254),
    complete: z.boolean().default(false).openapi({ description: 'Complete the ticket once the mail is sent' }),
  })
  .openapi('TicketTriggerForward')
export const CallbackResult = z.strictObject({ type: z.literal('callback'), url: z.url({ protocol: /^https?$/ }).max(2000) }).openapi('TicketTriggerCallback')
export const DoorayResult = z
  .strictObject({
    type: z.literal('dooray'),
    url: z.url({ protocol: /^https?$/ }).max(2000).openapi({ description: 'The messenger incoming hook URL' }),
    botName: z.string().trim().min(1).max(100).default('OpenContact'),
    botIconImage: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    template: z.string().min(1).max(10_000).openapi({ description: 'The message text, with substitution codes' }),
  })
  .openapi('TicketTriggerDooray')
export const PluginResult = z
  .strictObject({
    type: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$/).openapi({ description: "A plugin's result type, '<plugin>.<name>'" }),
    params: z.unknown().optional(),
  })
  .openapi('TicketTriggerPluginResult')

export const BUILT_IN_RESULTS = { assign: AssignResult, notify: NotifyResult, forward: ForwardResult, callback: CallbackResult, dooray: DoorayResult } as const
export type BuiltInResultType = keyof typeof BUILT_IN_RESULTS

export type AssignResult = z.infer<typeof AssignResult>
export type NotifyResult = z.infer<typeof NotifyResult>
export type ForwardResult = z.infer<typeof ForwardResult>
export type CallbackResult = z.infer<typeof CallbackResult>
export type DoorayResult = z.infer<typeof DoorayResult>
export type PluginResult = { type: string; params: unknown }
export type TriggerResult = AssignResult | NotifyResult | ForwardResult | CallbackResult | DoorayResult | PluginResult

export const isBuiltIn = (type: string): type is BuiltInResultType => Object.hasOwn(BUILT_IN_RESULTS, type)

/** A stored trigger. */
export interface Trigger {
  readonly id: string
  readonly position: number
  readonly title: string
  readonly active: boolean
  readonly conditions: Conditions
  readonly results: readonly TriggerResult[]
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** Per-service ceiling: every ticket event evaluates them all. */
export const MAX_TRIGGERS = 2000

export const STATUS_VALUES: readonly string[] = TICKET_STATUSES
export const CHANNEL_VALUES: readonly string[] = CHANNELS
