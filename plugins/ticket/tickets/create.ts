/**
 * Filing a ticket against its form: the one create path the native API and the compat OPEN API
 * share, in three steps. First, in a transaction that writes nothing, everything that can refuse
 * the ticket: the caller's own checks, the ids it names, the form (kept per service by the form
 * cache) and validation. Then, for a ticket that passed, its number, from a counter statement of
 * its own shared with the creates of the service asking at the same time (numbers.ts; inside the
 * writing transaction it would hold the counter row to the commit and serialize every create of
 * the service, and on PGlite, whose one connection that transaction holds, it could not run at
 * all). A refused create therefore takes no number: numbers have no gaps from refusals. Last, in
 * one transaction, every write issued at once (ticket, files, history, `ticket.created`, audit),
 * so a pipelining driver sends them, and COMMIT behind them, in one round trip; personal-info
 * values (and the requester's address where the service seals it) are sealed before it.
 *
 * Callers differ only at the edges, through {@link CreateHooks}: how the intake category is
 * named, how sent values are read, which errors they speak.
 */
import { errors, OcError, recordAudit, requestActor, type PlatformContext, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import { formCache } from '../fields/form-cache.ts'
import type { TicketFieldSpec } from '../fields/ticket-fields.ts'
import { ticketActor } from './actor.ts'
import { checkTicketReferences, checkTitleAndContent, fieldSpecFor, validateNewTicketFields, type Filler } from './checks.ts'
import { sealFieldValues } from './field-values.ts'
import { storeRequesterEmail } from './requester-email.ts'
import { compatTicketId, newTicketId } from './ids.ts'
import { ticketNumbers } from './numbers.ts'
import type { Channel } from './schemas.ts'
import { bindAttachments, insertTicket, recordHistory, type TicketRow } from './store.ts'
import { withoutHidden } from './visibility.ts'

export interface TicketDraft {
  readonly title: string
  readonly content: string
  readonly channel: Channel
  readonly language: string | null
  readonly requester: { readonly email: string | null; readonly name: string | null; readonly memberId: string | null; readonly usercode: string | null }
  readonly assigneeAgentId: string | null
  readonly assigneeGroupId: string | null
  /** The intake category (its form), unless {@link CreateHooks.intakeCategory} finds it. */
  readonly intakeCategoryId: string | null
  readonly processingCategoryId: string | null
  /** Values by field code, as sent (see {@link CreateHooks.readFields}). */
  readonly fields: Record<string, unknown>
  /** Uploaded files that belong to the ticket's first message. */
  readonly attachmentIds: readonly string[]
}

export interface CreateHooks {
  /** Who fills the form: customers see only customer fields and active categories. */
  readonly filler: Filler
  /** Finds the intake category inside the transaction (e.g. from another id scheme); refuses by throwing. */
  intakeCategory?(tx: TenantTx): Promise<string>
  /** The caller's own checks inside the transaction; returns the field codes the caller may not see or set. */
  prepare?(tx: TenantTx): Promise<ReadonlySet<string>>
  /** Reads the sent values against the form's definitions (e.g. a vendor's value formats). */
  readFields?(spec: TicketFieldSpec, sent: Record<string, unknown>): Record<string, unknown>
  /** A refusal of the sent ticket (validation, inactive category, unusable files) in the caller's terms. */
  refuse?(tx: TenantTx, error: OcError): Promise<never>
  /** Runs after the writes, in the transaction (e.g. marks of the caller's own on the row). */
  created?(tx: TenantTx, row: TicketRow): Promise<void>
  /** Extra attributes of the audit entry, e.g. `{ via: 'oc-compat' }`. */
  readonly audit?: Readonly<Record<string, unknown>>
}

export interface CreatedTicket {
  readonly row: TicketRow
  /**
   * The requester's address and the field values stored, in plain: the answer needs no
   * decryption. The caller may see every one (fields hidden from it cannot be set by it).
   */
  readonly opened: { readonly requesterEmail: string | null; readonly fields: Record<string, unknown> }
}

/** The create path of one plugin instance (its form cache is shared per platform database). */
export function ticketCreation(ctx: PluginContext) {
  const forms = formCache(ctx.db)
  const takeNumber = ticketNumbers(ctx.db)
  return async function createTicket(c: PlatformContext, draft: TicketDraft, hooks: CreateHooks): Promise<CreatedTicket> {
    const service = c.var.tenant.service
    const actor = ticketActor(c.var.principal)
    let sealer: ReturnType<typeof ctx.crypto.forTenant> | undefined
    const crypto = () => (sealer ??= ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: service.id }))
    await forms.start()
    let read: { keep(spec: TicketFieldSpec): void; spec: TicketFieldSpec } | undefined
    const refuser = (tx: TenantTx) => (error: OcError): Promise<never> => (hooks.refuse ? hooks.refuse(tx, error) : Promise.reject(error))
    // 1. Everything that can refuse the ticket, in a transaction that writes nothing: a refused
    // create takes no number.
    const checked = await c.var.db.tx(async (tx) => {
      const refuse = refuser(tx)
      const intakeCategoryId = hooks.intakeCategory ? await hooks.intakeCategory(tx) : draft.intakeCategoryId
      if (hooks.filler === 'customer' && !intakeCategoryId) {
        return refuse(errors.invalid([{ path: 'body.intakeCategoryId', message: 'a customer inquiry needs its intake category; send the id of an active intake category', code: 'required' }]))
      }
      const hidden = hooks.prepare ? await hooks.prepare(tx) : new Set<string>()
      try {
        // Files named by another tenant (or already used) are refused before the form is read.
        await checkTicketReferences(tx, { attachmentIds: draft.attachmentIds })
      } catch (error) {
        return error instanceof OcError ? refuse(error) : Promise.reject(error)
      }
      const form = await forms.lookup(service.id, intakeCategoryId, hooks.filler)
      let full = form.spec
      if (!full) read = { keep: form.keep, spec: (full = await fieldSpecFor(tx, service, intakeCategoryId, hooks.filler)) }
      const spec = withoutHidden(full, hidden, draft.fields)
      // The form read the intake tree already (every category for agents, the visible ones for
      // customers), so the category is looked up again only when it is not there.
      if (intakeCategoryId && !spec.intakeCategoryIds.has(intakeCategoryId)) {
        await checkTicketReferences(tx, { intakeCategoryId })
        return refuse(errors.invalid([{ path: 'body.intakeCategoryId', message: 'this intake category (or one above it) is inactive; customers may only file under active ones', code: 'inactive' }]))
      }
      const sent = hooks.readFields ? hooks.readFields(spec, draft.fields) : draft.fields
      try {
        const values = validateNewTicketFields(spec, service, { title: draft.title, content: draft.content, email: draft.requester.email, intake_type: intakeCategoryId }, sent)
        checkTitleAndContent(draft.title, draft.content)
        return { intakeCategoryId, definitions: spec.definitions, requesterEmailSealed: spec.requesterEmailSealed, values }
      } catch (error) {
        return error instanceof OcError ? refuse(error) : Promise.reject(error)
      }
    })
    if (read) read.keep(read.spec)
    const { intakeCategoryId, values } = checked
    // What is stored: every value sent, except the cleared ones (null).
    const fields = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null))
    const sealed = await sealFieldValues(crypto, checked.definitions, values, { plain: {}, secret: {}, index: [] })
    const email = await storeRequesterEmail(draft.requester.email, checked.requesterEmailSealed, crypto, sealed)
    const stored = email.stored
    // 2. The number, for a ticket that passed (numbers.ts: outside the writing transaction).
    const number = await takeNumber(c.var.db)
    // 3. The writes, issued at once.
    const written = await c.var.db.tx(async (tx) => {
      const refuse = refuser(tx)
      const ref = { id: newTicketId(), number, ticketId: compatTicketId() }
      const assignee = { agentId: draft.assigneeAgentId, groupId: draft.assigneeGroupId }
      const by = { type: actor.type, id: actor.id }
      // Every write is issued at once (in this order), so a pipelining driver sends them in one round trip.
      const writes = Promise.all([
        insertTicket(tx, {
          id: ref.id,
          number,
          publicId: ref.ticketId,
          title: draft.title.trim(),
          content: draft.content,
          channel: draft.channel,
          language: draft.language,
          requester: { ...draft.requester, email: email.column },
          assigneeAgentId: assignee.agentId,
          assigneeGroupId: assignee.groupId,
          intakeCategoryId,
          processingCategoryId: draft.processingCategoryId,
          fields: stored.plain,
          secretFields: stored.secret,
          secretIndex: stored.index,
          createdBy: actor,
        }),
        // The first message's files belong to the ticket itself (entry id = ticket id).
        draft.attachmentIds.length ? bindAttachments(tx, [...draft.attachmentIds], ref.id, ref.id) : [],
        recordHistory(tx, ref.id, actor, [{ field: 'created', from: null, to: { status: 'new', channel: draft.channel } }]),
        tx.emit('ticket.created', { ...ref, status: 'new', channel: draft.channel, intakeCategoryId, assigneeAgentId: assignee.agentId, assigneeGroupId: assignee.groupId, actor: by }),
        assignee.agentId || assignee.groupId ? tx.emit('ticket.assigned', { ...ref, from: { agentId: null, groupId: null }, to: assignee, actor: by }) : null,
        recordAudit(tx, requestActor(c), { action: 'ticket.ticket.created', target: { type: 'ticket', id: ref.id }, after: { number, channel: draft.channel, fields: Object.keys(values), ...hooks.audit } }),
      ])
      // Nothing left to decide: return without waiting, so COMMIT follows the writes in the same
      // round trip; the transaction still fails if any of them does.
      if (!draft.attachmentIds.length && !hooks.created) {
        const row = writes.then(([created]) => created)
        row.catch(() => {}) // a failed write fails the transaction, which throws it
        return { row }
      }
      const [created, taken] = await writes
      // Checked free above; another message took them since (the number is lost, a rare race).
      if (taken.length) {
        return refuse(errors.invalid(taken.map((id) => ({ path: 'body.attachmentIds', message: `attachment '${id}' does not exist or belongs to another message; upload it again`, code: 'unavailable' }))))
      }
      await hooks.created?.(tx, created)
      return { row: created }
    })
    return { row: await written.row, opened: { requesterEmail: draft.requester.email, fields } }
  }
}
