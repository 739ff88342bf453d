/**
 * Field definitions (T5): list, read, define, edit, reset (system fields) and delete. Codes are
 * claimed for good when a field is defined; system fields keep their code, type and details.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError } from '../shared/errors.ts'
import { issuesFrom } from '../shared/zod-issues.ts'
import { FIELD_DETAILS, FieldCreate, FieldList, FieldPatch, FieldSchema } from '../fields/schemas.ts'
import { claimFieldCode, deleteField, findField, insertField, listFields, updateField } from '../fields/store.ts'
import { NEVER_SEALED, SYSTEM_FIELD_BY_CODE, systemFieldNames } from '../fields/system-fields.ts'
import { requestReseal } from '../fields/reseal.ts'
import { canSeeField, fieldView } from '../fields/views.ts'
import { optionLabelIssues, textIssues } from '../fields/checks.ts'
import type { FieldDefinition, FieldDetails } from '../fields/types.ts'

const tags = ['Fields']
const admin = { role: 'admin' } as const

const routes = {
  list: route({
    method: 'get',
    path: '/fields',
    tags,
    access: 'authenticated',
    summary: 'Field definitions: customer fields (system ones first), then agent fields in order',
    description: 'The system fields are created on first use. Agent fields shown to administrators only are left out for other callers.',
    request: { query: z.object({ audience: z.enum(['customer', 'agent']).optional() }) },
    responses: { 200: json(FieldList, 'Fields'), ...commonErrors },
  }),
  get: route({ method: 'get', path: '/fields/{id}', tags, access: 'authenticated', summary: 'One field definition', request: { params: IdParam }, responses: { 200: json(FieldSchema, 'The field'), ...commonErrors } }),
  create: route({
    method: 'post',
    path: '/fields',
    tags,
    access: admin,
    summary: 'Define a field',
    description: 'The code is taken for good: it cannot be used again in this service, even after the field is deleted.',
    request: jsonBody(FieldCreate),
    responses: { 201: json(FieldSchema, 'Defined'), 409: json(ErrorBody, 'Code used before'), ...commonErrors },
  }),
  patch: route({
    method: 'patch',
    path: '/fields/{id}',
    tags,
    access: admin,
    summary: "Edit a field's names, help texts, flags or details",
    description: 'The code, type and audience never change. System fields keep their details; title, intake type, content and privacy consent stay required.',
    request: { params: IdParam, ...jsonBody(FieldPatch) },
    responses: { 200: json(FieldSchema, 'Updated'), ...commonErrors },
  }),
  reset: route({
    method: 'post',
    path: '/fields/{id}/reset',
    tags,
    access: admin,
    summary: 'Reset a system field to its defaults (names, help texts, required, personal info)',
    request: { params: IdParam },
    responses: { 200: json(FieldSchema, 'Reset'), 409: json(ErrorBody, 'Not a system field'), ...commonErrors },
  }),
  remove: route({
    method: 'delete',
    path: '/fields/{id}',
    tags,
    access: admin,
    summary: 'Delete a field (it is detached from every intake category; its code stays taken)',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, 409: json(ErrorBody, 'A system field'), ...commonErrors },
  }),
}

/** What the audit trail keeps of a field. */
const auditState = (f: FieldDefinition) => ({ code: f.code, audience: f.audience, type: f.type, names: f.names, descriptions: f.descriptions, placeholders: f.placeholders, required: f.required, personalInfo: f.personalInfo, visibility: f.visibility, details: f.details })

export function registerFieldRoutes(app: PluginApp): void {
  const visibleField = async (c: PlatformContext, tx: TenantTx, id: string) => {
    const field = await findField(tx, c.var.tenant.service, id)
    if (!field || !canSeeField(c.var.principal, field)) throw notFoundAt('path.id', 'field', id)
    return field
  }
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `ticket.field.${verb}`, target: { type: 'ticket-field', id }, ...states })

  app.openapi(routes.list, async (c) => {
    const { audience } = c.req.valid('query')
    const fields = await c.var.db.tx((tx) => listFields(tx, c.var.tenant.service, audience))
    return c.json({ fields: fields.filter((f) => canSeeField(c.var.principal, f)).map(fieldView) }, 200)
  })

  app.openapi(routes.get, async (c) => {
    const field = await c.var.db.tx((tx) => visibleField(c, tx, c.req.valid('param').id))
    return c.json(fieldView(field), 200)
  })

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json')
    const service = c.var.tenant.service
    const issues = [...textIssues(body, service), ...optionLabelIssues(body.details as FieldDetails | undefined, service)]
    if (SYSTEM_FIELD_BY_CODE.has(body.code)) issues.push({ path: 'body.code', message: `'${body.code}' is the code of a system field; pick another code`, code: 'reserved' })
    if (body.audience === 'customer' && body.visibility) issues.push({ path: 'body.visibility', message: 'only agent fields have a visibility; remove it, or define an agent field', code: 'not_applicable' })
    if (issues.length) throw errors.invalid(issues)
    const created = await c.var.db.tx(async (tx) => {
      await listFields(tx, service) // creates the system fields first, so their codes are claimed before any other
      if (!(await claimFieldCode(tx, body.code))) {
        const [live] = await tx.sql<{ id: string }>`SELECT id FROM ticket_fields WHERE code = ${body.code}`
        const by = live ? `by field ${live.id}` : 'by a field since deleted'
        throw ticketError('TICKET_FIELD_CODE_USED', `field code '${body.code}' was already used in this service (${by}); codes are never reused, so pick another`, [{ path: 'body.code', message: `'${body.code}' was used before; pick another code`, code: 'code_used' }])
      }
      const id = await insertField(tx, {
        code: body.code,
        audience: body.audience,
        type: body.type,
        names: body.names,
        descriptions: body.descriptions ?? {},
        placeholders: body.placeholders ?? {},
        required: body.required ?? false,
        personalInfo: body.personalInfo ?? false,
        visibility: body.audience === 'agent' ? (body.visibility ?? 'agents') : null,
        details: (body.details ?? {}) as FieldDetails,
      })
      const field = (await findField(tx, service, id))!
      await audit(c, tx, 'created', id, { after: auditState(field) })
      return field
    })
    return c.json(fieldView(created), 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const service = c.var.tenant.service
    const updated = await c.var.db.tx(async (tx) => {
      const field = await visibleField(c, tx, id)
      const spec = field.system ? SYSTEM_FIELD_BY_CODE.get(field.code) : undefined
      const issues = textIssues(body, service)
      if (body.required === false && spec?.requiredLocked) issues.push({ path: 'body.required', message: `'${field.code}' is a system field the system requires; it cannot be made optional`, code: 'required_locked' })
      if (body.visibility && field.audience !== 'agent') issues.push({ path: 'body.visibility', message: 'only agent fields have a visibility; remove it', code: 'not_applicable' })
      if (body.personalInfo && field.system && NEVER_SEALED.has(field.code)) {
        issues.push({ path: 'body.personalInfo', message: `'${field.code}' cannot be encrypted: ${NEVER_SEALED.get(field.code)}`, code: 'not_applicable' })
      }
      let details = field.details
      if (body.details) {
        if (field.system) {
          issues.push({ path: 'body.details', message: `the details of system field '${field.code}' are fixed; remove 'details'`, code: 'system_field' })
        } else {
          const parsed = FIELD_DETAILS[field.type].safeParse(body.details)
          if (parsed.success) {
            details = parsed.data as FieldDetails
            issues.push(...optionLabelIssues(details, service))
          } else {
            issues.push(...issuesFrom(parsed.error, 'body.details'))
          }
        }
      }
      if (issues.length) throw errors.invalid(issues)
      await updateField(tx, id, {
        names: body.names ?? field.names,
        descriptions: body.descriptions ?? field.descriptions,
        placeholders: body.placeholders ?? field.placeholders,
        required: body.required ?? field.required,
        personalInfo: body.personalInfo ?? field.personalInfo,
        visibility: body.visibility ?? field.visibility,
        details,
      })
      if (body.personalInfo !== undefined && body.personalInfo !== field.personalInfo) await requestReseal(tx, field.code)
      const after = (await findField(tx, service, id))!
      await audit(c, tx, 'updated', id, { before: auditState(field), after: auditState(after) })
      return after
    })
    return c.json(fieldView(updated), 200)
  })

  app.openapi(routes.reset, async (c) => {
    const { id } = c.req.valid('param')
    const service = c.var.tenant.service
    const reset = await c.var.db.tx(async (tx) => {
      const field = await visibleField(c, tx, id)
      const spec = field.system ? SYSTEM_FIELD_BY_CODE.get(field.code) : undefined
      if (!spec) throw ticketError('TICKET_SYSTEM_FIELD', `'${field.code}' is not a system field, so it has no defaults to reset to; edit it with PATCH instead`)
      await updateField(tx, id, { names: systemFieldNames(spec, service.languages), descriptions: {}, placeholders: {}, required: spec.required, personalInfo: false, visibility: null, details: spec.details })
      if (field.personalInfo) await requestReseal(tx, field.code)
      const after = (await findField(tx, service, id))!
      await audit(c, tx, 'reset', id, { before: auditState(field), after: auditState(after) })
      return after
    })
    return c.json(fieldView(reset), 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const field = await visibleField(c, tx, id)
      if (field.system) throw ticketError('TICKET_SYSTEM_FIELD', `'${field.code}' is a system field and cannot be deleted; reset it or rename it instead`)
      await deleteField(tx, field)
      await audit(c, tx, 'deleted', id, { before: auditState(field) })
    })
    return c.body(null, 204)
  })
}
