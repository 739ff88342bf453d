/**
 * The ticket plugin's public entry: what other plugins may use (they list `ticket` in their
 * `dependsOn` and import only this file of it): the tickets service and the trigger-result
 * extension point, as refs, points and plain types, without pulling in its implementation
 * (`import type` of the plugin's own public shapes only).
 */
import { createExtensionPoint, createServiceRef, type BlobPolicy, type PluginContext, type Principal, type Service, type TenantScope, type TenantTx, type z } from '../../core/mod.ts'
import type { FieldDefinition } from './fields/types.ts'
import type { TicketStatus } from './tickets/lifecycle.ts'
import type { Channel, EntryKind, EntrySchema, TicketPatchInput, TicketSchema } from './tickets/schemas.ts'

// ---------------------------------------------------------------------------------------------
// The tickets service (`ticket.tickets`): create, change, reply and find tickets from another
// plugin (help center, chat, phone, channels), inside the caller's own transaction.
// ---------------------------------------------------------------------------------------------

/**
 * Who acts on a ticket through the service. Tickets, entries and history name them; the audit
 * trail names the principal of a request, and records the others under `after.by`.
 * - `request`: someone signed in (an agent, an organization member, an operator) or a service
 *   key, with the request's address and id for the audit trail;
 * - `customer`: an end user who is no principal of the platform (a help-center visitor, a chat
 *   visitor), by the name or address to show;
 * - `mail`: the sender of a mail taken in (`label`: the address, or only the name where the
 *   service keeps addresses sealed);
 * - `trigger`: the platform acting by a ticket trigger; triggers never run on its changes.
 */
export type TicketsActor =
  | { readonly kind: 'request'; readonly principal: Principal; readonly ip?: string | undefined; readonly requestId?: string | undefined }
  | { readonly kind: 'customer'; readonly label: string | null }
  | { readonly kind: 'mail'; readonly label: string | null }
  | { readonly kind: 'trigger'; readonly id: string; readonly title: string }

/** The service a call works in (its form, time zone and keys) and who makes it. */
export interface TicketsCaller {
  readonly service: Service
  readonly actor: TicketsActor
}

/** A ticket as the caller may see it: personal-info values open, fields the actor may not see left out. */
export type TicketView = z.infer<typeof TicketSchema>
/** One message of a ticket's conversation. */
export type TicketEntryView = z.infer<typeof EntrySchema>

/**
 * A new ticket. Values are checked against the form of the intake category, as the caller's
 * kind fills it: customers (and service keys) need an active intake category and its required
 * fields; agents also fill agent fields (and phone fields on the `phone` channel); a mail has
 * no form, so the form's required fields do not refuse it, but what it does give is checked.
 */
export interface NewTicketInput {
  readonly title: string
  readonly content: string
  readonly channel: Channel
  readonly language?: string | null
  readonly requester?: { readonly email?: string | null; readonly name?: string | null; readonly memberId?: string | null; readonly usercode?: string | null }
  readonly intakeCategoryId?: string | null
  readonly processingCategoryId?: string | null
  readonly assigneeAgentId?: string | null
  readonly assigneeGroupId?: string | null
  /** Values by field code. */
  readonly fields?: Readonly<Record<string, unknown>>
  /** Uploaded files (ids from the attachment upload) that belong to the first message. */
  readonly attachmentIds?: readonly string[]
}

/** A change: only what is given changes (status along the lifecycle, assignment, categories, requester, field values; null clears). */
export type TicketChangeInput = TicketPatchInput

/** A message on a ticket: a customer reply, an agent reply (banned words refused; may move the status) or an internal note. */
export interface NewEntryInput {
  readonly kind: EntryKind
  readonly content: string
  /** Agent replies only: the status the ticket moves to with the reply. */
  readonly status?: TicketStatus
  readonly attachmentIds?: readonly string[]
}

/** Who asked: any of these given finds the tickets whose requester matches all of them. */
export interface TicketRequesterQuery {
  readonly email?: string
  readonly memberId?: string
  readonly usercode?: string
}

/** A customer field of the inquiry form, as a form shows it (values are sent under `code`). */
export type InquiryFormField = Pick<FieldDefinition, 'code' | 'type' | 'system' | 'names' | 'descriptions' | 'placeholders' | 'required' | 'details'>

/** The inquiry form of an intake category (see {@link TicketsService.inquiryForm}). */
export interface InquiryForm {
  /** The intake categories a customer may pick (active ones), depth first; `level` from 1. */
  readonly categories: readonly { readonly id: string; readonly names: Readonly<Record<string, string>>; readonly level: number }[]
  /** The category asked for when a customer may pick it, else null (and no fields). */
  readonly intakeCategoryId: string | null
  /** Its customer fields in form order, the help-center system fields (intake_type, email, title, content, privacy_consent) among them. */
  readonly fields: readonly InquiryFormField[]
}

/** A file already in the caller's tenant blob store (put with the service's `attachmentPolicy`), to attach to a new ticket or reply. */
export interface NewAttachmentInput {
  readonly blobKey: string
  readonly fileName: string
  readonly contentType: string
  readonly size: number
}

/**
 * Every method takes the caller's transaction (`TenantTx` of the caller's service): the ticket's
 * rows, its number, events and audit entry are written in it, so they commit or roll back with
 * the caller's own writes. Refusals are coded errors naming the field (`OC_VALIDATION`, 422).
 *
 * @example
 * // plugins/helpcenter/mod.ts: uses: { tickets: ticketsRef }, dependsOn: ['ticket']
 * await service.db.tx(async (tx) => {
 *   const ticket = await ctx.use(ticketsRef).create(tx, { service: service.tenant.service, actor: { kind: 'customer', label: visitor.name } }, {
 *     title, content, channel: 'web', intakeCategoryId, requester: { email: visitor.email }, fields: { privacy_consent: true },
 *   })
 *   await tx.query('INSERT INTO helpcenter_inquiries (ticket_id) VALUES ($1)', [ticket.id])
 * })
 */
export interface TicketsService {
  /** Files a ticket: form validation, sealing of personal-info values, the number, history, `ticket.created` (and `ticket.assigned`) and the audit entry. */
  create(tx: TenantTx, caller: TicketsCaller, input: NewTicketInput): Promise<TicketView>
  /** Changes a ticket: history, `ticket.updated` / `ticket.status-changed` / `ticket.assigned` and the audit entry; null when the service has no such ticket. */
  change(tx: TenantTx, caller: TicketsCaller, ticketId: string, input: TicketChangeInput): Promise<TicketView | null>
  /** Adds a reply or note (its status move, history, `ticket.replied`, audit); null when the service has no such ticket. */
  addEntry(tx: TenantTx, caller: TicketsCaller, ticketId: string, input: NewEntryInput): Promise<TicketEntryView | null>
  /** The ticket numbered `number` in the service (the `[#42]` of mail subjects), or null. */
  findByNumber(tx: TenantTx, caller: TicketsCaller, number: number): Promise<TicketView | null>
  /** A ticket's conversation as the caller may see it, oldest first (a customer sees the replies, never internal notes); null when the service has no such ticket. */
  entries(tx: TenantTx, caller: TicketsCaller, ticketId: string): Promise<TicketEntryView[] | null>
  /** The requester's tickets, newest first (at most `limit`, default 50, up to 100). */
  findByRequester(tx: TenantTx, caller: TicketsCaller, requester: TicketRequesterQuery, options?: { readonly limit?: number }): Promise<TicketView[]>
  /** The inquiry form a customer fills: the intake categories to pick from and, for `intakeCategoryId`, its customer fields in order. */
  inquiryForm(tx: TenantTx, caller: TicketsCaller, intakeCategoryId: string | null): Promise<InquiryForm>
  /** Records an uploaded file as a ticket attachment, not yet bound; pass its id in `attachmentIds` of `create` or `addEntry`. */
  addAttachment(tx: TenantTx, caller: TicketsCaller, file: NewAttachmentInput): Promise<{ readonly id: string }>
  /** What a ticket attachment may be (size and types, checked on the bytes): put uploads into the blob store with it. */
  readonly attachmentPolicy: BlobPolicy
}

/** The tickets service; declare it in `uses` (and `dependsOn: ['ticket']`) and call `ctx.use(ticketsRef)`. */
export const ticketsRef = createServiceRef<TicketsService>('ticket.tickets')

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
