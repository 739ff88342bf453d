/**
 * Field definitions, category forms and agent fields over the API, on both drivers: system
 * fields created on first use, codes never reused, type-specific details checked, system fields
 * protected, forms per intake category, agent field order and visibility, isolation and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok, ticketTestBed, type TicketTestBed } from '../test-support.ts'
import { ticketFieldSpec } from './ticket-fields.ts'
import { validateFieldValues } from './validate-values.ts'
import { fieldOptionNamesMigration } from './migrations.ts'

describe.each(DRIVERS)('ticket fields on %s', (driver) => {
  let bed: TicketTestBed
  let fields: string
  beforeAll(async () => {
    bed = await ticketTestBed(driver, 'field-org')
    fields = `${bed.api}/ticket/fields`
  })
  afterAll(() => bed.t.close())

  const define = (body: Record<string, unknown>) => ok(bed.call(fields, { body }), 201)
  const refused = async (body: Record<string, unknown>, status = 422) => {
    const res = await bed.call(fields, { body })
    expect(res.status, JSON.stringify(res.body)).toBe(status)
    return res.body.error
  }
  const byCode = async (code: string) => (await ok(bed.call(fields))).fields.find((f: { code: string }) => f.code === code)

  it('creates the system fields on first use, with fixed codes, in the guide order', async () => {
    const list = await ok(bed.call(`${fields}?audience=customer`))
    expect(list.fields.map((f: { code: string }) => f.code)).toEqual(['intake_type', 'email', 'title', 'content', 'privacy_consent', 'call_time', 'call_direction', 'reservation', 'reservation_time', 'reservation_number'])
    const title = list.fields.find((f: { code: string }) => f.code === 'title')
    expect(title).toMatchObject({ system: 'helpcenter', type: 'text', required: true, requiredLocked: true, names: { ko: '제목', en: 'Title' }, audience: 'customer' })
    expect(list.fields.find((f: { code: string }) => f.code === 'email')).toMatchObject({ required: true, requiredLocked: false })
    expect(list.fields.find((f: { code: string }) => f.code === 'intake_type')).toMatchObject({ type: 'dropdown', optionSource: 'intake-categories' })
    expect(list.fields.find((f: { code: string }) => f.code === 'call_direction')).toMatchObject({ system: 'phone', type: 'radio', details: { options: [{ value: 'in' }, { value: 'out' }] } })
    // Idempotent: a second read adds nothing.
    expect((await ok(bed.call(fields))).fields).toHaveLength(10)
  })

  it('defines fields of every type with their details', async () => {
    const orderNo = await define({ audience: 'customer', code: 'order_number', type: 'text', names: { ko: '주문번호', en: 'Order number' }, descriptions: { ko: '주문 내역에서 확인하세요' }, placeholders: { ko: 'AB123456' }, required: true, personalInfo: false, details: { maxLength: 8, pattern: '[A-Z]{2}[0-9]{6}' } })
    expect(orderNo).toMatchObject({ code: 'order_number', system: null, required: true, requiredLocked: false, visibility: null, position: null, details: { maxLength: 8, pattern: '[A-Z]{2}[0-9]{6}' } })
    const payment = await define({ audience: 'customer', code: 'payment', type: 'dropdown', names: { ko: '결제수단' }, details: { options: [{ value: 'card', names: { ko: '카드', en: 'Card' } }, { value: 'bank', names: { ko: '계좌이체' } }] } })
    expect(payment.details.options).toHaveLength(2)
    const resident = await define({ audience: 'customer', code: 'resident_no', type: 'text', names: { ko: '주민번호' }, personalInfo: true })
    expect(resident.personalInfo).toBe(true)
    for (const [code, type, details] of [
      ['memo', 'textarea', { minLength: 2, maxLength: 500 }],
      ['quantity', 'number', { min: 1, max: 99, integer: true }],
      ['contact_mail', 'email', undefined],
      ['contact_phone', 'phone', undefined],
      ['agree_sms', 'checkbox', undefined],
      ['topics', 'checkbox', { options: [{ value: 'a', names: { ko: '가' } }] }],
      ['gender', 'radio', { options: [{ value: 'f', names: { ko: '여' } }, { value: 'm', names: { ko: '남' } }] }],
      ['interests', 'multi-select', { options: [{ value: 'x', names: { ko: '엑스' } }], maxSelected: 1 }],
      ['visit_date', 'date', { min: '2024-01-01', max: '2030-12-31', range: true }],
      ['visit_at', 'datetime', { min: '2024-01-01T00:00:00+09:00' }],
    ] as const) {
      const made = await define({ audience: 'customer', code, type, names: { ko: code }, ...(details ? { details } : {}) })
      expect(made).toMatchObject({ code, type, details: details ?? {} })
    }
  })

  it('refuses missing and mistyped input, unsafe patterns and inconsistent details', async () => {
    expect((await refused({ audience: 'customer', code: 'no_names', type: 'text' })).issues[0].path).toBe('body.names')
    expect((await refused({ audience: 'customer', code: 'typed', type: 'text', names: { ko: '가' }, required: 'yes' })).issues[0].path).toBe('body.required')
    expect((await refused({ audience: 'customer', code: 'weird', type: 'slider', names: { ko: '가' } })).issues[0].path).toBe('body.type')
    expect((await refused({ audience: 'customer', code: 'Bad-Code', type: 'text', names: { ko: '가' } })).issues[0]).toMatchObject({ path: 'body.code' })
    expect((await refused({ audience: 'customer', code: 'extra', type: 'text', names: { ko: '가' }, colour: 1 })).issues[0]).toMatchObject({ path: 'body.colour', code: 'unknown_field' })
    expect((await refused({ audience: 'customer', code: 'extra2', type: 'email', names: { ko: '가' }, details: { maxLength: 3 } })).issues[0]).toMatchObject({ path: 'body.details.maxLength', code: 'unknown_field' })
    const broken = await refused({ audience: 'customer', code: 'broken', type: 'text', names: { ko: '가' }, details: { pattern: '([a-z' } })
    expect(broken.issues[0].path).toBe('body.details.pattern')
    expect(broken.issues[0].message).toContain('does not compile')
    const slow = await refused({ audience: 'customer', code: 'slow', type: 'text', names: { ko: '가' }, details: { pattern: '(a+)+$' } })
    expect(slow.issues[0].message).toContain('very slow')
    expect((await refused({ audience: 'customer', code: 'range', type: 'number', names: { ko: '가' }, details: { min: 5, max: 1 } })).issues[0].path).toBe('body.details.min')
    expect((await refused({ audience: 'customer', code: 'no_options', type: 'radio', names: { ko: '가' } })).issues[0].path).toBe('body.details')
    expect((await refused({ audience: 'customer', code: 'empty_options', type: 'dropdown', names: { ko: '가' }, details: { options: [] } })).issues[0].path).toBe('body.details.options')
    const twice = await refused({ audience: 'customer', code: 'twice', type: 'radio', names: { ko: '가' }, details: { options: [{ value: 'a', names: { ko: '가' } }, { value: 'a', names: { ko: '나' } }] } })
    expect(twice.issues[0].path).toBe('body.details.options.1.value')
    const label = await refused({ audience: 'customer', code: 'label', type: 'radio', names: { ko: '가' }, details: { options: [{ value: 'a', names: { en: 'A' } }] } })
    expect(label.issues[0].path).toBe('body.details.options.0.names.ko')
    expect((await refused({ audience: 'customer', code: 'bad_date', type: 'date', names: { ko: '가' }, details: { min: '2024-02-30' } })).issues[0].path).toBe('body.details.min')
    expect((await refused({ audience: 'customer', code: 'seen', type: 'text', names: { ko: '가' }, visibility: 'admins' })).issues[0].path).toBe('body.visibility')
    expect((await refused({ audience: 'customer', code: 'title', type: 'text', names: { ko: '가' } })).issues[0]).toMatchObject({ path: 'body.code', code: 'reserved' })
  })

  it('never lets a code be used twice, not even after its field is deleted', async () => {
    const used = await refused({ audience: 'agent', code: 'order_number', type: 'text', names: { ko: '다시' } }, 409)
    expect(used.code).toBe('TICKET_FIELD_CODE_USED')
    expect(used.issues[0].path).toBe('body.code')
    const gone = await define({ audience: 'customer', code: 'short_lived', type: 'text', names: { ko: '잠깐' } })
    expect((await bed.call(`${fields}/${gone.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${fields}/${gone.id}`)).status).toBe(404)
    const again = await refused({ audience: 'customer', code: 'short_lived', type: 'number', names: { ko: '다시' } }, 409)
    expect(again.message).toContain('by a field since deleted')
    // Codes are per service: another organization may use the same code.
    expect((await bed.call(`${bed.otherApi}/ticket/fields`, { body: { audience: 'customer', code: 'short_lived', type: 'text', names: { ko: '남' } } })).status).toBe(201)
  })

  it('edits fields, keeps system fields required where the system needs them, and resets them', async () => {
    const title = await byCode('title')
    const optional = await bed.call(`${fields}/${title.id}`, { method: 'PATCH', body: { required: false } })
    expect(optional.status).toBe(422)
    expect(optional.body.error.issues[0]).toMatchObject({ path: 'body.required', code: 'required_locked' })
    for (const code of ['intake_type', 'content', 'privacy_consent']) {
      expect((await bed.call(`${fields}/${(await byCode(code)).id}`, { method: 'PATCH', body: { required: false } })).status).toBe(422)
    }
    const fixedDetails = await bed.call(`${fields}/${title.id}`, { method: 'PATCH', body: { details: { maxLength: 10 } } })
    expect(fixedDetails.body.error.issues[0]).toMatchObject({ path: 'body.details', code: 'system_field' })
    const renamed = await ok(bed.call(`${fields}/${title.id}`, { method: 'PATCH', body: { names: { ko: '문의 제목', en: 'Subject' }, descriptions: { ko: '짧게' } } }))
    expect(renamed).toMatchObject({ names: { ko: '문의 제목', en: 'Subject' }, descriptions: { ko: '짧게' }, required: true })
    const email = await byCode('email')
    expect(await ok(bed.call(`${fields}/${email.id}`, { method: 'PATCH', body: { required: false } }))).toMatchObject({ required: false, personalInfo: false })
    expect(await ok(bed.call(`${fields}/${email.id}/reset`, { method: 'POST' }))).toMatchObject({ required: true, personalInfo: false, names: { ko: '이메일', en: 'E-mail' } })
    const reservationNumber = await byCode('reservation_number')
    expect(await ok(bed.call(`${fields}/${reservationNumber.id}`, { method: 'PATCH', body: { personalInfo: true } }))).toMatchObject({ personalInfo: true })
    expect(await ok(bed.call(`${fields}/${reservationNumber.id}/reset`, { method: 'POST' }))).toMatchObject({ personalInfo: false, names: { ko: '전화예약번호', en: 'Reservation number' } })
    expect(await ok(bed.call(`${fields}/${title.id}/reset`, { method: 'POST' }))).toMatchObject({ names: { ko: '제목', en: 'Title' }, descriptions: {} })

    const quantity = await byCode('quantity')
    expect((await ok(bed.call(`${fields}/${quantity.id}`, { method: 'PATCH', body: { details: { min: 0, max: 10 } } }))).details).toEqual({ min: 0, max: 10 })
    const wrongDetails = await bed.call(`${fields}/${quantity.id}`, { method: 'PATCH', body: { details: { options: [] } } })
    expect(wrongDetails.body.error.issues[0]).toMatchObject({ path: 'body.details.options', code: 'unknown_field' })
    const badOrder = await bed.call(`${fields}/${quantity.id}`, { method: 'PATCH', body: { details: { min: 10, max: 1 } } })
    expect(badOrder.body.error.issues[0].path).toBe('body.details.min')
    const resetCustom = await bed.call(`${fields}/${quantity.id}/reset`, { method: 'POST' })
    expect(resetCustom.status).toBe(409)
    expect(resetCustom.body.error.code).toBe('TICKET_SYSTEM_FIELD')
    const deleteSystem = await bed.call(`${fields}/${title.id}`, { method: 'DELETE' })
    expect(deleteSystem.status).toBe(409)
    expect(deleteSystem.body.error.message).toContain("'title' is a system field")
  })

  it('builds each intake category form: help-center system fields always, attached fields in order', async () => {
    const categories = `${bed.api}/ticket/intake-categories`
    const category = await ok(bed.call(categories, { body: { names: { ko: '주문' } } }), 201)
    const form = `${categories}/${category.id}/fields`
    const initial = await ok(bed.call(form))
    expect(initial.fields.map((f: { code: string; implicit: boolean }) => [f.code, f.implicit])).toEqual([['intake_type', true], ['email', true], ['title', true], ['content', true], ['privacy_consent', true]])
    const [orderNo, payment, callTime, title] = await Promise.all(['order_number', 'payment', 'call_time', 'title'].map(byCode))
    const placed = await ok(bed.call(form, { method: 'PUT', body: { fieldIds: [payment.id, title.id, orderNo.id, callTime.id] } }))
    expect(placed.fields.map((f: { code: string }) => f.code)).toEqual(['intake_type', 'email', 'content', 'privacy_consent', 'payment', 'title', 'order_number', 'call_time'])
    const helpcenter = await ok(bed.call(`${form}?channel=helpcenter`))
    expect(helpcenter.fields.map((f: { code: string }) => f.code)).not.toContain('call_time')

    const memo = await byCode('memo')
    const attached = await ok(bed.call(form, { body: { fieldId: memo.id, position: 1 } }))
    expect(attached.fields.map((f: { code: string }) => f.code).slice(3, 6)).toEqual(['privacy_consent', 'memo', 'payment'])
    const twice = await bed.call(form, { body: { fieldId: memo.id } })
    expect(twice.status).toBe(409)
    const agentField = await define({ audience: 'agent', code: 'internal_grade', type: 'radio', names: { ko: '등급' }, details: { options: [{ value: 'a', names: { ko: 'A' } }] } })
    const wrongAudience = await bed.call(form, { method: 'PUT', body: { fieldIds: [agentField.id] } })
    expect(wrongAudience.status).toBe(422)
    expect(wrongAudience.body.error.issues[0]).toMatchObject({ path: 'body.fieldIds.0', code: 'agent_field' })
    const duplicate = await bed.call(form, { method: 'PUT', body: { fieldIds: [memo.id, memo.id] } })
    expect(duplicate.body.error.issues[0]).toMatchObject({ path: 'body.fieldIds.1', code: 'duplicate' })
    const unknown = await bed.call(form, { method: 'PUT', body: { fieldIds: ['00000000-0000-4000-8000-000000000000'] } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'body.fieldIds.0', code: 'unknown_reference' })

    const detachSystem = await bed.call(`${form}/${title.id}`, { method: 'DELETE' })
    expect(detachSystem.status).toBe(409)
    expect(detachSystem.body.error.code).toBe('TICKET_SYSTEM_FIELD')

    // Attached fields keep the category in use; detaching them (or deleting the field) frees it.
    const inUse = await bed.call(`${categories}/${category.id}`, { method: 'DELETE' })
    expect(inUse.status).toBe(409)
    expect(inUse.body.error.message).toContain('4 customer fields attached')
    for (const id of [payment.id, orderNo.id, callTime.id]) expect((await bed.call(`${form}/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${form}/${payment.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await bed.call(`${fields}/${memo.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await ok(bed.call(form))).fields.map((f: { code: string }) => f.code)).toEqual(['intake_type', 'email', 'content', 'privacy_consent', 'title'])
    expect((await bed.call(`${categories}/${category.id}`, { method: 'DELETE' })).status).toBe(204)

    const processingCategory = await ok(bed.call(`${bed.api}/ticket/processing-categories`, { body: { names: { ko: '처리' } } }), 201)
    expect((await bed.call(`${categories}/${processingCategory.id}/fields`)).status).toBe(404)
  })

  it('gives the ticket work the definitions of a ticket and validates its values against them', async () => {
    const categories = `${bed.api}/ticket/intake-categories`
    const open = await ok(bed.call(categories, { body: { names: { ko: '반품' } } }), 201)
    const closed = await ok(bed.call(categories, { body: { names: { ko: '종료', en: 'Closed' }, active: false } }), 201)
    const [orderNo, payment, callTime] = await Promise.all(['order_number', 'payment', 'call_time'].map(byCode))
    await ok(bed.call(`${categories}/${open.id}/fields`, { method: 'PUT', body: { fieldIds: [orderNo.id, payment.id, callTime.id] } }))
    const spec = (filledBy: 'customer' | 'agent' | 'phone') =>
      bed.t.db.tenantTransaction(bed.scope, (tx) => ticketFieldSpec(tx, { languages: ['ko', 'en'] }, { intakeCategoryId: open.id, filledBy, includeAgentFields: filledBy === 'agent' }))
    const customer = await spec('customer')
    expect(customer.definitions.map((d) => d.code)).toEqual(['intake_type', 'email', 'title', 'content', 'privacy_consent', 'order_number', 'payment'])
    expect(customer.intakeCategoryIds.has(open.id)).toBe(true)
    expect(customer.intakeCategoryIds.has(closed.id)).toBe(false)
    expect((await spec('phone')).definitions.map((d) => d.code)).toContain('call_time')
    expect((await spec('agent')).definitions.some((d) => d.audience === 'agent')).toBe(true)

    const options = { timeZone: 'Asia/Seoul', intakeCategoryIds: customer.intakeCategoryIds }
    const valid = validateFieldValues(customer.definitions, { intake_type: open.id, email: 'ada@example.com', title: '반품 문의', content: '상자가 찢어졌어요', privacy_consent: true, order_number: 'AB123456', payment: 'card' }, options)
    expect(valid).toEqual({ ok: true, values: expect.objectContaining({ order_number: 'AB123456', payment: 'card', privacy_consent: true }) })
    const invalid = validateFieldValues(customer.definitions, { intake_type: closed.id, email: 'ada', title: '반품', content: '내용', privacy_consent: false, payment: 'cash', call_time: '2024-05-01 10:00' }, options)
    expect(invalid.ok ? [] : invalid.issues.map((i) => [i.path, i.code])).toEqual([
      ['body.fields.call_time', 'unknown_field'],
      ['body.fields.intake_type', 'unknown_option'],
      ['body.fields.email', 'invalid_format'],
      ['body.fields.privacy_consent', 'required'],
      ['body.fields.order_number', 'required'],
      ['body.fields.payment', 'unknown_option'],
    ])
  })

  it('orders agent fields and shows admins-only ones to administrators only', async () => {
    const grade = await byCode('internal_grade')
    const secret = await define({ audience: 'agent', code: 'vip_note', type: 'textarea', names: { ko: 'VIP 메모' }, visibility: 'admins' })
    const shared = await define({ audience: 'agent', code: 'follow_up', type: 'checkbox', names: { ko: '후속 조치' } })
    expect(secret).toMatchObject({ visibility: 'admins', position: 2 })
    expect(shared).toMatchObject({ visibility: 'agents', position: 3 })
    const agentFields = `${bed.api}/ticket/agent-fields`
    const reordered = await ok(bed.call(`${agentFields}/order`, { method: 'PUT', body: { fieldIds: [shared.id, grade.id, secret.id] } }))
    expect(reordered.fields.map((f: { code: string; position: number }) => [f.code, f.position])).toEqual([['follow_up', 1], ['internal_grade', 2], ['vip_note', 3]])
    const incomplete = await bed.call(`${agentFields}/order`, { method: 'PUT', body: { fieldIds: [shared.id] } })
    expect(incomplete.status).toBe(422)
    expect(incomplete.body.error.issues[0].code).toBe('missing_field')

    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await ok(bed.call(agentFields, { token: agent }))).fields.map((f: { code: string }) => f.code)).toEqual(['follow_up', 'internal_grade'])
    expect((await ok(bed.call(fields, { token: agent }))).fields.map((f: { code: string }) => f.code)).not.toContain('vip_note')
    expect((await bed.call(`${fields}/${secret.id}`, { token: agent })).status).toBe(404)
    const admin = await bed.agentToken('admin', [])
    expect((await ok(bed.call(agentFields, { token: admin }))).fields).toHaveLength(3)

    await ok(bed.call(`${fields}/${grade.id}`, { method: 'DELETE' }), 204)
    expect((await ok(bed.call(agentFields))).fields.map((f: { code: string; position: number }) => [f.code, f.position])).toEqual([['follow_up', 1], ['vip_note', 2]])
  })

  it("answers 404 for another tenant's fields and categories, 401 anonymous, 403 to agents changing them", async () => {
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/fields`, { body: { audience: 'customer', code: 'foreign', type: 'text', names: { ko: '남' } } }), 201)
    expect((await bed.call(`${fields}/${foreign.id}`)).status).toBe(404)
    expect((await bed.call(`${fields}/${foreign.id}`, { method: 'PATCH', body: { required: true } })).status).toBe(404)
    expect((await bed.call(`${fields}/${foreign.id}`, { method: 'DELETE' })).status).toBe(404)
    const category = await ok(bed.call(`${bed.api}/ticket/intake-categories`, { body: { names: { ko: '우리 것' } } }), 201)
    const attachForeign = await bed.call(`${bed.api}/ticket/intake-categories/${category.id}/fields`, { body: { fieldId: foreign.id } })
    expect(attachForeign.status).toBe(422)
    expect(attachForeign.body.error.issues[0].path).toBe('body.fieldId')
    expect((await bed.call(`${bed.otherApi}/ticket/intake-categories/${category.id}/fields`)).status).toBe(404)

    expect((await bed.call(fields, { token: null })).status).toBe(401)
    expect((await bed.call(fields, { token: null, body: { audience: 'customer', code: 'anon', type: 'text', names: { ko: '가' } } })).status).toBe(401)
    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(fields, { token: agent })).status).toBe(200)
    expect((await bed.call(fields, { token: agent, body: { audience: 'customer', code: 'by_agent', type: 'text', names: { ko: '가' } } })).status).toBe(403)
    expect((await bed.call(`${bed.api}/ticket/agent-fields/order`, { token: agent, method: 'PUT', body: { fieldIds: [] } })).status).toBe(403)
  })

  it('records field changes in the audit trail', async () => {
    const trail = await ok(bed.call(`${bed.api}/audit?targetType=ticket-field&limit=200`))
    const actions = new Set(trail.entries.map((e: { action: string }) => e.action))
    expect([...actions].sort()).toEqual(['ticket.field.created', 'ticket.field.deleted', 'ticket.field.reset', 'ticket.field.updated'])
    const forms = await ok(bed.call(`${bed.api}/audit?action=ticket.intake-category.fields-updated&limit=1`))
    expect(forms.entries[0]).toMatchObject({ target: { type: 'ticket-intake-category' }, before: [], after: ['order_number', 'payment', 'call_time'] })
  })

  // The tests below run after the audit check above: the forms they change would be its latest entry.

  it('reads one field, and refuses edits that mistype an attribute, name an unknown one or try to change the code or type', async () => {
    const field = await define({ audience: 'customer', code: 'edit_me', type: 'text', names: { ko: '수정' }, details: { maxLength: 10 } })
    expect(await ok(bed.call(`${fields}/${field.id}`))).toMatchObject({ id: field.id, code: 'edit_me', type: 'text', audience: 'customer', names: { ko: '수정' }, details: { maxLength: 10 } })
    const issue = async (path: string, options: { method?: string; body?: unknown }) => {
      const res = await bed.call(path, options)
      expect(res.status, `${path} ${JSON.stringify(options.body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0]
    }
    const patch = (body: unknown) => issue(`${fields}/${field.id}`, { method: 'PATCH', body })
    expect(await patch({ required: 'yes' })).toMatchObject({ path: 'body.required' })
    expect(await patch({ names: '수정' })).toMatchObject({ path: 'body.names' })
    expect(await patch({ names: { en: 'Edit' } })).toMatchObject({ path: 'body.names.ko', code: 'required' })
    expect(await patch({ code: 'renamed' })).toMatchObject({ path: 'body.code', code: 'unknown_field' })
    expect(await patch({ type: 'number' })).toMatchObject({ path: 'body.type', code: 'unknown_field' })
    expect(await patch({ visibility: 'admins' })).toMatchObject({ path: 'body.visibility', code: 'not_applicable' })
    expect(await patch({ details: { maxLength: 'ten' } })).toMatchObject({ path: 'body.details.maxLength' })
    expect(await issue(`${fields}?audience=everyone`, {})).toMatchObject({ path: 'query.audience' })
    expect(await issue(`${fields}/not-an-id`, {})).toMatchObject({ path: 'path.id' })
    expect(await ok(bed.call(`${fields}/${field.id}`))).toMatchObject({ code: 'edit_me', type: 'text', required: false, visibility: null, names: { ko: '수정' }, details: { maxLength: 10 } })
  })

  it('refuses agent field orders that repeat a field, list a customer or foreign field, mistype the list or add attributes', async () => {
    const agentFields = `${bed.api}/ticket/agent-fields`
    const current = (await ok(bed.call(agentFields))).fields.map((f: { id: string }) => f.id) as string[]
    expect(current.length).toBeGreaterThanOrEqual(2)
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/fields`, { body: { audience: 'agent', code: 'foreign_agent', type: 'text', names: { ko: '남' } } }), 201)
    const customer = await byCode('edit_me')
    const order = async (body: unknown) => {
      const res = await bed.call(`${agentFields}/order`, { method: 'PUT', body })
      expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues
    }
    expect(await order({ fieldIds: [current[0], ...current] })).toContainEqual(expect.objectContaining({ path: 'body.fieldIds', code: 'duplicate' }))
    expect(await order({ fieldIds: [...current, foreign.id] })).toContainEqual(expect.objectContaining({ path: 'body.fieldIds', code: 'not_an_agent_field' }))
    expect(await order({ fieldIds: [...current, customer.id] })).toContainEqual(expect.objectContaining({ path: 'body.fieldIds', code: 'not_an_agent_field' }))
    expect((await order({}))[0]).toMatchObject({ path: 'body.fieldIds' })
    expect((await order({ fieldIds: current[0] }))[0]).toMatchObject({ path: 'body.fieldIds' })
    expect((await order({ fieldIds: ['not-an-id'] }))[0]).toMatchObject({ path: 'body.fieldIds.0' })
    expect((await order({ fieldIds: current, sort: 'asc' }))[0]).toMatchObject({ path: 'body.sort', code: 'unknown_field' })
    expect((await ok(bed.call(agentFields))).fields.map((f: { id: string }) => f.id)).toEqual(current)
  })

  it('refuses category form bodies that miss the field list, mistype it, add attributes or place a field past the end', async () => {
    const category = await ok(bed.call(`${bed.api}/ticket/intake-categories`, { body: { names: { ko: '양식 검증' } } }), 201)
    const form = `${bed.api}/ticket/intake-categories/${category.id}/fields`
    const field = await byCode('edit_me')
    const issue = async (method: string, path: string, body: unknown) => {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0]
    }
    expect(await issue('PUT', form, {})).toMatchObject({ path: 'body.fieldIds' })
    expect(await issue('PUT', form, { fieldIds: field.id })).toMatchObject({ path: 'body.fieldIds' })
    expect(await issue('PUT', form, { fieldIds: ['not-an-id'] })).toMatchObject({ path: 'body.fieldIds.0' })
    expect(await issue('PUT', form, { fieldIds: [field.id], order: 'asc' })).toMatchObject({ path: 'body.order', code: 'unknown_field' })
    expect(await issue('POST', form, {})).toMatchObject({ path: 'body.fieldId' })
    expect(await issue('POST', form, { fieldId: 7 })).toMatchObject({ path: 'body.fieldId' })
    expect(await issue('POST', form, { fieldId: field.id, position: 'top' })).toMatchObject({ path: 'body.position' })
    expect(await issue('POST', form, { fieldId: field.id, required: true })).toMatchObject({ path: 'body.required', code: 'unknown_field' })
    expect(await issue('POST', form, { fieldId: field.id, position: 2 })).toMatchObject({ path: 'body.position' })
    expect(await issue('DELETE', `${form}/not-an-id`, undefined)).toMatchObject({ path: 'path.fieldId' })
    expect(await issue('GET', `${form}?channel=phone`, undefined)).toMatchObject({ path: 'query.channel' })
    const implicitOnly = (await ok(bed.call(form))).fields.every((f: { implicit: boolean }) => f.implicit)
    expect(implicitOnly).toBe(true)
  })

  it("answers 404 (paths) or 422 (bodies) for another tenant's fields and categories on every field route, and 403 to agents on every change", async () => {
    const foreignField = await ok(bed.call(`${bed.otherApi}/ticket/fields`, { body: { audience: 'customer', code: 'foreign_two', type: 'text', names: { ko: '남' } } }), 201)
    const foreignCategory = await ok(bed.call(`${bed.otherApi}/ticket/intake-categories`, { body: { names: { ko: '남의 분류' } } }), 201)
    const field = await byCode('edit_me')
    const category = await ok(bed.call(`${bed.api}/ticket/intake-categories`, { body: { names: { ko: '격리' } } }), 201)
    const form = `${bed.api}/ticket/intake-categories/${category.id}/fields`
    await ok(bed.call(form, { body: { fieldId: field.id } }))

    expect((await bed.call(`${fields}/${foreignField.id}/reset`, { method: 'POST' })).status).toBe(404)
    const listForeign = await bed.call(form, { method: 'PUT', body: { fieldIds: [field.id, foreignField.id] } })
    expect(listForeign.status).toBe(422)
    expect(listForeign.body.error.issues[0].path).toBe('body.fieldIds.1')
    const detachForeign = await bed.call(`${form}/${foreignField.id}`, { method: 'DELETE' })
    expect(detachForeign.status).toBe(404)
    expect(detachForeign.body.error.issues[0].path).toBe('path.fieldId')
    const theirForm = `${bed.api}/ticket/intake-categories/${foreignCategory.id}/fields`
    for (const [method, path, body] of [
      ['GET', theirForm, undefined],
      ['PUT', theirForm, { fieldIds: [field.id] }],
      ['POST', theirForm, { fieldId: field.id }],
      ['DELETE', `${theirForm}/${field.id}`, undefined],
    ] as const) {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404)
      expect(res.body.error.issues[0].path).toBe('path.id')
    }
    expect((await ok(bed.call(`${bed.otherApi}/ticket/intake-categories/${foreignCategory.id}/fields`))).fields.map((f: { code: string }) => f.code)).not.toContain('edit_me')

    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(`${fields}/${field.id}`, { token: agent })).status).toBe(200)
    expect((await bed.call(form, { token: agent })).status).toBe(200)
    const email = await byCode('email')
    for (const [method, path, body] of [
      ['PATCH', `${fields}/${field.id}`, { required: true }],
      ['DELETE', `${fields}/${field.id}`, undefined],
      ['POST', `${fields}/${email.id}/reset`, undefined],
      ['PUT', form, { fieldIds: [] }],
      ['POST', form, { fieldId: email.id }],
      ['DELETE', `${form}/${field.id}`, undefined],
    ] as const) {
      const res = await bed.call(path, { token: agent, method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403)
    }
    expect(await ok(bed.call(`${fields}/${field.id}`))).toMatchObject({ required: false })
    expect((await ok(bed.call(form))).fields.filter((f: { implicit: boolean }) => !f.implicit).map((f: { code: string }) => f.code)).toEqual(['edit_me'])
  })

  it("migrates options stored with the old 'labels' to 'names' (0013_field_option_names), leaving new ones alone", async () => {
    const old = await define({ audience: 'customer', code: 'old_options', type: 'radio', names: { ko: '예전' }, details: { options: [{ value: 'a', names: { ko: '가' } }, { value: 'b', names: { ko: '나' } }] } })
    // As an option was stored before the rename: the first in the old shape, the second already new.
    await bed.t.db.query(`UPDATE ticket_fields SET details = jsonb_set(details, '{options,0}', '{"value":"a","labels":{"ko":"가"}}') WHERE id = $1`, [old.id])
    await bed.t.db.query(fieldOptionNamesMigration.sql!)
    const [row] = await bed.t.db.query<{ details: { options: unknown[] } }>('SELECT details FROM ticket_fields WHERE id = $1', [old.id])
    expect(row!.details.options).toEqual([{ value: 'a', names: { ko: '가' } }, { value: 'b', names: { ko: '나' } }])
  })
})
