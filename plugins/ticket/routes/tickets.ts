/**
 * Tickets (T1): create, read, change (status lifecycle, assignment, categories, requester,
 * field values), list with filters, search and keyset pagination, and the change history.
 * Creates and changes go through the tickets service (tickets/service.ts), in the request's
 * transaction.
 *
 * Access: agents holding the `ticket` permission and service keys (`{ permission: 'ticket' }`).
 * A service key files tickets on behalf of customers (the compat Open API), so its tickets need
 * an active intake category and see only customer fields; agents also fill agent fields, and
 * phone fields when the channel is `phone`.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, route, z, type PlatformContext, type PluginApp, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import type { TicketsCaller } from '../api.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { requestTicketsActor } from '../tickets/actor.ts'
import { HistorySchema, TicketCreateInput, TicketListQuery, TicketNumberParam, TicketPatchInput, TicketPublicIdParam, TicketSchema } from '../tickets/schemas.ts'
import { checkTicketReferences } from '../tickets/checks.ts'
import { searchTokens } from '../tickets/field-values.ts'
import { REQUESTER_EMAIL_CODE, requesterEmailTokens } from '../tickets/requester-email.ts'
import { findTicket, findTicketBy, listHistory, type TicketRow } from '../tickets/store.ts'
import { listTickets } from '../tickets/list.ts'
import { openedTicketView, ticketView } from '../tickets/views.ts'
import { listFields } from '../fields/store.ts'
import { ticketsService } from '../tickets/service.ts'
import { hiddenFieldCodes } from '../tickets/visibility.ts'

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
  const tickets = ticketsService(ctx)
  const callerOf = (c: PlatformContext): TicketsCaller => ({ service: c.var.tenant.service, actor: requestTicketsActor(c) })
  const existing = async (tx: TenantTx, id: string, forUpdate = false) => {
    const row = await findTicket(tx, id, forUpdate)
    if (!row) throw notFoundAt('path.id', 'ticket', id)
    return row
  }

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const caller = callerOf(c)
    const { row, opened } = await tickets.fileTicket(
      c.var.db,
      caller,
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
    const answer = await c.var.db.tx(async (tx) => {
      const hidden = await hiddenFieldCodes(tx, c.var.tenant.service, c.var.principal)
      const changed = await tickets.changeTicket(tx, callerOf(c), id, input, { hidden })
      if (!changed) throw notFoundAt('path.id', 'ticket', id)
      return { row: changed.row, hidden }
    })
    return c.json(await ticketView(answer.row, cryptoOf(c), answer.hidden), 200)
  })
}
