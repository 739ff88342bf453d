/**
 * Changing a ticket (T1): the one place a ticket's attributes change, for the PATCH route,
 * trigger assignments and trigger completions alike, in the caller's transaction. It checks the
 * change (status lifecycle, ids, the form for field values), writes it with its history rows,
 * emits `ticket.updated` (plus `ticket.status-changed` and `ticket.assigned` when those moved)
 * and records the audit entry, so every change carries the same trail whoever made it.
 */
import { errors, recordAudit, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import type { TicketChangeInput, TicketsCaller } from '../api.ts'
import { auditActor, auditBy, fillerOf, storedActor } from './actor.ts'
import { checkTicketReferences, checkTitleAndContent, fieldSpecFor, validateFieldChange } from './checks.ts'
import { sealFieldValues, type StoredFieldValues } from './field-values.ts'
import { assertTransition } from './lifecycle.ts'
import { requesterEmailSealed, storeRequesterEmail, withRequesterEmail } from './requester-email.ts'
import { findTicket, recordHistory, updateTicket, type HistoryChange, type TicketRow, type TicketUpdate } from './store.ts'
import { ticketRef } from './views.ts'
import { withoutHidden } from './visibility.ts'

export interface ChangedTicket {
  readonly before: TicketRow
  /** The row after the change (`before` when nothing changed). */
  readonly row: TicketRow
  /** What changed, as history names it (`status`, `assigneeAgentId`, `fields.<code>`, ...). */
  readonly changed: readonly string[]
}

/**
 * The change path of one plugin instance. `hidden`: field codes the actor may not see or set
 * (admin-only agent fields for agents); `before`: the ticket, when the caller read it locked.
 * Resolves null when the service has no such ticket.
 */
export function ticketChange(ctx: PluginContext) {
  return async function changeTicket(tx: TenantTx, caller: TicketsCaller, id: string, input: TicketChangeInput, options: { hidden?: ReadonlySet<string> } = {}): Promise<ChangedTicket | null> {
    const { service } = caller
    const actor = storedActor(caller.actor)
    let sealer: ReturnType<typeof ctx.crypto.forTenant> | undefined
    const crypto = () => (sealer ??= ctx.crypto.forTenant({ orgId: service.orgId, serviceId: service.id }))
    const before = await findTicket(tx, id, true)
    if (!before) return null
    const update: TicketUpdate = {}
    const changes: HistoryChange[] = []
    // Field values and a sealed requester address share the sealed columns.
    let stored: StoredFieldValues = { plain: before.fields, secret: before.secret_fields, index: before.secret_index }
    let storedChanged = false
    const set = (column: keyof TicketUpdate, field: string, from: unknown, to: unknown) => {
      if (to === undefined || to === from) return
      update[column] = to
      changes.push({ field, from, to })
    }
    if (input.title !== undefined) {
      checkTitleAndContent(input.title, before.content)
      set('title', 'title', before.title, input.title.trim())
    }
    if (input.status !== undefined) assertTransition(before.status, input.status)
    set('status', 'status', before.status, input.status)
    set('channel', 'channel', before.channel, input.channel)
    await checkTicketReferences(tx, input)
    set('intake_category_id', 'intakeCategoryId', before.intake_category_id, input.intakeCategoryId)
    set('processing_category_id', 'processingCategoryId', before.processing_category_id, input.processingCategoryId)
    set('assignee_agent_id', 'assigneeAgentId', before.assignee_agent_id, input.assigneeAgentId)
    set('assignee_group_id', 'assigneeGroupId', before.assignee_group_id, input.assigneeGroupId)
    if (input.requester) {
      if (input.requester.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.requester.email)) {
        throw errors.invalid([{ path: 'body.requester.email', message: `'${input.requester.email}' is not an e-mail address; send one such as name@example.com`, code: 'invalid_format' }])
      }
      if (input.requester.email !== undefined) {
        const current = (await withRequesterEmail(before, crypto)).requester_email
        if (input.requester.email !== current) {
          const sealing = await requesterEmailSealed(tx)
          const email = await storeRequesterEmail(input.requester.email, sealing, crypto, stored)
          update.requester_email = email.column
          stored = email.stored
          storedChanged = true
          // A sealed address stays out of the history, as personal-info field values do.
          changes.push(sealing || current !== before.requester_email ? { field: 'requester.email', from: null, to: null, redacted: true } : { field: 'requester.email', from: current, to: input.requester.email })
        }
      }
      set('requester_name', 'requester.name', before.requester_name, input.requester.name)
      set('requester_member_id', 'requester.memberId', before.requester_member_id, input.requester.memberId)
      set('requester_usercode', 'requester.usercode', before.requester_usercode, input.requester.usercode)
    }
    if (input.fields && Object.keys(input.fields).length) {
      const intake = input.intakeCategoryId !== undefined ? input.intakeCategoryId : before.intake_category_id
      const spec = withoutHidden(await fieldSpecFor(tx, service, intake, fillerOf(caller.actor, input.channel ?? before.channel)), options.hidden ?? new Set(), input.fields)
      const values = validateFieldChange(spec, service, input.fields)
      stored = await sealFieldValues(crypto, spec.definitions, values, stored)
      storedChanged = true
      for (const [code, to] of Object.entries(values)) {
        const personal = code in before.secret_fields || code in stored.secret
        if (personal) changes.push({ field: `fields.${code}`, from: null, to: null, redacted: true })
        else if (JSON.stringify(before.fields[code] ?? null) !== JSON.stringify(to)) changes.push({ field: `fields.${code}`, from: before.fields[code] ?? null, to })
      }
    }
    if (storedChanged) {
      update.fields = stored.plain
      update.secret_fields = stored.secret
      update.secret_index = stored.index
    }
    if (!changes.length) return { before, row: before, changed: [] }
    const after = await updateTicket(tx, id, update)
    const who = { type: actor.type, id: actor.id }
    const changed = changes.map((ch) => ch.field)
    const moved = after.status !== before.status
    const reassigned = after.assignee_agent_id !== before.assignee_agent_id || after.assignee_group_id !== before.assignee_group_id
    // Issued at once: a pipelining driver sends them in one round trip.
    await Promise.all([
      recordHistory(tx, id, actor, changes),
      tx.emit('ticket.updated', { ...ticketRef(after), changed, actor: who }),
      moved ? tx.emit('ticket.status-changed', { ...ticketRef(after), from: before.status, to: after.status, actor: who }) : null,
      reassigned
        ? tx.emit('ticket.assigned', { ...ticketRef(after), from: { agentId: before.assignee_agent_id, groupId: before.assignee_group_id }, to: { agentId: after.assignee_agent_id, groupId: after.assignee_group_id }, actor: who })
        : null,
      recordAudit(tx, auditActor(caller.actor), { action: 'ticket.ticket.updated', target: { type: 'ticket', id }, before: auditable(changes, 'from'), after: { ...auditable(changes, 'to'), ...auditBy(caller.actor) } }),
    ])
    return { before, row: after, changed }
  }
}

/** The changed attributes for the audit trail; personal-info values stay out of it. */
function auditable(changes: readonly HistoryChange[], side: 'from' | 'to'): Record<string, unknown> {
  return Object.fromEntries(changes.map((ch) => [ch.field, ch.redacted ? '[personal info]' : ch[side]]))
}
