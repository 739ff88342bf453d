/**
 * The tickets service (`ticketsRef`, api.ts): the ticket plugin's one way to write tickets, for
 * its own routes, triggers, mail intake and compat layer as for other plugins. Each method takes
 * the caller's transaction and actor, never a request; the parts live in create.ts, change.ts
 * and entries.ts, and the answers are the API's ticket and entry views.
 *
 * Inside the plugin, callers that speak their own terms (the compat layer, mail intake, the
 * PATCH route's view) use the parts with their options ({@link TicketsInternals}), and the create
 * routes, whose create is the whole change, `fileTicket` (create.ts); they write the same rows,
 * events and audit entries as the public methods.
 */
import { errors, isUuid, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import type { TicketsCaller, TicketsService, TicketView } from '../api.ts'
import { formCache } from '../fields/form-cache.ts'
import { ticketChange } from './change.ts'
import { ticketCreation } from './create.ts'
import { checkTicketReferences } from './checks.ts'
import { addTicketEntry } from './entries.ts'
import { requesterEmailSealed, requesterEmailTokens } from './requester-email.ts'
import { findTicketBy, findTicketsByRequester, insertAttachment, listEntries, type TicketRow } from './store.ts'
import { openedTicketView, ticketView } from './views.ts'
import { inquiryForm } from './inquiry-form.ts'
import { storedActor } from './actor.ts'
import { ATTACHMENT_POLICY } from '../routes/tickets-attachments.ts'
import { hiddenFrom } from './visibility.ts'

const MAX_FOUND = 100

/** The service with the parts the plugin's own callers use directly. */
export interface TicketsInternals extends TicketsService {
  readonly createTicket: ReturnType<typeof ticketCreation>['createTicket']
  readonly fileTicket: ReturnType<typeof ticketCreation>['fileTicket']
  readonly changeTicket: ReturnType<typeof ticketChange>
  readonly addTicketEntry: typeof addTicketEntry
  /** A row as the caller may see it. */
  view(tx: TenantTx, caller: TicketsCaller, row: TicketRow): Promise<TicketView>
}

const made = new WeakMap<PluginContext, TicketsInternals>()

/** The tickets service of the ticket plugin's context (one per context). */
export function ticketsService(ctx: PluginContext): TicketsInternals {
  let service = made.get(ctx)
  if (!service) made.set(ctx, (service = makeTicketsService(ctx)))
  return service
}

function makeTicketsService(ctx: PluginContext): TicketsInternals {
  const { createTicket, fileTicket } = ticketCreation(ctx)
  const changeTicket = ticketChange(ctx)
  const cryptoOf = ({ service }: TicketsCaller) => {
    let sealer: ReturnType<typeof ctx.crypto.forTenant> | undefined
    return () => (sealer ??= ctx.crypto.forTenant({ orgId: service.orgId, serviceId: service.id }))
  }
  const view = async (tx: TenantTx, caller: TicketsCaller, row: TicketRow) => ticketView(row, cryptoOf(caller), await hiddenFrom(tx, caller.service, caller.actor)) as Promise<TicketView>
  return {
    createTicket,
    fileTicket,
    changeTicket,
    addTicketEntry,
    view,
    async create(tx, caller, input) {
      const requester = input.requester ?? {}
      const { row, opened } = await createTicket(tx, caller, {
        title: input.title,
        content: input.content,
        channel: input.channel,
        language: input.language ?? null,
        requester: { email: requester.email || null, name: requester.name || null, memberId: requester.memberId ?? null, usercode: requester.usercode ?? null },
        assigneeAgentId: input.assigneeAgentId ?? null,
        assigneeGroupId: input.assigneeGroupId ?? null,
        intakeCategoryId: input.intakeCategoryId ?? null,
        processingCategoryId: input.processingCategoryId ?? null,
        fields: { ...input.fields },
        attachmentIds: input.attachmentIds ?? [],
      }, {
        async prepare(tx) {
          // The ids it names besides its form: the member who asked, assignees, the processing category.
          await checkTicketReferences(tx, { requester, assigneeAgentId: input.assigneeAgentId, assigneeGroupId: input.assigneeGroupId, processingCategoryId: input.processingCategoryId })
          return hiddenFrom(tx, caller.service, caller.actor)
        },
      })
      return openedTicketView({ ...row, requester_email: opened.requesterEmail }, opened.fields) as TicketView
    },
    async change(tx, caller, ticketId, input) {
      const hidden = await hiddenFrom(tx, caller.service, caller.actor)
      const changed = await changeTicket(tx, caller, ticketId, input, { hidden })
      return changed && (ticketView(changed.row, cryptoOf(caller), hidden) as Promise<TicketView>)
    },
    async addEntry(tx, caller, ticketId, input) {
      const added = await addTicketEntry(tx, caller, ticketId, input)
      return added && (await listEntries(tx, added.ticket.id)).find((e) => e.id === added.entry.id)!
    },
    async entries(tx, caller, ticketId) {
      if (!isUuid(ticketId)) return null
      const [found] = await tx.sql`SELECT 1 FROM tickets WHERE id = ${ticketId}`
      if (!found) return null
      const entries = await listEntries(tx, ticketId)
      return caller.actor.kind === 'customer' ? entries.filter((e) => e.kind !== 'note') : entries
    },
    async findByNumber(tx, caller, number) {
      const row = await findTicketBy(tx, { number })
      return row && view(tx, caller, row)
    },
    async findByRequester(tx, caller, requester, options = {}) {
      const limit = options.limit ?? 50
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FOUND) throw errors.invalid([{ path: 'limit', message: `limit must be a whole number from 1 to ${MAX_FOUND}`, code: 'too_big' }])
      const emailTokens = requester.email !== undefined && (await requesterEmailSealed(tx)) ? await requesterEmailTokens(requester.email, cryptoOf(caller)()) : []
      const rows = await findTicketsByRequester(tx, { ...requester, emailTokens }, limit)
      const hidden = await hiddenFrom(tx, caller.service, caller.actor)
      const crypto = cryptoOf(caller)
      return Promise.all(rows.map((row) => ticketView(row, crypto, hidden) as Promise<TicketView>))
    },
    inquiryForm: (tx, caller, intakeCategoryId) => inquiryForm(tx, caller.service, intakeCategoryId),
    async addAttachment(tx, caller, file) {
      const stored = await insertAttachment(tx, { ...file, uploadedBy: storedActor(caller.actor) })
      return { id: stored.id }
    },
    attachmentPolicy: ATTACHMENT_POLICY,
  }
}

/** Starts what the service keeps between calls (the form cache's listener), at boot. */
export async function startTicketsService(ctx: PluginContext): Promise<void> {
  await formCache(ctx.db).start()
}
