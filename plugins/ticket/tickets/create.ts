/**
 * Filing a ticket against its form: the one create path of the tickets service, shared by the
 * native API, the compat OPEN API, mail intake and other plugins (through `ticketsRef`). First
 * everything that can refuse the ticket: the caller's own checks, the ids it names, the form
 * (kept per service by the form cache) and validation. Then, for a ticket that passed, its
 * personal-info values (and the requester's address where the service seals it) are sealed, and
 * last its number and every write: `ticket.created` and the audit entry recorded, then one
 * statement storing the ticket, its history entry and those records, and the files bound, issued
 * at once, so a pipelining driver sends them in one round trip.
 *
 * Two paths share these steps. Inside a caller's transaction (`createTicket`, the tickets service
 * for other plugins and mail intake) the number is taken in that transaction, as the last
 * statement before the writes: a statement of its own cannot work there (on PGlite the caller
 * holds the one connection; on a pool every waiting create would hold a connection while asking
 * for another), so the counter row stays locked from there to the caller's commit, and a
 * rolled-back create gives its number back. The plugin's own create routes, whose create is the
 * whole change, use `fileTicket`: checks in a transaction that writes nothing (and issues
 * nothing when the form is cached and no files are named, so it costs no round trip), the number from a
 * counter statement shared with the service's concurrent creates (numbers.ts), and the writes in
 * one transaction with COMMIT in their round trip. The checks keep a transaction of their own
 * because folding them into the writing one would put the number inside it: holding the counter
 * row across a create's round trips serializes a busy service's creates on it (`bench
 * ticket-create` fell by a third, 0.04 -> 0.03 of raw-insert in one run, when the routes did).
 * A refused create never takes a number.
 *
 * Callers differ only at the edges, through {@link CreateHooks}: how the intake category is
 * named, how sent values are read, which errors they speak.
 */
import { errors, OcError, recordAudit, type PluginContext, type TenantCrypto, type TenantDb, type TenantTx } from '../../../core/mod.ts'
import type { TicketsCaller } from '../api.ts'
import { formCache } from '../fields/form-cache.ts'
import type { TicketFieldSpec } from '../fields/ticket-fields.ts'
import type { FieldValue } from '../fields/validate-values.ts'
import { auditActor, auditBy, fillerOf, storedActor } from './actor.ts'
import { checkTicketReferences, checkTitleAndContent, fieldSpecFor, validateNewTicketFields, type Filler } from './checks.ts'
import { sealFieldValues } from './field-values.ts'
import { storeRequesterEmail } from './requester-email.ts'
import { compatTicketId, newTicketId, nextTicketNumber } from './ids.ts'
import { ticketNumbers } from './numbers.ts'
import type { Channel } from './schemas.ts'
import { bindAttachments, insertTicket, type TicketRow } from './store.ts'
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
  /** Who fills the form, when not the actor's kind (see `fillerOf`). */
  readonly filler?: Filler
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
  /** Extra attributes of the `created` history entry, e.g. `{ via: 'imap' }`. */
  readonly history?: Readonly<Record<string, unknown>>
}

export interface CreatedTicket {
  readonly row: TicketRow
  /**
   * The requester's address and the field values stored, in plain: the answer needs no
   * decryption. The caller may see every one (fields hidden from it cannot be set by it).
   */
  readonly opened: { readonly requesterEmail: string | null; readonly fields: Record<string, unknown> }
  /**
   * Call once the caller's transaction committed: keeps the form it read for the next creates
   * (a form read in a transaction that rolled back, which may have made the system fields, is
   * never kept).
   */
  committed(): void
}

/** What passed the checks: the category, the form's definitions and the validated values. */
interface Checked {
  readonly intakeCategoryId: string | null
  readonly definitions: TicketFieldSpec['definitions']
  readonly requesterEmailSealed: boolean
  readonly values: Record<string, FieldValue>
}
type Sealed = Awaited<ReturnType<typeof storeRequesterEmail>>

/** The create paths of one plugin instance (its form cache and number allocator are shared per platform database). */
export function ticketCreation(ctx: PluginContext) {
  const forms = formCache(ctx.db)
  const takeNumber = ticketNumbers(ctx.db)

  /**
   * One create's steps: `check` (refusals), `seal`, then `write` with its number. Methods of one
   * object rather than a function each: where the code runs through tsx, every named function
   * made at run time is also renamed, a runtime call of about a microsecond each.
   */
  function steps(caller: TicketsCaller, draft: TicketDraft, hooks: CreateHooks) {
    const service = caller.service
    const actor = storedActor(caller.actor)
    const filler = hooks.filler ?? fillerOf(caller.actor, draft.channel)
    let sealer: TenantCrypto | undefined
    let read: { keep(spec: TicketFieldSpec): void; spec: TicketFieldSpec } | undefined
    const step = {
      crypto(): TenantCrypto {
        return (sealer ??= ctx.crypto.forTenant({ orgId: service.orgId, serviceId: service.id }))
      },

      refuse(tx: TenantTx, error: OcError): Promise<never> {
        return hooks.refuse ? hooks.refuse(tx, error) : Promise.reject(error)
      },

      /** Everything that can refuse the ticket; writes nothing. */
      async check(tx: TenantTx): Promise<Checked> {
        const intakeCategoryId = hooks.intakeCategory ? await hooks.intakeCategory(tx) : draft.intakeCategoryId
        if (filler === 'customer' && !intakeCategoryId) {
          return step.refuse(tx, errors.invalid([{ path: 'body.intakeCategoryId', message: 'a customer inquiry needs its intake category; send the id of an active intake category', code: 'required' }]))
        }
        const hidden = hooks.prepare ? await hooks.prepare(tx) : new Set<string>()
        try {
          // Files named by another tenant (or already used) are refused before the form is read.
          await checkTicketReferences(tx, { attachmentIds: draft.attachmentIds })
        } catch (error) {
          return error instanceof OcError ? step.refuse(tx, error) : Promise.reject(error)
        }
        const form = await forms.lookup(service.id, intakeCategoryId, filler)
        let full = form.spec
        if (!full) read = { keep: form.keep, spec: (full = await fieldSpecFor(tx, service, intakeCategoryId, filler)) }
        const spec = withoutHidden(full, hidden, draft.fields)
        // The form read the intake tree already (every category for agents, the visible ones for
        // customers), so the category is looked up again only when it is not there.
        if (intakeCategoryId && !spec.intakeCategoryIds.has(intakeCategoryId)) {
          await checkTicketReferences(tx, { intakeCategoryId })
          return step.refuse(tx, errors.invalid([{ path: 'body.intakeCategoryId', message: 'this intake category (or one above it) is inactive; customers may only file under active ones', code: 'inactive' }]))
        }
        const sent = hooks.readFields ? hooks.readFields(spec, draft.fields) : draft.fields
        try {
          const values = validateNewTicketFields(spec, service, { title: draft.title, content: draft.content, email: draft.requester.email, intake_type: intakeCategoryId }, sent)
          checkTitleAndContent(draft.title, draft.content)
          return { intakeCategoryId, definitions: spec.definitions, requesterEmailSealed: spec.requesterEmailSealed, values }
        } catch (error) {
          return error instanceof OcError ? step.refuse(tx, error) : Promise.reject(error)
        }
      },

      /** The values as stored: personal-info ones (and a sealed requester address) sealed. */
      async seal(checked: Checked): Promise<Sealed> {
        const sealed = await sealFieldValues(step.crypto, checked.definitions, checked.values, { plain: {}, secret: {}, index: [] })
        return storeRequesterEmail(draft.requester.email, checked.requesterEmailSealed, step.crypto, sealed)
      },

      /**
       * Every write, issued at once (in this order), so a pipelining driver sends them in one round
       * trip. `early`: resolve without waiting for them when nothing is left to decide, so the
       * caller's COMMIT follows them in the same round trip (the transaction still fails if any of
       * them does); only for a caller that commits right after.
       */
      async write(tx: TenantTx, checked: Checked, email: Sealed, number: number, early: boolean): Promise<{ row: Promise<TicketRow> | TicketRow }> {
        const { intakeCategoryId, values } = checked
        const stored = email.stored
        const ref = { id: newTicketId(), number, ticketId: compatTicketId() }
        const assignee = { agentId: draft.assigneeAgentId, groupId: draft.assigneeGroupId }
        const by = { type: actor.type, id: actor.id }
        // Recorded first, so the ticket's own statement writes them (see insertTicket).
        const recorded = Promise.all([
          tx.emit('ticket.created', { ...ref, status: 'new', channel: draft.channel, intakeCategoryId, assigneeAgentId: assignee.agentId, assigneeGroupId: assignee.groupId, actor: by }),
          assignee.agentId || assignee.groupId ? tx.emit('ticket.assigned', { ...ref, from: { agentId: null, groupId: null }, to: assignee, actor: by }) : null,
          recordAudit(tx, auditActor(caller.actor), { action: 'ticket.ticket.created', target: { type: 'ticket', id: ref.id }, after: { number, channel: draft.channel, fields: Object.keys(values), ...hooks.audit, ...auditBy(caller.actor) } }),
        ])
        const writes = Promise.all([
          insertTicket(
            tx,
            {
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
            },
            [{ field: 'created', from: null, to: { status: 'new', channel: draft.channel, ...hooks.history } }],
          ),
          // The first message's files belong to the ticket itself (entry id = ticket id).
          draft.attachmentIds.length ? bindAttachments(tx, [...draft.attachmentIds], ref.id, ref.id) : [],
          recorded,
        ])
        if (early && !draft.attachmentIds.length && !hooks.created) {
          const row = writes.then(([created]) => created)
          row.catch(() => {}) // a failed write fails the transaction, which throws it
          return { row }
        }
        const [created, taken] = await writes
        // Checked free above; another message took them since, in a transaction that committed first.
        if (taken.length) {
          return step.refuse(tx, errors.invalid(taken.map((id) => ({ path: 'body.attachmentIds', message: `attachment '${id}' does not exist or belongs to another message; upload it again`, code: 'unavailable' }))))
        }
        await hooks.created?.(tx, created)
        return { row: created }
      },

      /** What is stored: every value sent, except the cleared ones (null). */
      openedOf(checked: Checked) {
        return { requesterEmail: draft.requester.email, fields: Object.fromEntries(Object.entries(checked.values).filter(([, value]) => value !== null)) }
      },

      keep(): void {
        read?.keep(read.spec)
      },
    }
    return step
  }

  return {
    /**
     * The create inside the caller's transaction (the tickets service): the number is taken in
     * it too, as the last statement before the writes, so the counter row stays locked from
     * there to the caller's commit. Call `committed()` after that commit.
     */
    async createTicket(tx: TenantTx, caller: TicketsCaller, draft: TicketDraft, hooks: CreateHooks = {}): Promise<CreatedTicket> {
      const step = steps(caller, draft, hooks)
      const checked = await step.check(tx)
      const email = await step.seal(checked)
      const { row } = await step.write(tx, checked, email, await nextTicketNumber(tx), false)
      return { row: await row, opened: step.openedOf(checked), committed: step.keep }
    },
    /**
     * A create that is a whole change of its own (the plugin's create routes): checks in a
     * transaction that writes nothing, then a number from a statement of its own shared with the
     * service's other creates of the moment (numbers.ts), then the writes in one transaction,
     * COMMIT in their round trip. The counter row is locked for one statement only, and a
     * refused create takes no number; a create that fails while writing loses its number.
     */
    async fileTicket(db: TenantDb, caller: TicketsCaller, draft: TicketDraft, hooks: CreateHooks = {}): Promise<Omit<CreatedTicket, 'committed'>> {
      const step = steps(caller, draft, hooks)
      const checked = await db.tx((tx) => step.check(tx))
      step.keep()
      const email = await step.seal(checked)
      const number = await takeNumber(db)
      const written = await db.tx((tx) => step.write(tx, checked, email, number, true))
      return { row: await written.row, opened: step.openedOf(checked) }
    },
  }
}
