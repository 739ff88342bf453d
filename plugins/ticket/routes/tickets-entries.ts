/**
 * A ticket's conversation (T1): customer replies, agent replies and internal notes, each with up
 * to five attachments uploaded beforehand (POST /ticket/attachments).
 *
 * - Customer reply: from a service key (the customer's channel) or an agent recording it; a
 *   pending or completed ticket reopens (see tickets/lifecycle.ts).
 * - Agent reply: agents only (a service key is not an agent); refused with 422 when it holds a
 *   banned word (T8); may move the status in the same change, and a reply to a `new` ticket
 *   opens it.
 * - Note: internal, agents only, never changes the status.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { refuseBannedWords } from '../banned-words/guard.ts'
import { ticketActor } from '../tickets/actor.ts'
import { assertTransition, statusAfterCustomerReply, type TicketStatus } from '../tickets/lifecycle.ts'
import { AttachmentSchema, EntryInput, EntrySchema, type EntryKind } from '../tickets/schemas.ts'
import { findTicket, listEntries } from '../tickets/store.ts'
import { recordEntry } from '../tickets/entries.ts'
import { checkTicketReferences } from '../tickets/checks.ts'

const tags = ['Tickets']
const access = { permission: 'ticket' } as const

const post = (path: string, summary: string) =>
  route({
    method: 'post',
    path: `/tickets/{id}/${path}`,
    tags,
    access,
    summary,
    request: { params: IdParam, ...jsonBody(EntryInput) },
    responses: { 201: json(EntrySchema, 'Added'), 409: json(ErrorBody, 'Status transition not allowed'), ...commonErrors },
  })

const routes = {
  list: route({
    method: 'get',
    path: '/tickets/{id}/entries',
    tags,
    access,
    summary: 'The conversation, oldest first',
    request: { params: IdParam },
    responses: { 200: json(z.object({ attachments: z.array(AttachmentSchema).openapi({ description: "The first message's files" }), entries: z.array(EntrySchema) }), 'Entries'), ...commonErrors },
  }),
  'customer-reply': post('customer-replies', 'Add a customer reply'),
  'agent-reply': post('agent-replies', 'Reply to the customer (banned words refused)'),
  note: post('notes', 'Add an internal note'),
}

export function registerTicketEntryRoutes(app: PluginApp): void {
  app.openapi(routes.list, async (c) => {
    const { id } = c.req.valid('param')
    const answer = await c.var.db.tx(async (tx) => {
      if (!(await findTicket(tx, id))) throw notFoundAt('path.id', 'ticket', id)
      const entries = await listEntries(tx, id)
      const first = await tx.sql<{ id: string; file_name: string; content_type: string; size: number; created_at: Date | string }>`
        SELECT id, file_name, content_type, size, created_at FROM ticket_attachments WHERE ticket_id = ${id} AND entry_id = ${id} ORDER BY created_at`
      return { attachments: first.map((a) => ({ id: a.id, fileName: a.file_name, contentType: a.content_type, size: a.size, createdAt: new Date(a.created_at).toISOString() })), entries }
    })
    return c.json(answer, 200)
  })

  const add = (kind: EntryKind) => async (c: PlatformContext & { req: { valid(target: 'param'): { id: string }; valid(target: 'json'): z.infer<typeof EntryInput> } }) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const actor = ticketActor(c.var.principal)
    if (kind !== 'customer-reply' && c.var.principal.kind === 'service-key') throw errors.forbidden(`a service key speaks for customers; ${kind === 'note' ? 'notes' : 'agent replies'} are written by signed-in agents`)
    if (kind !== 'agent-reply' && input.status !== undefined) throw errors.invalid([{ path: 'body.status', message: `only agent replies move the status; change it with PATCH /ticket/tickets/${id}`, code: 'not_allowed' }])
    const entry = await c.var.db.tx(async (tx) => {
      const ticket = await findTicket(tx, id, true)
      if (!ticket) throw notFoundAt('path.id', 'ticket', id)
      if (kind === 'agent-reply') await refuseBannedWords(tx, input.content, 'body.content')
      let next: TicketStatus = ticket.status
      switch (kind) {
        case 'customer-reply':
          next = statusAfterCustomerReply(ticket.status)
          break
        case 'agent-reply':
          next = input.status ?? (ticket.status === 'new' ? 'open' : ticket.status)
          assertTransition(ticket.status, next)
          break
        case 'note':
          break
        default: {
          const unreachable: never = kind
          throw new Error(`unknown entry kind ${String(unreachable)}`)
        }
      }
      await checkTicketReferences(tx, { attachmentIds: input.attachmentIds })
      const made = await recordEntry(tx, ticket, { kind, body: input.content, actor, next, attachmentIds: input.attachmentIds })
      if (made.unavailable.length) throw errors.invalid(made.unavailable.map((a) => ({ path: 'body.attachmentIds', message: `attachment '${a}' does not exist or belongs to another message; upload it again`, code: 'unavailable' })))
      await recordAudit(tx, requestActor(c), { action: `ticket.${kind}.created`, target: { type: 'ticket', id }, after: { entryId: made.id, ...(next !== ticket.status ? { status: next } : {}) } })
      return (await listEntries(tx, id)).find((e) => e.id === made.id)!
    })
    return c.json(entry, 201)
  }

  app.openapi(routes['customer-reply'], add('customer-reply') as never)
  app.openapi(routes['agent-reply'], add('agent-reply') as never)
  app.openapi(routes.note, add('note') as never)
}
