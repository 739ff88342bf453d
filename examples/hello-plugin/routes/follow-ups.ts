/**
 * Follow-ups: a greeting that also files a ticket, through the ticket plugin's tickets service
 * (`ticketsRef`), in the greeting's own transaction: the greeting, its event and the ticket (with
 * its history, events and audit entry) are written together or not at all.
 */
import { commonErrors, json, jsonBody, route, z, type PluginApp } from 'opencontact'
import { ticketsRef } from '../../../plugins/ticket/api.ts'
import type { HelloContext } from '../context.ts'
import { addGreeting } from '../greet.ts'

const FollowUpCreate = z
  .strictObject({
    name: z.string().min(1).max(100),
    email: z.email().max(254).optional().openapi({ description: "The person's address, the ticket's requester" }),
    message: z.string().min(1).max(2000).openapi({ description: 'What to follow up on: the content of the ticket' }),
  })
  .openapi('HelloFollowUpCreate')

const FollowUp = z
  .object({
    greetingId: z.string(),
    text: z.string(),
    ticket: z.object({ id: z.string(), number: z.number().int(), status: z.string() }),
  })
  .openapi('HelloFollowUp')

const createFollowUp = route({
  method: 'post',
  path: '/follow-ups',
  access: { permission: 'hello' },
  tags: ['Hello'],
  summary: 'Greet someone and file a ticket to follow up, in one transaction',
  request: jsonBody(FollowUpCreate),
  responses: { 201: json(FollowUp, 'The greeting and its ticket'), ...commonErrors },
})

export function followUpRoutes(app: PluginApp, ctx: HelloContext): void {
  app.openapi(createFollowUp, async (c) => {
    const { name, email, message } = c.req.valid('json')
    const actor = { kind: 'request', principal: c.var.principal, ip: c.var.clientAddress, requestId: c.var.requestId } as const
    const made = await c.var.db.tx(async (tx) => {
      const greeting = (await addGreeting(ctx, tx, await ctx.settings(tx), name))!
      // A refusal here (say, a required field of the service's form) rolls the greeting back too.
      const ticket = await ctx.use(ticketsRef).create(tx, { service: c.var.tenant.service, actor }, {
        title: `Follow up with ${name}`,
        content: message,
        channel: 'api',
        requester: { name, email: email ?? null },
      })
      return { greetingId: greeting.id, text: greeting.text, ticket: { id: ticket.id, number: ticket.number, status: ticket.status } }
    })
    return c.json(made, 201)
  })
}
