/**
 * Triggers (T4): list in order, read, add, replace, delete, reorder, activate / deactivate, the
 * result types on offer (built-in and from plugins), a dry run against an existing ticket, and
 * each trigger's execution log.
 *
 * Access: service administrators only, reads included: results hold callback and messenger hook
 * URLs, which often carry a secret token.
 */
import { commonErrors, json, jsonBody, recordAudit, requestActor, route, z, errors, type PlatformContext, type PluginApp, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError } from '../shared/errors.ts'
import { AssignResult, CallbackResult, Conditions, DoorayResult, EVENT_KINDS, ForwardResult, MAX_TRIGGERS, NotifyResult, PluginResult, type Trigger } from '../triggers/model.ts'
import { checkTrigger } from '../triggers/validate.ts'
import { countTriggers, deleteTrigger, findTrigger, insertTrigger, listTriggers, lockTriggers, reorderTriggers, setTriggerActive, updateTrigger } from '../triggers/store.ts'
import { listRuns } from '../triggers/log.ts'
import { dryRun } from '../triggers/dry-run.ts'
import { triggerActions } from '../triggers/actions.ts'

const tags = ['Triggers']
const admin = { role: 'admin' } as const

const ResultSchema = z
  .looseObject({ type: z.string().min(1).max(100) })
  .openapi('TicketTriggerResult', {
    description:
      "One result: 'assign' (TicketTriggerAssign), 'notify' (TicketTriggerNotify), 'forward' (TicketTriggerForward), 'callback' (TicketTriggerCallback), 'dooray' (TicketTriggerDooray), or a plugin's '<plugin>.<name>' with its 'params'. GET /ticket/trigger-actions lists every type with the JSON Schema of its parameters.",
    example: { type: 'notify', to: 'customer', format: 'text', messages: { ko: { subject: '문의 #{ticket.id} 접수', body: '#{customer.name}님, 문의가 접수되었습니다.' } } },
  })

const TriggerSchema = z
  .object({
    id: z.uuid(),
    position: z.number().int().openapi({ description: '0-based place in the evaluation order' }),
    title: z.string(),
    active: z.boolean(),
    conditions: Conditions,
    results: z.array(ResultSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TicketTrigger')

const TriggerInput = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    active: z.boolean().default(true),
    conditions: Conditions,
    results: z.array(ResultSchema).min(1, 'a trigger needs at least one result').max(20),
  })
  .openapi('TicketTriggerInput', {
    example: {
      title: 'VIP mail to the second line',
      active: true,
      conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'requesterDomain', operator: 'is', value: 'vip.example.com' }], any: [] },
      results: [{ type: 'assign', groupId: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10', mode: 'round-robin' }],
    },
  })

const RunSchema = z
  .object({
    id: z.uuid(),
    triggerId: z.uuid(),
    ticketId: z.uuid(),
    eventId: z.uuid(),
    eventKind: z.string(),
    ranAt: z.string(),
    results: z.array(z.object({ index: z.number().int(), type: z.string(), status: z.string(), detail: z.record(z.string(), z.unknown()).optional(), error: z.string().optional(), attempts: z.number().int().optional() })),
    errors: z.array(z.string()),
  })
  .openapi('TicketTriggerRun')

const DryRunInput = z
  .strictObject({
    ticketId: z.uuid(),
    event: z.enum(EVENT_KINDS).default('updated').openapi({ description: 'The kind of event to evaluate as' }),
    changed: z.array(z.string().max(200)).max(50).default([]).openapi({ description: "What the imagined event changed, e.g. ['status'] or ['fields.order_no']" }),
  })
  .openapi('TicketTriggerDryRunInput')
const DryRunOutput = z
  .object({
    triggers: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        position: z.number().int(),
        active: z.boolean(),
        matched: z.boolean(),
        results: z.array(z.object({ index: z.number().int(), type: z.string(), outcome: z.string(), preview: z.record(z.string(), z.unknown()) })),
      }),
    ),
  })
  .openapi('TicketTriggerDryRun')

const LogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
})

const ActionSchema = z.object({ type: z.string(), title: z.string(), description: z.string(), plugin: z.string().nullable(), paramsSchema: z.record(z.string(), z.unknown()).nullable() }).openapi('TicketTriggerActionType')

const routes = {
  list: route({ method: 'get', path: '/triggers', tags, access: admin, summary: 'Triggers, in evaluation order', responses: { 200: json(z.object({ triggers: z.array(TriggerSchema) }), 'Triggers'), ...commonErrors } }),
  get: route({ method: 'get', path: '/triggers/{id}', tags, access: admin, summary: 'One trigger', request: { params: IdParam }, responses: { 200: json(TriggerSchema, 'The trigger'), ...commonErrors } }),
  create: route({ method: 'post', path: '/triggers', tags, access: admin, summary: 'Add a trigger at the end of the list', request: jsonBody(TriggerInput), responses: { 201: json(TriggerSchema, 'Added'), ...commonErrors } }),
  replace: route({ method: 'put', path: '/triggers/{id}', tags, access: admin, summary: 'Change a trigger (title, conditions, results, active)', request: { params: IdParam, ...jsonBody(TriggerInput) }, responses: { 200: json(TriggerSchema, 'Changed'), ...commonErrors } }),
  remove: route({ method: 'delete', path: '/triggers/{id}', tags, access: admin, summary: 'Delete a trigger and its log', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  reorder: route({
    method: 'put',
    path: '/triggers/order',
    tags,
    access: admin,
    summary: 'Set the evaluation order',
    request: jsonBody(z.strictObject({ ids: z.array(z.uuid()).max(MAX_TRIGGERS).openapi({ description: "Every trigger's id, each once, in the new order" }) }).openapi('TicketTriggerOrder')),
    responses: { 200: json(z.object({ triggers: z.array(TriggerSchema) }), 'The list in its new order'), ...commonErrors },
  }),
  activate: route({ method: 'post', path: '/triggers/{id}/activate', tags, access: admin, summary: 'Activate a trigger', request: { params: IdParam }, responses: { 200: json(TriggerSchema, 'Active'), ...commonErrors } }),
  deactivate: route({ method: 'post', path: '/triggers/{id}/deactivate', tags, access: admin, summary: 'Deactivate a trigger (kept, not evaluated)', request: { params: IdParam }, responses: { 200: json(TriggerSchema, 'Inactive'), ...commonErrors } }),
  dryRun: route({
    method: 'post',
    path: '/triggers/dry-run',
    tags,
    access: admin,
    summary: 'Which triggers would match a ticket, and what they would do (nothing is done)',
    request: jsonBody(DryRunInput),
    responses: { 200: json(DryRunOutput, 'Every trigger in order, with what the matching ones would do'), ...commonErrors },
  }),
  log: route({
    method: 'get',
    path: '/triggers/{id}/log',
    tags,
    access: admin,
    summary: "A trigger's execution log, newest first",
    request: { params: IdParam, query: LogQuery },
    responses: { 200: json(z.object({ runs: z.array(RunSchema), nextCursor: z.string().nullable() }), 'One page'), ...commonErrors },
  }),
  actions: route({ method: 'get', path: '/trigger-actions', tags, access: admin, summary: 'Result types a trigger may use: built-in and from installed plugins', responses: { 200: json(z.object({ actions: z.array(ActionSchema) }), 'Result types'), ...commonErrors } }),
}

const BUILT_IN_ACTIONS = [
  { type: 'assign', title: 'Assign', description: 'Assign the ticket to a group and an agent (random, round-robin or named); the last matching trigger wins.', schema: AssignResult },
  { type: 'notify', title: 'Notify', description: 'Mail the assignee, an agent, a group or the customer (per-language subject and body with substitution codes).', schema: NotifyResult },
  { type: 'forward', title: 'Forward', description: 'Mail the ticket to an outside address, optionally completing it.', schema: ForwardResult },
  { type: 'callback', title: 'Callback URL', description: 'POST the ticket as JSON to a URL.', schema: CallbackResult },
  { type: 'dooray', title: 'Dooray! notification', description: 'Post a message to a Dooray! messenger incoming hook.', schema: DoorayResult },
] as const

const encodeCursor = (c: { at: string; id: string }) => btoa(`${c.at}|${c.id}`).replaceAll('=', '')
function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null
  try {
    const [at, id] = atob(cursor).split('|')
    if (at && id && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id)) return { at, id }
  } catch {
    // refused below
  }
  throw errors.invalid([{ path: 'query.cursor', message: 'not a cursor from this list; pass nextCursor unchanged', code: 'invalid_cursor' }])
}

export function registerTriggerRoutes(app: PluginApp, ctx: PluginContext): void {
  const view = (t: Trigger) => ({ ...t, results: [...t.results] as z.infer<typeof ResultSchema>[] })
  const existing = async (tx: TenantTx, id: string) => {
    const found = await findTrigger(tx, id)
    if (!found) throw notFoundAt('path.id', 'trigger', id)
    return found
  }
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `ticket.trigger.${verb}`, target: { type: 'ticket-trigger', id }, ...states })
  const summary = (t: Pick<Trigger, 'title' | 'active' | 'position'>) => ({ title: t.title, active: t.active, position: t.position })

  app.openapi(routes.list, async (c) => c.json({ triggers: (await c.var.db.tx((tx) => listTriggers(tx))).map(view) }, 200))

  app.openapi(routes.actions, (c) =>
    c.json(
      {
        actions: [
          ...BUILT_IN_ACTIONS.map((a) => ({ type: a.type, title: a.title, description: a.description, plugin: null, paramsSchema: z.toJSONSchema(a.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> })),
          ...triggerActions(ctx).map((a) => ({ type: a.type, title: a.title, description: a.description, plugin: a.pluginId, paramsSchema: safeJsonSchema(a.params) })),
        ],
      },
      200,
    ),
  )

  // Before '/{id}' routes: 'order' and 'dry-run' are not ids.
  app.openapi(routes.reorder, async (c) => {
    const { ids } = c.req.valid('json')
    const triggers = await c.var.db.tx(async (tx) => {
      await lockTriggers(tx)
      const current = await listTriggers(tx)
      const known = new Set(current.map((t) => t.id))
      const seen = new Set<string>()
      const issues = ids.flatMap((id, i) => {
        if (!known.has(id)) return [{ path: `body.ids.${i}`, message: `'${id}' is not a trigger of this service`, code: 'not_found' }]
        if (seen.has(id)) return [{ path: `body.ids.${i}`, message: `'${id}' is listed twice`, code: 'duplicate' }]
        seen.add(id)
        return []
      })
      const missing = current.filter((t) => !ids.includes(t.id))
      if (missing.length) issues.push({ path: 'body.ids', message: `every trigger must be listed once; missing ${missing.map((t) => `'${t.id}' (${t.title})`).join(', ')}`, code: 'not_a_permutation' })
      if (issues.length) throw errors.invalid(issues)
      await reorderTriggers(tx, ids)
      await audit(c, tx, 'reordered', 'all', { before: { ids: current.map((t) => t.id) }, after: { ids } })
      return listTriggers(tx)
    })
    return c.json({ triggers: triggers.map(view) }, 200)
  })

  app.openapi(routes.dryRun, async (c) => {
    const input = c.req.valid('json')
    return c.json((await dryRun(ctx, c.var.db, c.var.tenant.service, input)) as z.infer<typeof DryRunOutput>, 200)
  })

  app.openapi(routes.get, async (c) => c.json(view(await c.var.db.tx((tx) => existing(tx, c.req.valid('param').id))), 200))

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const created = await c.var.db.tx(async (tx) => {
      await lockTriggers(tx)
      if ((await countTriggers(tx)) >= MAX_TRIGGERS) throw ticketError('TICKET_LIMIT_REACHED', `this service already has ${MAX_TRIGGERS} triggers, the most it may hold; delete unused ones first`)
      const checked = await checkTrigger(tx, ctx, c.var.tenant.service, input)
      const row = await insertTrigger(tx, checked)
      await audit(c, tx, 'created', row.id, { after: summary(row) })
      return row
    })
    return c.json(view(created), 201)
  })

  app.openapi(routes.replace, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const updated = await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id)
      const checked = await checkTrigger(tx, ctx, c.var.tenant.service, input)
      const after = await updateTrigger(tx, id, checked)
      await audit(c, tx, 'updated', id, { before: { ...summary(before), conditions: before.conditions, results: before.results }, after: { ...summary(after), conditions: after.conditions, results: after.results } })
      return after
    })
    return c.json(view(updated), 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      await lockTriggers(tx)
      const before = await existing(tx, id)
      await deleteTrigger(tx, id)
      await audit(c, tx, 'deleted', id, { before: summary(before) })
    })
    return c.body(null, 204)
  })

  const toggle = (active: boolean) => async (c: PlatformContext & { req: { valid(target: 'param'): { id: string } } }) => {
    const { id } = c.req.valid('param')
    const after = await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id)
      if (before.active === active) return before
      const row = await setTriggerActive(tx, id, active)
      await audit(c, tx, active ? 'activated' : 'deactivated', id, { before: { active: before.active }, after: { active } })
      return row
    })
    return c.json(view(after), 200)
  }
  app.openapi(routes.activate, toggle(true) as never)
  app.openapi(routes.deactivate, toggle(false) as never)

  app.openapi(routes.log, async (c) => {
    const { id } = c.req.valid('param')
    const { limit, cursor } = c.req.valid('query')
    const before = decodeCursor(cursor)
    const page = await c.var.db.tx(async (tx) => {
      await existing(tx, id)
      return listRuns(tx, id, limit, before)
    })
    return c.json({ runs: page.runs as z.infer<typeof RunSchema>[], nextCursor: page.next ? encodeCursor(page.next) : null }, 200)
  })
}

function safeJsonSchema(schema: z.ZodType): Record<string, unknown> | null {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  } catch {
    return null
  }
}
