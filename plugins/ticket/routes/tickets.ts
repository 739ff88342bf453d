/**
 * Tickets (T1): create, read, change (status lifecycle, assignment, categories, requester,
 * field values), list with filters, search and keyset pagination, and the change history.
 *
 * Access: agents holding the `ticket` permission and service keys (`{ permission: 'ticket' }`).
 * A service key files tickets on behalf of customers (the compat Open API), so its tickets need
 * an active intake category and see only customer fields; agents also fill agent fields, and
 * phone fields when the channel is `phone`.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { ticketActor } from '../tickets/actor.ts'
import { assertTransition } from '../tickets/lifecycle.ts'
import { HistorySchema, TicketCreateInput, TicketListQuery, TicketNumberParam, TicketPatchInput, TicketPublicIdParam, TicketSchema } from '../tickets/schemas.ts'
import { checkTicketReferences, checkTitleAndContent, fieldSpecFor, validateFieldChange, type Filler } from '../tickets/checks.ts'
import { sealFieldValues, searchTokens, type StoredFieldValues } from '../tickets/field-values.ts'
import { REQUESTER_EMAIL_CODE, requesterEmailSealed, requesterEmailTokens, storeRequesterEmail, withRequesterEmail } from '../tickets/requester-email.ts'
import { findTicket, findTicketBy, listHistory, recordHistory, updateTicket, type HistoryChange, type TicketRow, type TicketUpdate } from '../tickets/store.ts'
import { listTickets } from '../tickets/list.ts'
import { openedTicketView, ticketRef, ticketView } from '../tickets/views.ts'
import { listFields } from '../fields/store.ts'
import { ticketCreation } from '../tickets/create.ts'
import { hiddenFieldCodes, withoutHidden } from '../tickets/visibility.ts'

const tags = ['Tickets']
const access = { permission: 'ticket' } as const

const routes = {
  create: route({ method: 'post', path: '/tickets', tags, access, summary: 'Create a ticket', request: jsonBody(TicketCreateInput), responses: { 201: json(TicketSchema, 'Created, status new'), ...commonErrors } }),
  list: route({
    method: 'get',
    path: '/tickets',
    tags,
    access,
    summary: 'List, filter and search tickets',
    request: { query: TicketListQuery },
    responses: { 200: json(z.object({ tickets: z.array(TicketSchema), nextCursor: z.string().nullable() }), 'One page'), ...commonErrors },
  }),
  get: route({ method: 'get', path: '/tickets/{id}', tags, access, summary: 'One ticket', request: { params: IdParam }, responses: { 200: json(TicketSchema, 'The ticket'), ...commonErrors } }),
  byNumber: route({
    method: 'get',
    path: '/by-number/{number}',
    tags,
    access,
    summary: 'One ticket by its number (the `[#42]` of mail subjects)',
    request: { params: TicketNumberParam },
    responses: { 200: json(TicketSchema, 'The ticket'), ...commonErrors },
  }),
  byTicketId: route({
    method: 'get',
    path: '/by-ticket-id/{ticketId}',
    tags,
    access,
    summary: 'One ticket by its Online Contact id (`ticketId`, T<epoch ms><5 letters>)',
    request: { params: TicketPublicIdParam },
    responses: { 200: json(TicketSchema, 'The ticket'), ...commonErrors },
  }),
  patch: route({
    method: 'patch',
    path: '/tickets/{id}',
    tags,
    access,
    summary: 'Change a ticket (status, assignment, categories, requester, fields)',
    request: { params: IdParam, ...jsonBody(TicketPatchInput) },
    responses: { 200: json(TicketSchema, 'Changed'), 409: json(ErrorBody, 'Status transition not allowed'), ...commonErrors },
  }),
  history: route({ method: 'get', path: '/tickets/{id}/history', tags, access, summary: 'Every change to a ticket: who, when, what from and to', request: { params: IdParam }, responses: { 200: json(z.object({ history: z.array(HistorySchema) }), 'Oldest first'), ...commonErrors } }),
}

export function registerTicketResourceRoutes(app: PluginApp, ctx: PluginContext): void {
  const cryptoOf = (c: PlatformContext) => {
    let made: ReturnType<typeof ctx.crypto.forTenant> | undefined
    return () => (made ??= ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id }))
  }
  const createTicket = ticketCreation(ctx)
  const fillerOf = (c: PlatformContext, channel: string): Filler => (c.var.principal.kind === 'service-key' ? 'customer' : channel === 'phone' ? 'phone' : 'agent')
  const existing = async (tx: TenantTx, id: string, forUpdate = false) => {
    const row = await findTicket(tx, id, forUpdate)
    if (!row) throw notFoundAt('path.id', 'ticket', id)
    return row
  }

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const { row, opened } = await createTicket(
      c,
      {
        title: input.title,
        content: input.content,
        channel: input.channel,
        language: input.language ?? null,
        requester: { email: input.requester.email || null, name: input.requester.name || null, memberId: input.requester.memberId ?? null, usercode: input.requester.usercode ?? null },
        assigneeAgentId: input.assigneeAgentId ?? null,
        assigneeGroupId: input.assigneeGroupId ?? null,
        intakeCategoryId: input.intakeCategoryId ?? null,
        processingCategoryId: input.processingCategoryId ?? null,
        fields: input.fields ?? {},
        attachmentIds: input.attachmentIds ?? [],
      },
      {
        filler: fillerOf(c, input.channel),
        async prepare(tx) {
          await checkTicketReferences(tx, { requester: input.requester, assigneeAgentId: input.assigneeAgentId, assigneeGroupId: input.assigneeGroupId, processingCategoryId: input.processingCategoryId })
          return hiddenFieldCodes(tx, c.var.tenant.service, c.var.principal)
        },
      },
    )
    return c.json(openedTicketView({ ...row, requester_email: opened.requesterEmail }, opened.fields), 201)
  })

  /** One ticket as the caller may see it; `find` answers null for a ticket this service does not have. */
  const oneTicket = async (c: PlatformContext, find: (tx: TenantTx) => Promise<TicketRow | null>, notFound: () => Error) => {
    const [row, hidden] = await c.var.db.tx(async (tx) => {
      const found = await find(tx)
      if (!found) throw notFound()
      return [found, await hiddenFieldCodes(tx, c.var.tenant.service, c.var.principal)] as const
    })
    return c.json(await ticketView(row, cryptoOf(c), hidden), 200)
  }

  app.openapi(routes.get, (c) => {
    const { id } = c.req.valid('param')
    return oneTicket(c, (tx) => findTicket(tx, id), () => notFoundAt('path.id', 'ticket', id))
  })

  app.openapi(routes.byNumber, (c) => {
    const { number } = c.req.valid('param')
    return oneTicket(c, (tx) => findTicketBy(tx, { number }), () => notFoundAt('path.number', 'ticket', `#${number}`))
  })

  app.openapi(routes.byTicketId, (c) => {
    const { ticketId } = c.req.valid('param')
    return oneTicket(c, (tx) => findTicketBy(tx, { publicId: ticketId }), () => notFoundAt('path.ticketId', 'ticket', ticketId))
  })

  app.openapi(routes.history, async (c) => {
    const { id } = c.req.valid('param')
    const history = await c.var.db.tx(async (tx) => {
      await existing(tx, id)
      const hidden = await hiddenFieldCodes(tx, c.var.tenant.service, c.var.principal)
      // An admin-only field's changes stay listed (who and when), its values do not.
      return (await listHistory(tx, id)).map((h) => (hidden.has(h.field.replace(/^fields\./, '')) ? { ...h, from: null, to: null, redacted: true } : h))
    })
    return c.json({ history }, 200)
  })

  app.openapi(routes.list, async (c) => {
    const { fieldCode, fieldValue, ...query } = c.req.valid('query')
    if ((fieldCode === undefined) !== (fieldValue === undefined)) {
      throw errors.invalid([{ path: fieldCode === undefined ? 'query.fieldCode' : 'query.fieldValue', message: 'fieldCode and fieldValue go together; send both or neither', code: 'required' }])
    }
    const crypto = cryptoOf(c)
    const page = await c.var.db.tx(async (tx) => {
      let fieldFilter = {}
      if (fieldCode !== undefined && fieldValue !== undefined) {
        const service = c.var.tenant.service
        const all = [...(await listFields(tx, service, 'customer')), ...(await listFields(tx, service, 'agent'))]
        const field = all.find((f) => f.code === fieldCode)
        if (!field || (await hiddenFieldCodes(tx, service, c.var.principal)).has(fieldCode)) throw errors.invalid([{ path: 'query.fieldCode', message: `there is no field '${fieldCode}' you may search in this service`, code: 'unknown_field' }])
        if (field.system && fieldCode === REQUESTER_EMAIL_CODE) {
          fieldFilter = { requesterEmail: { address: fieldValue, tokens: field.personalInfo ? await requesterEmailTokens(fieldValue, crypto()) : [] } }
        } else {
          fieldFilter = field.personalInfo ? { secretTokens: await searchTokens(crypto(), fieldCode, fieldValue) } : { plainField: { code: fieldCode, value: fieldValue } }
        }
      }
      return { ...(await listTickets(tx, { ...query, ...fieldFilter })), hidden: await hiddenFieldCodes(tx, c.var.tenant.service, c.var.principal) }
    })
    const tickets = []
    for (const row of page.rows) tickets.push(await ticketView(row, crypto, page.hidden))
    return c.json({ tickets, nextCursor: page.nextCursor }, 200)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const service = c.var.tenant.service
    const actor = ticketActor(c.var.principal)
    const crypto = cryptoOf(c)
    let hidden: ReadonlySet<string> | undefined
    const row = await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id, true)
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
        hidden = await hiddenFieldCodes(tx, service, c.var.principal)
        const spec = withoutHidden(await fieldSpecFor(tx, service, intake, fillerOf(c, input.channel ?? before.channel)), hidden, input.fields)
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
      hidden ??= await hiddenFieldCodes(tx, service, c.var.principal)
      if (!changes.length) return before
      const after = await updateTicket(tx, id, update)
      await recordHistory(tx, id, actor, changes)
      const who = { type: actor.type, id: actor.id }
      await tx.emit('ticket.updated', { ...ticketRef(after), changed: changes.map((ch) => ch.field), actor: who })
      if (after.status !== before.status) await tx.emit('ticket.status-changed', { ...ticketRef(after), from: before.status, to: after.status, actor: who })
      if (after.assignee_agent_id !== before.assignee_agent_id || after.assignee_group_id !== before.assignee_group_id) {
        await tx.emit('ticket.assigned', { ...ticketRef(after), from: { agentId: before.assignee_agent_id, groupId: before.assignee_group_id }, to: { agentId: after.assignee_agent_id, groupId: after.assignee_group_id }, actor: who })
      }
      await recordAudit(tx, requestActor(c), { action: 'ticket.ticket.updated', target: { type: 'ticket', id }, before: auditable(changes, 'from'), after: auditable(changes, 'to') })
      return after
    })
    return c.json(await ticketView(row as TicketRow, crypto, hidden), 200)
  })
}

/** The changed attributes for the audit trail; personal-info values stay out of it. */
function auditable(changes: readonly HistoryChange[], side: 'from' | 'to'): Record<string, unknown> {
  return Object.fromEntries(changes.map((ch) => [ch.field, ch.redacted ? '[personal info]' : ch[side]]))
}
