/**
 * Every condition operator over the ticket's attributes, on both drivers: one ticket, one trigger
 * per condition, and the dry run saying which match (the same compiled conditions the runner
 * uses); all/any combinations; then real events: a status change, a field change and a customer
 * reply running triggers through the dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { triggerBed, type TriggerBed } from './test-bed.ts'

type C = { attribute: string; field?: string; operator: string; value?: unknown }
const c = (attribute: string, operator: string, value?: unknown, field?: string): C => ({ attribute, operator, ...(value !== undefined ? { value } : {}), ...(field ? { field } : {}) })
const f = (field: string, operator: string, value?: unknown) => c('field', operator, value, field)

describe.each(DRIVERS)('ticket trigger conditions on %s', (driver) => {
  let bed: TriggerBed
  let ticket: { id: string }
  beforeAll(async () => {
    bed = await triggerBed(driver, 'trig-cond')
    const [agent1] = bed.agents
    ticket = await bed.createTicket({
      title: 'Refund request for ORDER-77',
      content: 'Please refund my order',
      channel: 'web',
      requester: { email: 'Kim@Customer.Example', name: 'Kim' },
      intakeCategoryId: bed.intake.refund,
      processingCategoryId: bed.processing,
      assigneeAgentId: agent1!.id,
      assigneeGroupId: bed.group,
      fields: { order_no: 'A-100', quantity: 5, resident_no: '900101-1234567', color: 'red', tags: ['vip'] },
    })
    await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'open' } }))
    await bed.settle()
  })
  afterAll(() => bed.close())

  /** Saves one trigger per case, dry-runs them as an update that changed `changed`, and returns which matched. */
  const matches = async (cases: Record<string, { all?: C[]; any?: C[] }>, changed: string[] = ['status', 'fields.quantity']) => {
    const ids: Record<string, string> = {}
    for (const [title, conditions] of Object.entries(cases)) {
      const made = await bed.call(`${bed.api}/ticket/triggers`, { body: { title, conditions, results: [{ type: 'probe.record', params: { label: 'x' } }] } })
      if (made.status !== 201) throw new Error(`${title}: ${JSON.stringify(made.body)}`)
      ids[title] = made.body.id
    }
    const answer = await ok(bed.call(`${bed.api}/ticket/triggers/dry-run`, { body: { ticketId: ticket.id, event: 'updated', changed } }))
    for (const id of Object.values(ids)) await bed.call(`${bed.api}/ticket/triggers/${id}`, { method: 'DELETE' })
    return Object.fromEntries(answer.triggers.map((t: { title: string; matched: boolean }) => [t.title, t.matched]))
  }
  const expectMatches = async (expected: Record<string, [C, boolean]>) => {
    const got = await matches(Object.fromEntries(Object.entries(expected).map(([title, [condition]]) => [title, { all: [condition] }])))
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).map(([title, [, want]]) => [title, want])))
  }

  it('is / is not over the event kind, channel, status, categories (with sub-categories), assignee and group', async () => {
    const [agent1, agent2] = bed.agents
    await expectMatches({
      'event is updated': [c('event', 'is', 'updated'), true],
      'event is created': [c('event', 'is', 'created'), false],
      'event is not created': [c('event', 'is-not', 'created'), true],
      'channel is web': [c('channel', 'is', 'web'), true],
      'channel is not web': [c('channel', 'is-not', 'web'), false],
      'status is open': [c('status', 'is', 'open'), true],
      'intake is the parent category': [c('intakeCategory', 'is', bed.intake.billing), true],
      'intake is the category itself': [c('intakeCategory', 'is', bed.intake.refund), true],
      'intake is another category': [c('intakeCategory', 'is', bed.intake.other), false],
      'intake is not the parent': [c('intakeCategory', 'is-not', bed.intake.billing), false],
      'processing is': [c('processingCategory', 'is', bed.processing), true],
      'assignee is agent1': [c('assignee', 'is', agent1!.id), true],
      'assignee is nobody': [c('assignee', 'is', null), false],
      'assignee is not agent2': [c('assignee', 'is-not', agent2!.id), true],
      'group is': [c('group', 'is', bed.group), true],
      'color is red': [f('color', 'is', 'red'), true],
      'color is blue': [f('color', 'is', 'blue'), false],
      'color is not blue': [f('color', 'is-not', 'blue'), true],
    })
  })

  it('contains, not contains, starts with and regex over requester e-mail and domain, title, content and text fields, ignoring case', async () => {
    await expectMatches({
      'email is (case)': [c('requesterEmail', 'is', 'kim@customer.example'), true],
      'email starts with': [c('requesterEmail', 'starts-with', 'KIM@'), true],
      'email contains': [c('requesterEmail', 'contains', 'customer'), true],
      'email not contains': [c('requesterEmail', 'not-contains', 'customer'), false],
      'email regex': [c('requesterEmail', 'regex', '^kim@.*\\.example$'), true],
      'domain is': [c('requesterDomain', 'is', 'customer.example'), true],
      'domain is a suffix only': [c('requesterDomain', 'is', 'example'), false],
      'domain not contains other': [c('requesterDomain', 'not-contains', 'other'), true],
      'title contains': [c('title', 'contains', 'refund'), true],
      'title not contains': [c('title', 'not-contains', 'refund'), false],
      'title starts with': [c('title', 'starts-with', 'refund'), true],
      'title does not start with request': [c('title', 'starts-with', 'request'), false],
      'title regex': [c('title', 'regex', 'order-\\d+'), true],
      'title regex anchored': [c('title', 'regex', '^order'), false],
      'title is': [c('title', 'is', 'refund request for order-77'), true],
      'content contains': [c('content', 'contains', 'MY ORDER'), true],
      'field text is': [f('order_no', 'is', 'a-100'), true],
      'field text starts with': [f('order_no', 'starts-with', 'A-'), true],
      'field text regex': [f('order_no', 'regex', '^A-\\d{3}$'), true],
      'personal field starts with': [f('resident_no', 'starts-with', '900101'), true],
      'personal field contains other': [f('resident_no', 'contains', '999999'), false],
      'multi contains vip': [f('tags', 'contains', 'vip'), true],
      'multi not contains vip': [f('tags', 'not-contains', 'vip'), false],
      'multi contains new': [f('tags', 'contains', 'new'), false],
    })
  })

  it('greater, less, changed and changed to', async () => {
    await expectMatches({
      'quantity greater 4': [f('quantity', 'greater', 4), true],
      'quantity greater 5': [f('quantity', 'greater', 5), false],
      'quantity less 5': [f('quantity', 'less', 5), false],
      'quantity less 6': [f('quantity', 'less', 6), true],
      'quantity is 5': [f('quantity', 'is', 5), true],
      'quantity changed': [f('quantity', 'changed'), true],
      'quantity changed to 5': [f('quantity', 'changed-to', 5), true],
      'quantity changed to 6': [f('quantity', 'changed-to', 6), false],
      'order_no changed': [f('order_no', 'changed'), false],
      'status changed': [c('status', 'changed'), true],
      'status changed to open': [c('status', 'changed-to', 'open'), true],
      'status changed to completed': [c('status', 'changed-to', 'completed'), false],
      'assignee changed': [c('assignee', 'changed'), false],
      'email changed': [c('requesterEmail', 'changed'), false],
      'intake changed to parent': [c('intakeCategory', 'changed-to', bed.intake.billing), false],
    })
    const asMove = await matches({ 'intake changed to parent': { all: [c('intakeCategory', 'changed-to', bed.intake.billing)] } }, ['intakeCategoryId'])
    expect(asMove).toEqual({ 'intake changed to parent': true })
  })

  it('combines all and any groups', async () => {
    const got = await matches({
      'all hold': { all: [c('status', 'is', 'open'), c('channel', 'is', 'web')] },
      'one of all fails': { all: [c('status', 'is', 'open'), c('channel', 'is', 'email')] },
      'any holds': { any: [c('channel', 'is', 'email'), c('title', 'contains', 'refund')] },
      'no any holds': { any: [c('channel', 'is', 'email'), c('channel', 'is', 'phone')] },
      'all and no any': { all: [c('status', 'is', 'open')], any: [c('channel', 'is', 'email'), c('channel', 'is', 'phone')] },
      'all and any': { all: [c('status', 'is', 'open')], any: [c('channel', 'is', 'email'), c('channel', 'is', 'web')] },
      'all fails, any holds': { all: [c('status', 'is', 'new')], any: [c('channel', 'is', 'web')] },
    })
    expect(got).toEqual({ 'all hold': true, 'one of all fails': false, 'any holds': true, 'no any holds': false, 'all and no any': false, 'all and any': true, 'all fails, any holds': false })
  })

  it('runs on real events: a status change, a field change and a customer reply', async () => {
    const add = async (title: string, conditions: { all?: C[]; any?: C[] }) => (await ok(bed.call(`${bed.api}/ticket/triggers`, { body: { title, conditions, results: [{ type: 'probe.record', params: { label: title } }] } }), 201)).id
    const ids = [
      await add('completed', { all: [c('status', 'changed-to', 'completed')] }),
      await add('quantity', { all: [c('event', 'is', 'updated'), f('quantity', 'changed')] }),
      await add('reply', { all: [c('event', 'is', 'customer-reply'), c('requesterDomain', 'is', 'customer.example')] }),
    ]
    const fresh = await bed.createTicket({ title: 'events', requester: { email: 'lee@customer.example' }, intakeCategoryId: bed.intake.other, fields: { quantity: 1 } })
    await bed.settle()
    const seen = () => bed.probe.runs.filter((r) => r.ticket.id === fresh.id).map((r) => r.params.label)
    expect(seen()).toEqual([])
    await ok(bed.call(`${bed.api}/ticket/tickets/${fresh.id}`, { method: 'PATCH', body: { fields: { quantity: 2 } } }))
    await bed.settle()
    expect(seen()).toEqual(['quantity'])
    await ok(bed.call(`${bed.api}/ticket/tickets/${fresh.id}/customer-replies`, { body: { content: '추가 문의' } }), 201)
    await bed.settle()
    expect(seen()).toEqual(['quantity', 'reply'])
    await ok(bed.call(`${bed.api}/ticket/tickets/${fresh.id}`, { method: 'PATCH', body: { status: 'completed' } }))
    await bed.settle()
    expect(seen()).toEqual(['quantity', 'reply', 'completed'])
    for (const id of ids) await bed.call(`${bed.api}/ticket/triggers/${id}`, { method: 'DELETE' })
  })
})
