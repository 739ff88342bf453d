/**
 * Round-robin assignment, on both drivers: fairness over 1,000 tickets and 5 agents, agents
 * switched off or at their cap skipped, and concurrent tickets never sharing a slot. For speed
 * the runner is driven directly, but on real ticket rows and event envelopes like the
 * dispatcher's; one test goes through the API and the dispatcher end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventEnvelope, Queryable } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { compatTicketId, nextTicketNumber } from '../tickets/ids.ts'
import { insertTicket } from '../tickets/store.ts'
import { triggerCache } from './cache.ts'
import { runTriggers } from './run.ts'
import { triggerBed, type TriggerBed } from './test-bed.ts'

describe.each(DRIVERS)('round-robin assignment on %s', (driver) => {
  let bed: TriggerBed
  const cache = triggerCache()
  beforeAll(async () => {
    bed = await triggerBed(driver, 'trig-rr')
  })
  afterAll(() => bed.close())

  /** Inserts `n` new tickets titled `title` in one transaction; returns their ids. */
  const makeTickets = (n: number, title: string) =>
    bed.t.db.tenantTransaction(bed.scope, async (tx: Queryable) => {
      const ids: string[] = []
      for (let i = 0; i < n; i++) {
        const row = await insertTicket(tx, {
          number: await nextTicketNumber(tx),
          publicId: compatTicketId(),
          title,
          content: 'c',
          channel: 'api',
          language: null,
          requester: { email: null, name: null, memberId: null, usercode: null },
          assigneeAgentId: null,
          assigneeGroupId: null,
          intakeCategoryId: null,
          processingCategoryId: null,
          fields: {},
          secretFields: {},
          secretIndex: [],
          createdBy: { type: 'operator', id: null, label: null },
        })
        ids.push(row.id)
      }
      return ids
    })
  const created = (ticketId: string): EventEnvelope => ({ id: crypto.randomUUID(), type: 'ticket.created', orgId: bed.scope.orgId, serviceId: bed.scope.serviceId, occurredAt: new Date().toISOString(), payload: { id: ticketId, actor: { type: 'operator', id: null } } })
  const assigneesOf = async (title: string) => {
    const rows = await bed.t.db.query<{ agent: string | null; n: number }>(`SELECT assignee_agent_id::text AS agent, count(*)::int AS n FROM tickets WHERE service_id = $1 AND title = $2 GROUP BY 1`, [bed.scope.serviceId, title])
    return new Map(rows.map((r) => [r.agent, r.n]))
  }
  const roundRobin = (title: string, agentIds?: string[]) =>
    ok(bed.call(`${bed.api}/ticket/triggers`, { body: { title, conditions: { all: [{ attribute: 'title', operator: 'is', value: title }] }, results: [{ type: 'assign', groupId: null, mode: 'round-robin', ...(agentIds ? { agentIds } : {}) }] } }), 201)

  it('spreads 1,000 tickets over 5 agents within one ticket of even', async () => {
    await roundRobin('fair')
    const ids = await makeTickets(1000, 'fair')
    // Eight at a time, as the dispatcher delivers: the slots stay fair under concurrency too.
    for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map((id) => runTriggers(bed.probe.ticketCtx!, cache, created(id))))
    expect(cache.compilations).toBe(1)
    const counts = await assigneesOf('fair')
    expect(counts.get(null)).toBeUndefined()
    expect([...counts.keys()].sort()).toEqual(bed.agents.map((a) => a.id).sort())
    const spread = [...counts.values()]
    expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(1)
    expect(spread.reduce((a, b) => a + b, 0)).toBe(1000)
  }, 180_000)

  it('skips agents whose ticket assignment is off or who are at their cap', async () => {
    const [a1, a2, a3, a4] = bed.agents
    await roundRobin('skip', [a1!.id, a2!.id, a3!.id, a4!.id])
    await ok(bed.call(`${bed.api}/agents/${a2!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignment: false } } } }))
    // a3 holds ~200 open tickets from the fairness test: a cap of 200 leaves no room.
    await ok(bed.call(`${bed.api}/agents/${a3!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignmentCap: 200 } } } }))
    const ids = await makeTickets(30, 'skip')
    for (const id of ids) await runTriggers(bed.probe.ticketCtx!, cache, created(id))
    const counts = await assigneesOf('skip')
    expect(counts.get(a2!.id)).toBeUndefined()
    expect(counts.get(a3!.id)).toBeUndefined()
    expect(counts.get(a1!.id)).toBe(15)
    expect(counts.get(a4!.id)).toBe(15)
    // Nobody available: the ticket stays unassigned and the log says why.
    await ok(bed.call(`${bed.api}/agents/${a1!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignment: false } } } }))
    await ok(bed.call(`${bed.api}/agents/${a4!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignment: false } } } }))
    const [lonely] = await makeTickets(1, 'skip')
    const summary = await runTriggers(bed.probe.ticketCtx!, cache, created(lonely!))
    expect(summary?.assigned).toMatchObject({ agentId: null })
    expect(summary?.assigned?.error).toMatch(/no agent of the 4/)
    for (const agent of [a1, a2, a4]) await ok(bed.call(`${bed.api}/agents/${agent!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignment: true } } } }))
    await ok(bed.call(`${bed.api}/agents/${a3!.id}`, { method: 'PATCH', body: { settings: { ticket: { assignmentCap: null } } } }))
  }, 60_000)

  it('never gives two concurrent tickets the same slot', async () => {
    const trigger = await roundRobin('concurrent')
    const ids = await makeTickets(40, 'concurrent')
    await Promise.all(ids.map((id) => runTriggers(bed.probe.ticketCtx!, cache, created(id))))
    const counts = await assigneesOf('concurrent')
    expect([...counts.values()]).toEqual([8, 8, 8, 8, 8])
    const [cursor] = await bed.t.db.query<{ next_slot: string }>(`SELECT next_slot FROM ticket_trigger_cursors WHERE trigger_id = $1`, [trigger.id])
    expect(Number(cursor!.next_slot)).toBe(40)
  }, 60_000)

  it('recompiles the cached triggers only after triggers, categories or fields change', async () => {
    const run = async () => runTriggers(bed.probe.ticketCtx!, cache, created((await makeTickets(1, 'cache'))[0]!))
    await run()
    const settled = cache.compilations
    await run()
    expect(cache.compilations).toBe(settled)
    await ok(bed.call(`${bed.api}/ticket/processing-categories`, { body: { names: { ko: '새 분류' } } }), 201)
    await run()
    expect(cache.compilations).toBe(settled + 1)
    await ok(bed.call(`${bed.api}/ticket/fields`, { body: { audience: 'agent', code: 'cache_note', type: 'text', names: { ko: '메모' } } }), 201)
    await run()
    expect(cache.compilations).toBe(settled + 2)
    await run()
    expect(cache.compilations).toBe(settled + 2)
  })

  it('assigns tickets made concurrently over the API through the dispatcher, one slot each', async () => {
    await roundRobin('via api', bed.agents.slice(0, 2).map((a) => a.id))
    const made = await Promise.all(Array.from({ length: 10 }, () => bed.createTicket({ title: 'via api' })))
    await bed.settle()
    const counts = await assigneesOf('via api')
    expect(counts.get(bed.agents[0]!.id)).toBe(5)
    expect(counts.get(bed.agents[1]!.id)).toBe(5)
    expect(made).toHaveLength(10)
  }, 60_000)
})
