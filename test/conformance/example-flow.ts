/**
 * The example plugin's flow through its API, as part of the conformance suite, so a third-party
 * plugin's use of the contract is proven on every runtime: a follow-up files a ticket through
 * the ticket plugin's tickets service in the greeting's transaction, and a trigger with the
 * plugin's own result type (`hello.greet`) greets a new ticket's requester once the event has
 * been delivered (through the outbox, so the test polls with a deadline).
 */
import { expect, it } from 'vitest'
import type { TestService } from '../../core/testing.ts'
import { eventually, ok } from './answers.ts'

// As for the ticket flow: a cold runtime's first deliveries (the trigger run, then its effect).
const GREETING_DEADLINE_MS = 20_000

/** Registers the flow's test in the calling `describe`; `service` has the ticket and hello plugins contracted. */
export function exampleFlowTests(service: () => TestService): void {
  it("runs the example plugin's flow: a ticket through the tickets service, a trigger result of its own", async () => {
    const svc = service()
    const admin = await svc.agent({ role: 'admin', permissions: ['ticket', 'hello'] })
    const agent = await svc.agent({ permissions: ['ticket', 'hello'] })

    const followUp = await ok(agent.call('/hello/follow-ups', { body: { name: 'Hana', email: 'hana@customer.example', message: '배송 일정을 알려 주세요' } }), 201)
    const filed = await ok(agent.call(`/ticket/tickets/${followUp.ticket.id}`))
    expect(filed).toMatchObject({ title: 'Follow up with Hana', channel: 'api', requester: { email: 'hana@customer.example', name: 'Hana' }, createdBy: { type: 'agent', id: agent.id } })

    const whenCreated = { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'title', operator: 'contains', value: 'greet me' }] }
    await ok(admin.call('/ticket/triggers', { body: { title: 'Greet requesters', conditions: whenCreated, results: [{ type: 'hello.greet', params: {} }] } }), 201)
    const name = `Grace ${crypto.randomUUID().slice(0, 6)}`
    await ok(agent.call('/ticket/tickets', { body: { title: 'Please greet me', content: 'Hello there', channel: 'web', requester: { email: 'grace@customer.example', name } } }), 201)

    const greeted = async () => (await ok(agent.call('/hello/greetings?limit=100'))).greetings.some((g: { name: string }) => g.name === name)
    const found = await eventually(greeted, Boolean, GREETING_DEADLINE_MS)
    expect(found, "the trigger's hello.greet result greeted the requester").toBe(true)
  }, 90_000)
}
