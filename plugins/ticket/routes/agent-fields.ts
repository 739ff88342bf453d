/**
 * Agent fields (T5): the fields agents fill on a ticket, in the order the ticket screen shows
 * them, each visible to administrators only or to every agent. Defining and editing them is
 * done through /ticket/fields with `audience: 'agent'`.
 */
import { commonErrors, errors, json, jsonBody, recordAudit, requestActor, route, z, type FieldIssue, type PluginApp } from '../../../core/mod.ts'
import { FieldList } from '../fields/schemas.ts'
import { listFields, lockAgentFieldOrder, setAgentFieldOrder } from '../fields/store.ts'
import { canSeeField, fieldView } from '../fields/views.ts'

const tags = ['Fields']

const AgentFieldOrder = z
  .strictObject({ fieldIds: z.array(z.uuid()).max(500).openapi({ description: 'Every agent field, exactly once, in the new order' }) })
  .openapi('TicketAgentFieldOrder')

const routes = {
  list: route({
    method: 'get',
    path: '/agent-fields',
    tags,
    access: 'authenticated',
    summary: 'Agent fields in order (administrators also see admins-only fields)',
    responses: { 200: json(FieldList, 'Agent fields'), ...commonErrors },
  }),
  order: route({
    method: 'put',
    path: '/agent-fields/order',
    tags,
    access: { role: 'admin' },
    summary: 'Reorder the agent fields',
    request: jsonBody(AgentFieldOrder),
    responses: { 200: json(FieldList, 'Agent fields in their new order'), ...commonErrors },
  }),
}

export function registerAgentFieldRoutes(app: PluginApp): void {
  app.openapi(routes.list, async (c) => {
    const fields = await c.var.db.tx((tx) => listFields(tx, c.var.tenant.service, 'agent'))
    return c.json({ fields: fields.filter((f) => canSeeField(c.var.principal, f)).map(fieldView) }, 200)
  })

  app.openapi(routes.order, async (c) => {
    const { fieldIds } = c.req.valid('json')
    const fields = await c.var.db.tx(async (tx) => {
      await lockAgentFieldOrder(tx)
      const current = await listFields(tx, c.var.tenant.service, 'agent')
      const known = new Set(current.map((f) => f.id))
      const listed = new Set(fieldIds)
      const issues: FieldIssue[] = []
      const strangers = fieldIds.filter((id) => !known.has(id))
      const missing = current.filter((f) => !listed.has(f.id)).map((f) => f.code)
      if (listed.size !== fieldIds.length) issues.push({ path: 'body.fieldIds', message: 'lists a field more than once; list each agent field exactly once', code: 'duplicate' })
      if (strangers.length) issues.push({ path: 'body.fieldIds', message: `${strangers.join(', ')} ${strangers.length === 1 ? 'is not an agent field' : 'are not agent fields'} of this service; list only agent fields`, code: 'not_an_agent_field' })
      if (missing.length) issues.push({ path: 'body.fieldIds', message: `leaves out ${missing.join(', ')}; list every agent field`, code: 'missing_field' })
      if (issues.length) throw errors.invalid(issues)
      await setAgentFieldOrder(tx, fieldIds)
      await recordAudit(tx, requestActor(c), { action: 'ticket.agent-fields.reordered', target: { type: 'ticket-agent-fields', id: 'order' }, before: current.map((f) => f.code), after: fieldIds.map((id) => current.find((f) => f.id === id)!.code) })
      return listFields(tx, c.var.tenant.service, 'agent')
    })
    return c.json({ fields: fields.map(fieldView) }, 200)
  })
}
