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
 *
 * The rules live in the tickets service (tickets/entries.ts), which writes every message.
 */
import { commonErrors, ErrorBody, json, jsonBody, route, z, type PlatformContext, type PluginApp, type PluginContext } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt } from '../shared/errors.ts'
import { requestTicketsActor } from '../tickets/actor.ts'
import { AttachmentSchema, EntryInput, EntrySchema, type EntryKind } from '../tickets/schemas.ts'
import { findTicket, listEntries } from '../tickets/store.ts'
import { ticketsService } from '../tickets/service.ts'

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

export function registerTicketEntryRoutes(app: PluginApp, ctx: PluginContext): void {
  const tickets = ticketsService(ctx)
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
    const caller = { service: c.var.tenant.service, actor: requestTicketsActor(c) }
    const entry = await c.var.db.tx(async (tx) => {
      const made = await tickets.addEntry(tx, caller, id, { kind, content: input.content, status: input.status, attachmentIds: input.attachmentIds })
      if (!made) throw notFoundAt('path.id', 'ticket', id)
      return made
    })
    return c.json(entry, 201)
  }

  app.openapi(routes['customer-reply'], add('customer-reply') as never)
  app.openapi(routes['agent-reply'], add('agent-reply') as never)
  app.openapi(routes.note, add('note') as never)
}
