/**
 * The ticket plugin's main flow through its API, as part of the conformance suite: an admin
 * defines a field and puts it on an intake form and adds a trigger; an agent creates tickets
 * with the field set, replies, lists with a filter and searches; the trigger's assignment shows
 * on the matching ticket once the event has been delivered (through the outbox, so the test
 * polls with a deadline). Everyone signs in through the login API of the runtime under test.
 */
import { expect, it } from 'vitest'
import { eventually, ok, type TestService } from '../../core/testing.ts'

// Long enough for a cold runtime's event delivery (Deno's first subscriber run, workerd's drain after the answer).
const TRIGGER_DEADLINE_MS = 20_000

/** Registers the flow's test in the calling `describe`; `desk` is a service with the ticket plugin contracted. */
export function ticketFlowTests(desk: () => TestService): void {
  it('runs the ticket flow: a field on create, a reply, a filtered list, a search, a trigger that fires', async () => {
    const svc = desk()
    const admin = await svc.agent({ role: 'admin', permissions: ['ticket'] })
    const agent = await svc.agent({ permissions: ['ticket'] })

    const field = await ok(admin.call('/ticket/fields', { body: { code: 'order_no', type: 'text', audience: 'customer', names: { ko: '주문 번호', en: 'Order number' } } }), 201)
    const billing = await ok(admin.call('/ticket/intake-categories', { body: { names: { ko: '결제', en: 'Billing' } } }), 201)
    await ok(admin.call(`/ticket/intake-categories/${billing.id}/fields`, { method: 'PUT', body: { fieldIds: [field.id] } }))
    const trigger = await ok(
      admin.call('/ticket/triggers', {
        body: {
          title: 'VIP orders go to the agent',
          conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'field', field: 'order_no', operator: 'starts-with', value: 'VIP-' }] },
          results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: agent.id }],
        },
      }),
      201,
    )
    expect(trigger.active).toBe(true)

    // The form carries the system fields too, whose privacy consent must be given.
    const draft = (title: string, content: string, channel: string, orderNo: string) => ({ title, content, channel, requester: { email: 'kim@customer.example', name: '김민수' }, intakeCategoryId: billing.id, fields: { order_no: orderNo, privacy_consent: true } })
    const parcel = await ok(agent.call('/ticket/tickets', { body: draft('배송 지연 문의', '택배가 아직 도착하지 않았습니다', 'kakao', 'VIP-7') }), 201)
    expect(parcel).toMatchObject({ status: 'new', channel: 'kakao', intakeCategoryId: billing.id, fields: { order_no: 'VIP-7', privacy_consent: true }, createdBy: { type: 'agent', id: agent.id } })
    const refund = await ok(agent.call('/ticket/tickets', { body: draft('Refund', 'The box arrived broken', 'email', 'AB-12') }), 201)
    expect(refund.number).toBe(parcel.number + 1)

    const reply = await ok(agent.call(`/ticket/tickets/${parcel.id}/agent-replies`, { body: { content: '확인 후 연락드리겠습니다.' } }), 201)
    expect(reply).toMatchObject({ kind: 'agent-reply', author: { type: 'agent', id: agent.id } })
    expect((await ok(agent.call(`/ticket/tickets/${parcel.id}/entries`))).entries.map((e: { id: string; kind: string }) => [e.id, e.kind])).toEqual([[reply.id, 'agent-reply']])

    const ids = async (query: string) => (await ok(agent.call(`/ticket/tickets?${query}`))).tickets.map((t: { id: string }) => t.id)
    expect(await ids('channel=kakao')).toEqual([parcel.id])
    expect(await ids('channel=email')).toEqual([refund.id])
    expect(await ids('fieldCode=order_no&fieldValue=AB-12')).toEqual([refund.id])
    expect(await ids(`intakeCategoryId=${billing.id}&sort=created:asc`)).toEqual([parcel.id, refund.id])
    expect(await ids(`q=${encodeURIComponent('택배')}`)).toEqual([parcel.id])
    expect(await ids('q=broken')).toEqual([refund.id])
    expect(await ids('q=nothingmatches')).toEqual([])

    // The trigger matched the VIP order only: its assignment appears once the event is delivered.
    const seen = await eventually(() => ok(agent.call(`/ticket/tickets/${parcel.id}`)), (t) => t.assigneeAgentId === agent.id, TRIGGER_DEADLINE_MS)
    expect(seen.assigneeAgentId, 'the trigger assigned the VIP ticket').toBe(agent.id)
    const history = (await ok(agent.call(`/ticket/tickets/${parcel.id}/history`))).history
    expect(history).toContainEqual(expect.objectContaining({ field: 'assigneeAgentId', to: agent.id, actor: expect.objectContaining({ type: 'trigger', id: trigger.id }) }))
    expect((await ok(agent.call(`/ticket/tickets/${refund.id}`))).assigneeAgentId).toBeNull()
  }, 90_000)
}
