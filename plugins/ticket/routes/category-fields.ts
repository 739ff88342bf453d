/**
 * The customer fields of an intake category (T5): the form customers fill when they pick it.
 * Read the form, replace the attached list (attach, detach and reorder in one), attach one, or
 * detach one. The help-center system fields are always on the form; attaching them only places them.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type FieldIssue, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { notFoundAt, ticketError, unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { categoryKindOf, lockCategoryTree } from '../categories/store.ts'
import { attachedFieldIds, intakeFormFields, MAX_FIELDS_PER_CATEGORY, replaceAttachedFields } from '../fields/category-fields-store.ts'
import { FieldSchema } from '../fields/schemas.ts'
import { listFields } from '../fields/store.ts'
import { fieldView } from '../fields/views.ts'
import type { FieldDefinition } from '../fields/types.ts'

const tags = ['Fields']
const admin = { role: 'admin' } as const

const CategoryParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Intake category id' }) })
const AttachmentParams = CategoryParam.extend({ fieldId: z.uuid().openapi({ param: { name: 'fieldId', in: 'path' } }) })

const CategoryForm = z
  .object({
    categoryId: z.uuid(),
    fields: z.array(FieldSchema.extend({ implicit: z.boolean().openapi({ description: 'On the form without being attached (a help-center system field not placed)' }) })),
  })
  .openapi('TicketCategoryForm')

const FormQuery = z.object({
  channel: z.enum(['all', 'helpcenter']).default('all').openapi({ description: "'helpcenter' leaves out the phone system fields, as the help center does" }),
})

const routes = {
  get: route({ method: 'get', path: '/intake-categories/{id}/fields', tags, access: 'authenticated', summary: 'The customer fields of an intake category, in form order', request: { params: CategoryParam, query: FormQuery }, responses: { 200: json(CategoryForm, 'The form'), ...commonErrors } }),
  replace: route({
    method: 'put',
    path: '/intake-categories/{id}/fields',
    tags,
    access: admin,
    summary: 'Replace the attached customer fields (attach, detach and reorder at once)',
    request: { params: CategoryParam, ...jsonBody(z.strictObject({ fieldIds: z.array(z.uuid()).max(MAX_FIELDS_PER_CATEGORY) }).openapi('TicketCategoryFieldsPut')) },
    responses: { 200: json(CategoryForm, 'The form'), ...commonErrors },
  }),
  attach: route({
    method: 'post',
    path: '/intake-categories/{id}/fields',
    tags,
    access: admin,
    summary: 'Attach one customer field',
    request: { params: CategoryParam, ...jsonBody(z.strictObject({ fieldId: z.uuid(), position: z.number().int().min(1).optional().openapi({ description: '1-based place among the attached fields; the end when left out' }) }).openapi('TicketCategoryFieldAttach')) },
    responses: { 200: json(CategoryForm, 'The form'), 409: json(ErrorBody, 'Already attached'), ...commonErrors },
  }),
  detach: route({
    method: 'delete',
    path: '/intake-categories/{id}/fields/{fieldId}',
    tags,
    access: admin,
    summary: 'Detach one customer field',
    request: { params: AttachmentParams },
    responses: { 204: { description: 'Detached' }, 409: json(ErrorBody, 'A help-center system field'), ...commonErrors },
  }),
}

export function registerCategoryFieldRoutes(app: PluginApp): void {
  const intakeCategory = async (tx: TenantTx, id: string) => {
    if ((await categoryKindOf(tx, id)) !== 'intake') throw notFoundAt('path.id', 'intake category', id)
  }
  const form = async (c: PlatformContext, tx: TenantTx, categoryId: string, channel: 'all' | 'helpcenter' = 'all') => {
    const fields = await intakeFormFields(tx, c.var.tenant.service, categoryId, { includePhoneFields: channel === 'all' })
    return { categoryId, fields: fields.map(({ field, implicit }) => ({ ...fieldView(field), implicit })) }
  }
  /** A locked change to one category's attachments, audited with the list before and after. */
  const change = (c: PlatformContext, categoryId: string, fn: (tx: TenantTx, current: string[], customer: Map<string, FieldDefinition>) => Promise<string[]>) =>
    c.var.db.tx(async (tx) => {
      await lockCategoryTree(tx, 'intake')
      await intakeCategory(tx, categoryId)
      const customer = new Map((await listFields(tx, c.var.tenant.service, 'customer')).map((f) => [f.id, f]))
      const current = await attachedFieldIds(tx, categoryId)
      const next = await fn(tx, current, customer)
      await replaceAttachedFields(tx, categoryId, next)
      const codes = (ids: string[]) => ids.map((id) => customer.get(id)!.code)
      await recordAudit(tx, requestActor(c), { action: 'ticket.intake-category.fields-updated', target: { type: 'ticket-intake-category', id: categoryId }, before: codes(current), after: codes(next) })
      return form(c, tx, categoryId)
    })
  /** The field must exist in this service (422 `unknown_reference`) and be a customer field (422). */
  const customerField = async (tx: TenantTx, customer: Map<string, FieldDefinition>, id: string, path: string): Promise<FieldIssue | null> => {
    if (customer.has(id)) return null
    const [other] = await tx.sql<{ code: string }>`SELECT code FROM ticket_fields WHERE id = ${id}`
    if (!other) throw unknownAt(path, ticketReferences.field, id)
    return { path, message: `'${other.code}' is an agent field; only customer fields go on an intake category's form`, code: 'agent_field' }
  }

  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param')
    const { channel } = c.req.valid('query')
    const body = await c.var.db.tx(async (tx) => {
      await intakeCategory(tx, id)
      return form(c, tx, id, channel)
    })
    return c.json(body, 200)
  })

  app.openapi(routes.replace, async (c) => {
    const { id } = c.req.valid('param')
    const { fieldIds } = c.req.valid('json')
    const body = await change(c, id, async (tx, _current, customer) => {
      const issues: FieldIssue[] = []
      for (const [index, fieldId] of fieldIds.entries()) {
        const issue = await customerField(tx, customer, fieldId, `body.fieldIds.${index}`)
        if (issue) issues.push(issue)
        if (fieldIds.indexOf(fieldId) !== index) issues.push({ path: `body.fieldIds.${index}`, message: `'${customer.get(fieldId)?.code ?? fieldId}' is listed twice; list each field once`, code: 'duplicate' })
      }
      if (issues.length) throw errors.invalid(issues)
      return fieldIds
    })
    return c.json(body, 200)
  })

  app.openapi(routes.attach, async (c) => {
    const { id } = c.req.valid('param')
    const { fieldId, position } = c.req.valid('json')
    const body = await change(c, id, async (tx, current, customer) => {
      const issue = await customerField(tx, customer, fieldId, 'body.fieldId')
      if (issue) throw errors.invalid([issue])
      const code = customer.get(fieldId)!.code
      if (current.includes(fieldId)) throw errors.conflict(`field '${code}' is already attached to this category; use PUT /ticket/intake-categories/${id}/fields to move it`)
      if (current.length >= MAX_FIELDS_PER_CATEGORY) throw ticketError('TICKET_LIMIT_REACHED', `this category already has ${MAX_FIELDS_PER_CATEGORY} fields attached, the most a form may hold; detach one first`)
      const place = position ?? current.length + 1
      if (place > current.length + 1) throw errors.invalid([{ path: 'body.position', message: `${current.length} fields are attached; use a position from 1 to ${current.length + 1}, or leave it out to add at the end` }])
      const next = [...current]
      next.splice(place - 1, 0, fieldId)
      return next
    })
    return c.json(body, 200)
  })

  app.openapi(routes.detach, async (c) => {
    const { id, fieldId } = c.req.valid('param')
    await change(c, id, async (_tx, current, customer) => {
      const field = customer.get(fieldId)
      if (field?.system === 'helpcenter') throw ticketError('TICKET_SYSTEM_FIELD', `'${field.code}' is a help-center system field and belongs to every intake category's form; it can be moved (PUT .../fields) but not detached`)
      if (!field || !current.includes(fieldId)) throw notFoundAt('path.fieldId', 'attached field', fieldId)
      return current.filter((f) => f !== fieldId)
    })
    return c.body(null, 204)
  })
}
