/**
 * Trigger administration over the API, on both drivers: add, read, replace, delete, reorder,
 * activate / deactivate, the refusals that name the path and the fix (regex, field codes, ids,
 * private URLs, operators, reorder lists, plugin parameters), and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { addMember, signIn } from '../../../test/support/identity.ts'
import { ok } from '../test-support.ts'
import { triggerBed, type TriggerBed } from './test-bed.ts'

const created = { attribute: 'event', operator: 'is', value: 'created' }
const notifyCustomer = { type: 'notify', to: 'customer', messages: { ko: { subject: '접수 #{ticket.id}', body: '안녕하세요 #{customer.name}' } } }

describe.each(DRIVERS)('ticket trigger administration on %s', (driver) => {
  let bed: TriggerBed
  let triggers: string
  beforeAll(async () => {
    bed = await triggerBed(driver, 'trig-admin')
    triggers = `${bed.api}/ticket/triggers`
  })
  afterAll(() => bed.close())

  const refusal = async (body: Record<string, unknown>) => {
    const res = await bed.call(triggers, { body: { title: 'x', conditions: { all: [created] }, results: [notifyCustomer], ...body } })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    return res.body.error.issues as { path: string; message: string; code: string }[]
  }

  it('adds, reads, replaces, deactivates, reorders and deletes triggers', async () => {
    const a = await ok(bed.call(triggers, { body: { title: 'A', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const b = await ok(bed.call(triggers, { body: { title: 'B', conditions: { any: [{ attribute: 'title', operator: 'contains', value: '환불' }] }, results: [{ type: 'forward', to: 'desk@partner.example' }] } }), 201)
    const c = await ok(bed.call(triggers, { body: { title: 'C', active: false, conditions: { all: [created] }, results: [{ type: 'probe.record', params: { label: 'c' } }] } }), 201)
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2])
    expect(a).toMatchObject({ title: 'A', active: true, version: 1, conditions: { all: [created], any: [] } })
    expect(b.results[0]).toEqual({ type: 'forward', to: 'desk@partner.example', complete: false })
    expect(a.results[0].format).toBe('text')

    const replaced = await ok(bed.call(`${triggers}/${a.id}`, { method: 'PUT', body: { title: 'A2', conditions: { all: [created] }, results: [{ ...notifyCustomer, format: 'html' }] } }))
    expect(replaced).toMatchObject({ id: a.id, title: 'A2', version: 2, position: 0 })
    expect((await ok(bed.call(`${triggers}/${b.id}/deactivate`, { method: 'POST' }))).active).toBe(false)
    expect((await ok(bed.call(`${triggers}/${c.id}/activate`, { method: 'POST' }))).active).toBe(true)

    const reordered = await ok(bed.call(`${triggers}/order`, { method: 'PUT', body: { ids: [c.id, a.id, b.id] } }))
    expect(reordered.triggers.map((t: { title: string; position: number }) => [t.title, t.position])).toEqual([['C', 0], ['A2', 1], ['B', 2]])
    expect((await ok(bed.call(triggers))).triggers.map((t: { id: string }) => t.id)).toEqual([c.id, a.id, b.id])

    expect((await bed.call(`${triggers}/${c.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${triggers}/${c.id}`)).status).toBe(404)
    expect((await ok(bed.call(triggers))).triggers.map((t: { title: string; position: number }) => [t.title, t.position])).toEqual([['A2', 0], ['B', 1]])
    for (const t of [a, b]) await bed.call(`${triggers}/${t.id}`, { method: 'DELETE' })
  })

  it('refuses a reorder list that is not a permutation of the triggers', async () => {
    const a = await ok(bed.call(triggers, { body: { title: 'A', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const b = await ok(bed.call(triggers, { body: { title: 'B', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const missing = await bed.call(`${triggers}/order`, { method: 'PUT', body: { ids: [a.id] } })
    expect(missing.status).toBe(422)
    expect(missing.body.error.issues[0]).toMatchObject({ path: 'body.ids', code: 'not_a_permutation' })
    const twice = await bed.call(`${triggers}/order`, { method: 'PUT', body: { ids: [a.id, a.id, b.id] } })
    expect(twice.body.error.issues[0]).toMatchObject({ path: 'body.ids.1', code: 'duplicate' })
    const stranger = await bed.call(`${triggers}/order`, { method: 'PUT', body: { ids: [a.id, b.id, '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10'] } })
    expect(stranger.body.error.issues[0]).toMatchObject({ path: 'body.ids.2', code: 'not_found' })
    expect((await ok(bed.call(triggers))).triggers.map((t: { id: string }) => t.id)).toEqual([a.id, b.id])
    for (const t of [a, b]) await bed.call(`${triggers}/${t.id}`, { method: 'DELETE' })
  })

  it('refuses a regex that does not compile or could backtrack badly, naming the path', async () => {
    const [broken] = await refusal({ conditions: { all: [created, { attribute: 'title', operator: 'regex', value: '(unclosed' }] } })
    expect(broken).toMatchObject({ path: 'body.conditions.all.1.value', code: 'invalid_pattern' })
    expect(broken!.message).toMatch(/does not compile/)
    const [slow] = await refusal({ conditions: { all: [created], any: [{ attribute: 'content', operator: 'regex', value: '(a+)+$' }] } })
    expect(slow).toMatchObject({ path: 'body.conditions.any.0.value', code: 'invalid_pattern' })
  })

  it('refuses unknown field codes, unknown ids and operators that do not suit the attribute', async () => {
    expect((await refusal({ conditions: { all: [{ attribute: 'field', field: 'no_such_code', operator: 'is', value: 'x' }] } }))[0]).toMatchObject({ path: 'body.conditions.all.0.field', code: 'unknown_field' })
    expect((await refusal({ conditions: { all: [{ attribute: 'intakeCategory', operator: 'is', value: bed.processing }] } }))[0]).toMatchObject({ path: 'body.conditions.all.0.value', code: 'not_found' })
    expect((await refusal({ conditions: { all: [{ attribute: 'assignee', operator: 'is', value: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10' }] } }))[0]).toMatchObject({ path: 'body.conditions.all.0.value', code: 'not_found' })
    const [op] = await refusal({ conditions: { all: [{ attribute: 'status', operator: 'greater', value: 'open' }] } })
    expect(op).toMatchObject({ path: 'body.conditions.all.0.operator', code: 'invalid_operator' })
    expect(op!.message).toContain('is, is-not, changed, changed-to')
    expect((await refusal({ conditions: { all: [{ attribute: 'field', field: 'quantity', operator: 'contains', value: '1' }] } }))[0]!.path).toBe('body.conditions.all.0.operator')
    expect((await refusal({ conditions: { all: [{ attribute: 'field', field: 'quantity', operator: 'greater', value: 'ten' }] } }))[0]!.path).toBe('body.conditions.all.0.value')
    expect((await refusal({ conditions: { all: [{ attribute: 'field', field: 'color', operator: 'is', value: 'green' }] } }))[0]!.message).toContain('red, blue')
    expect((await refusal({ conditions: { all: [{ attribute: 'status', operator: 'changed', value: 'open' }] } }))[0]!.code).toBe('not_allowed')
    expect((await refusal({ conditions: { all: [{ attribute: 'event', operator: 'is', value: 'exploded' }] } }))[0]!.path).toBe('body.conditions.all.0.value')
    expect((await refusal({ conditions: { all: [], any: [] } }))[0]).toMatchObject({ path: 'body.conditions', code: 'required' })
    expect((await refusal({ conditions: { all: [{ attribute: 'colour', operator: 'is', value: 'x' }] } }))[0]!.path).toBe('body.conditions.all.0.attribute')
  })

  it('refuses callback and Dooray! URLs to private addresses, and bad result parameters', async () => {
    const [callback] = await refusal({ results: [{ type: 'callback', url: 'http://10.0.0.5/hook' }] })
    expect(callback).toMatchObject({ path: 'body.results.0.url', code: 'refused_url' })
    expect(callback!.message).toMatch(/private/)
    expect((await refusal({ results: [notifyCustomer, { type: 'dooray', url: 'http://169.254.169.254/latest', template: 'x' }] }))[0]).toMatchObject({ path: 'body.results.1.url', code: 'refused_url' })
    expect((await refusal({ results: [{ type: 'callback', url: 'ftp://example.com/x' }] }))[0]!.path).toBe('body.results.0.url')
    expect((await refusal({ results: [{ type: 'assign', mode: 'agent' }] }))[0]).toMatchObject({ path: 'body.results.0.agentId', code: 'required' })
    expect((await refusal({ results: [{ type: 'assign', mode: 'random', groupId: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10' }] }))[0]).toMatchObject({ path: 'body.results.0.groupId', code: 'not_found' })
    expect((await refusal({ results: [{ type: 'notify', to: 'customer', messages: { en: { subject: 's', body: 'b' } } }] }))[0]).toMatchObject({ path: 'body.results.0.messages.ko', code: 'required' })
    expect((await refusal({ results: [{ type: 'notify', to: 'customer', messages: { ko: { subject: 's', body: 'b' }, fr: { subject: 's', body: 'b' } } }] }))[0]).toMatchObject({ path: 'body.results.0.messages.fr' })
    expect((await refusal({ results: [{ type: 'teleport' }] }))[0]).toMatchObject({ path: 'body.results.0.type', code: 'unknown_type' })
    expect((await refusal({ results: [{ type: 'probe.record', params: { label: '' } }] }))[0]!.path).toBe('body.results.0.params.label')
    expect((await refusal({ results: [{ type: 'probe.record', params: { label: 'forbidden' } }] }))[0]).toMatchObject({ path: 'body.results.0.params.label', code: 'reserved' })
    expect((await refusal({ results: [] }))[0]!.path).toBe('body.results')
  })

  it('lists the result types, plugin ones included', async () => {
    const { actions } = await ok(bed.call(`${bed.api}/ticket/trigger-actions`))
    expect(actions.map((a: { type: string }) => a.type)).toEqual(['assign', 'notify', 'forward', 'callback', 'dooray', 'probe.record'])
    expect(actions[5]).toMatchObject({ plugin: 'probe', title: 'Record the ticket', paramsSchema: { properties: { label: { type: 'string' } } } })
  })

  it('is for administrators only, and keeps each service to itself', async () => {
    const member = await addMember(bed.t, 'trig-admin', 'plain-agent@trig-admin.test')
    await ok(bed.call(`${bed.api}/agents`, { body: { email: member.email, role: 'agent', permissions: ['ticket'] } }), 201)
    const token = (await signIn(bed.t, 'trig-admin', member)).accessToken
    expect((await bed.call(triggers, { token })).status).toBe(403)
    expect((await bed.call(triggers, { token, body: { title: 'x', conditions: { all: [created] }, results: [notifyCustomer] } })).status).toBe(403)
    expect((await bed.call(triggers, { token: null })).status).toBe(401)
    const mine = await ok(bed.call(triggers, { body: { title: 'mine', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    expect((await bed.call(`/o/trig-admin-other/desk/api/v1/ticket/triggers/${mine.id}`)).status).toBe(404)
    expect((await bed.call(`/o/trig-admin-other/desk/api/v1/ticket/triggers/${mine.id}`, { method: 'DELETE' })).status).toBe(404)
    await bed.call(`${triggers}/${mine.id}`, { method: 'DELETE' })
  })

  it('refuses trigger, replace, reorder, dry-run and log requests that miss a field, mistype one or name an unknown one', async () => {
    const kept = await ok(bed.call(triggers, { body: { title: 'kept', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const ticket = await bed.createTicket({ title: 'for the dry run' })
    const issue = async (path: string, method: string, body?: unknown) => {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0] as { path: string; code: string }
    }
    const valid = { title: 'x', conditions: { all: [created] }, results: [notifyCustomer] }
    const { title: _title, ...untitled } = valid
    expect(await issue(triggers, 'POST', untitled)).toMatchObject({ path: 'body.title' })
    expect(await issue(triggers, 'POST', { ...valid, active: 'yes' })).toMatchObject({ path: 'body.active' })
    expect(await issue(triggers, 'POST', { ...valid, priority: 1 })).toMatchObject({ path: 'body.priority', code: 'unknown_field' })
    const replace = `${triggers}/${kept.id}`
    expect(await issue(replace, 'PUT', { title: 'y', conditions: { all: [created] } })).toMatchObject({ path: 'body.results' })
    expect(await issue(replace, 'PUT', { ...valid, results: notifyCustomer })).toMatchObject({ path: 'body.results' })
    expect(await issue(replace, 'PUT', { ...valid, priority: 1 })).toMatchObject({ path: 'body.priority', code: 'unknown_field' })
    expect(await issue(replace, 'PUT', { ...valid, conditions: { all: [{ attribute: 'field', field: 'no_such_code', operator: 'is', value: 'x' }] } })).toMatchObject({ path: 'body.conditions.all.0.field', code: 'unknown_field' })
    expect(await issue(`${triggers}/not-an-id`, 'PUT', valid)).toMatchObject({ path: 'path.id' })
    expect(await issue(`${triggers}/order`, 'PUT', {})).toMatchObject({ path: 'body.ids' })
    expect(await issue(`${triggers}/order`, 'PUT', { ids: kept.id })).toMatchObject({ path: 'body.ids' })
    expect(await issue(`${triggers}/order`, 'PUT', { ids: [kept.id], strict: true })).toMatchObject({ path: 'body.strict', code: 'unknown_field' })
    expect(await issue(`${triggers}/dry-run`, 'POST', {})).toMatchObject({ path: 'body.ticketId' })
    expect(await issue(`${triggers}/dry-run`, 'POST', { ticketId: ticket.id, event: 'exploded' })).toMatchObject({ path: 'body.event' })
    expect(await issue(`${triggers}/dry-run`, 'POST', { ticketId: ticket.id, changed: 'status' })).toMatchObject({ path: 'body.changed' })
    expect(await issue(`${triggers}/dry-run`, 'POST', { ticketId: ticket.id, apply: true })).toMatchObject({ path: 'body.apply', code: 'unknown_field' })
    expect(await issue(`${triggers}/${kept.id}/log?limit=0`, 'GET')).toMatchObject({ path: 'query.limit' })
    expect(await issue(`${triggers}/${kept.id}/log?limit=many`, 'GET')).toMatchObject({ path: 'query.limit' })
    expect(await ok(bed.call(replace))).toMatchObject({ title: 'kept', version: 1, active: true })
    await bed.call(replace, { method: 'DELETE' })
  })

  it("answers 404 for another tenant's triggers, and refuses its ids inside a trigger or a dry run (422)", async () => {
    const other = '/o/trig-admin-other/desk/api/v1'
    const theirs = await ok(bed.call(`${other}/ticket/triggers`, { body: { title: 'theirs', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const theirTicket = await ok(bed.call(`${other}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api' } }), 201)
    const theirCategory = await ok(bed.call(`${other}/ticket/intake-categories`, { body: { names: { ko: '남의 분류' } } }), 201)
    const theirGroup = await ok(bed.call(`${other}/groups`, { body: { name: '남의 그룹' } }), 201)
    const mine = await ok(bed.call(triggers, { body: { title: 'mine', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    for (const [method, path, body] of [
      ['GET', `${triggers}/${theirs.id}`, undefined],
      ['PUT', `${triggers}/${theirs.id}`, { title: 'taken', conditions: { all: [created] }, results: [notifyCustomer] }],
      ['POST', `${triggers}/${theirs.id}/activate`, undefined],
      ['POST', `${triggers}/${theirs.id}/deactivate`, undefined],
      ['GET', `${triggers}/${theirs.id}/log`, undefined],
      ['DELETE', `${triggers}/${theirs.id}`, undefined],
    ] as const) {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404)
      expect(res.body.error.issues[0].path).toBe('path.id')
    }
    const reorder = await bed.call(`${triggers}/order`, { method: 'PUT', body: { ids: [mine.id, theirs.id] } })
    expect(reorder.status).toBe(422)
    expect(reorder.body.error.issues[0]).toMatchObject({ path: 'body.ids.1', code: 'not_found' })
    const dry = await bed.call(`${triggers}/dry-run`, { body: { ticketId: theirTicket.id } })
    expect(dry.status).toBe(422)
    expect(dry.body.error.issues[0]).toMatchObject({ path: 'body.ticketId', code: 'unknown_reference' })
    expect((await refusal({ conditions: { all: [{ attribute: 'intakeCategory', operator: 'is', value: theirCategory.id }] } }))[0]).toMatchObject({ path: 'body.conditions.all.0.value', code: 'not_found' })
    expect((await refusal({ results: [{ type: 'assign', mode: 'random', groupId: theirGroup.id }] }))[0]).toMatchObject({ path: 'body.results.0.groupId', code: 'not_found' })
    expect((await ok(bed.call(triggers))).triggers.map((t: { id: string }) => t.id)).toEqual([mine.id])
    expect(await ok(bed.call(`${other}/ticket/triggers/${theirs.id}`))).toMatchObject({ title: 'theirs', active: true, version: 1 })
    await bed.call(`${triggers}/${mine.id}`, { method: 'DELETE' })
  })

  it('refuses an agent who is not an administrator on every trigger route', async () => {
    const member = await addMember(bed.t, 'trig-admin', 'plain-agent-2@trig-admin.test')
    await ok(bed.call(`${bed.api}/agents`, { body: { email: member.email, role: 'agent', permissions: ['ticket'] } }), 201)
    const token = (await signIn(bed.t, 'trig-admin', member)).accessToken
    const mine = await ok(bed.call(triggers, { body: { title: 'guarded', conditions: { all: [created] }, results: [notifyCustomer] } }), 201)
    const ticket = await bed.createTicket({ title: 'guarded ticket' })
    for (const [method, path, body] of [
      ['GET', `${triggers}/${mine.id}`, undefined],
      ['PUT', `${triggers}/${mine.id}`, { title: 'changed', conditions: { all: [created] }, results: [notifyCustomer] }],
      ['PUT', `${triggers}/order`, { ids: [mine.id] }],
      ['POST', `${triggers}/${mine.id}/deactivate`, undefined],
      ['POST', `${triggers}/${mine.id}/activate`, undefined],
      ['POST', `${triggers}/dry-run`, { ticketId: ticket.id }],
      ['GET', `${triggers}/${mine.id}/log`, undefined],
      ['GET', `${bed.api}/ticket/trigger-actions`, undefined],
      ['DELETE', `${triggers}/${mine.id}`, undefined],
    ] as const) {
      const res = await bed.call(path, { token, method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403)
    }
    expect(await ok(bed.call(`${triggers}/${mine.id}`))).toMatchObject({ title: 'guarded', active: true, version: 1 })
    await bed.call(`${triggers}/${mine.id}`, { method: 'DELETE' })
  })
})
