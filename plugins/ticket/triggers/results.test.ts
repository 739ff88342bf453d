/**
 * Trigger results end to end, on both drivers: tickets made over the API, events delivered by the
 * dispatcher, mails received by a real SMTP server on loopback, callback and Dooray! calls by a
 * loopback HTTP server, a third-party plugin's result type; retries after failures, the last
 * assignment winning, the loop rule, redelivery, the execution log and the dry run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { startReceiver, type Receiver } from '../../../test/support/events.ts'
import { ok } from '../test-support.ts'
import { triggerBed, PLATFORM_FROM, type TriggerBed } from './test-bed.ts'
import { runTriggers } from './run.ts'
import { triggerCache } from './cache.ts'

const created = { attribute: 'event', operator: 'is', value: 'created' }
const header = (mail: { parsed: { headers: { key: string; value: string }[] } }, key: string) => mail.parsed.headers.find((h) => h.key === key.toLowerCase())?.value

describe.each(DRIVERS)('ticket trigger results on %s', (driver) => {
  let bed: TriggerBed
  let receiver: Receiver
  let triggers: string
  beforeAll(async () => {
    bed = await triggerBed(driver, 'trig-results')
    receiver = await startReceiver()
    triggers = `${bed.api}/ticket/triggers`
  })
  afterAll(async () => {
    await receiver.close()
    await bed.close()
  })
  afterEach(async () => {
    for (const t of (await ok(bed.call(triggers))).triggers) await bed.call(`${triggers}/${t.id}`, { method: 'DELETE' })
    await bed.settle()
  })

  const addTrigger = async (body: Record<string, unknown>) => ok(bed.call(triggers, { body: { title: 'T', ...body } }), 201)
  const logOf = async (id: string) => (await ok(bed.call(`${triggers}/${id}/log`))).runs
  const count = async (sql: string, params: unknown[] = []) => Number((await bed.t.db.query<{ n: number }>(sql, params))[0]!.n)

  it('notifies the customer in the ticket language with substitution codes, without the layout, auto-submitted', async () => {
    const trigger = await addTrigger({
      conditions: { all: [created, { attribute: 'requesterDomain', operator: 'is', value: 'customer.example' }] },
      results: [
        {
          type: 'notify',
          to: 'customer',
          messages: {
            ko: { subject: '[#{ticket.id}] 접수', body: '#{customer.name}님, "#{ticket.title}" 접수. 주문 #{field.order_no} 주민 #{field.resident_no} 없음:[#{no.such}] #{ticket.intakeCategory}' },
            en: { subject: 'Received #{ticket.id}: #{ticket.title}', body: 'Dear #{customer.name}, order #{field.order_no} (#{ticket.intakeCategory}) is #{ticket.status}. Unknown:[#{nope}]' },
          },
        },
      ],
    })
    const before = bed.smtp.received.length
    const ticket = await bed.createTicket({ title: 'Refund <please>', language: 'en', requester: { email: 'Kim@Customer.example', name: 'Kim' }, intakeCategoryId: bed.intake.refund, fields: { order_no: 'A-1', resident_no: '900101-1234567' } })
    await bed.createTicket({ title: 'other domain', requester: { email: 'lee@elsewhere.example' } })
    await bed.settle()
    expect(bed.smtp.received.length).toBe(before + 1)
    const mail = bed.smtp.received[before]!
    expect(mail.envelopeTo.map((a) => a.toLowerCase())).toEqual(['kim@customer.example'])
    expect(mail.parsed.subject).toContain(`Received ${ticket.ticketId}: Refund <please>`)
    expect(mail.parsed.text?.trim()).toBe(`Dear Kim, order A-1 (Billing > Refund) is new. Unknown:[]`)
    expect(mail.parsed.html).toBeFalsy()
    expect(header(mail, 'auto-submitted')).toBe('auto-generated')
    expect(mail.parsed.from?.address).toBe('no-reply@platform.example')
    void PLATFORM_FROM
    const [run] = await logOf(trigger.id)
    expect(run).toMatchObject({ ticketId: ticket.id, eventKind: 'created', errors: [], results: [{ index: 0, type: 'notify', status: 'done', attempts: 1, detail: { sent: ['kim@customer.example'] } }] })
  })

  it('notifies a group in HTML, escaping values, one mail per member', async () => {
    await addTrigger({
      conditions: { all: [created, { attribute: 'title', operator: 'starts-with', value: 'urgent' }] },
      results: [{ type: 'notify', to: 'group', groupId: bed.group, format: 'html', messages: { ko: { subject: '긴급: #{ticket.title}', body: '<p>제목 <b>#{ticket.title}</b></p><p>고객 #{customer.email}</p>' } } }],
    })
    const before = bed.smtp.received.length
    await bed.createTicket({ title: 'URGENT <script>x</script> & co', requester: { email: 'a@b.example' } })
    await bed.settle()
    const mails = bed.smtp.received.slice(before)
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(bed.agents.slice(0, 3).map((a) => a.email).sort())
    expect(mails[0]!.parsed.subject).toBe('긴급: URGENT <script>x</script> & co')
    expect(mails[0]!.parsed.html).toContain('<b>URGENT &lt;script&gt;x&lt;/script&gt; &amp; co</b>')
    expect(mails[0]!.parsed.text).toContain('제목 URGENT <script>x</script> & co')
    expect(header(mails[0]!, 'auto-submitted')).toBe('auto-generated')
  })

  it('forwards the ticket to an outside address and then completes it as the trigger, without running triggers again', async () => {
    const forward = await addTrigger({ conditions: { all: [created, { attribute: 'intakeCategory', operator: 'is', value: bed.intake.billing }] }, results: [{ type: 'forward', to: 'partner@outside.example', complete: true }] })
    const watcher = await addTrigger({ conditions: { any: [{ attribute: 'status', operator: 'changed' }] }, results: [{ type: 'probe.record', params: { label: 'status' } }] })
    const before = bed.smtp.received.length
    const probesBefore = bed.probe.runs.length
    const ticket = await bed.createTicket({ title: '환불 요청', content: '주문한 상품을 환불하고 싶습니다.', intakeCategoryId: bed.intake.refund, requester: { email: 'park@customer.example', name: '박' }, fields: { order_no: 'B-7' } })
    await bed.settle()
    const mail = bed.smtp.received[before]!
    expect(bed.smtp.received.length).toBe(before + 1)
    expect(mail.envelopeTo).toEqual(['partner@outside.example'])
    expect(mail.parsed.subject).toBe(`[desk] #${ticket.number} 환불 요청`)
    expect(mail.parsed.text).toContain('주문한 상품을 환불하고 싶습니다.')
    expect(mail.parsed.text).toContain(`Ticket: ${ticket.ticketId}`)
    expect(mail.parsed.text).toContain('order_no: B-7')
    expect(mail.parsed.text).toContain('Requester: 박 <park@customer.example>')
    expect(header(mail, 'auto-submitted')).toBe('auto-generated')
    const after = await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}`))
    expect(after.status).toBe('completed')
    const history = (await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}/history`))).history
    expect(history.at(-1)).toMatchObject({ field: 'status', from: 'new', to: 'completed', actor: { type: 'trigger', id: forward.id } })
    // The completion was the trigger's own change: the status watcher did not run on it.
    expect(bed.probe.runs.length).toBe(probesBefore)
    expect(await logOf(watcher.id)).toEqual([])
    expect((await logOf(forward.id))[0].results[0]).toMatchObject({ status: 'done', detail: { sent: ['partner@outside.example'], completed: true } })
  })

  it('posts the ticket as JSON to a callback URL, retrying after a failure, and logs the error meanwhile', async () => {
    const trigger = await addTrigger({ conditions: { all: [created, { attribute: 'field', field: 'quantity', operator: 'greater', value: 10 }] }, results: [{ type: 'callback', url: `${receiver.url}/callback` }] })
    receiver.calls.length = 0
    receiver.script([500])
    const ticket = await bed.createTicket({ title: 'bulk order', requester: { email: 'c@d.example' }, intakeCategoryId: bed.intake.other, fields: { quantity: 11, resident_no: '800101-1111111' } })
    await bed.createTicket({ title: 'small order', requester: { email: 'c@d.example' }, intakeCategoryId: bed.intake.other, fields: { quantity: 10 } })
    await bed.settle()
    expect(receiver.calls.length).toBe(2)
    const body = JSON.parse(receiver.calls[1]!.body)
    expect(receiver.calls[1]!.headers['content-type']).toMatch(/^application\/json/)
    expect(body).toMatchObject({ trigger: { id: trigger.id }, ticket: { id: ticket.id, ticketId: ticket.ticketId, title: 'bulk order', requester: { email: 'c@d.example' }, fields: { quantity: 11 } } })
    expect(body.ticket.fields).not.toHaveProperty('resident_no')
    expect(receiver.calls[0]!.body).toBe(receiver.calls[1]!.body)
    expect((await logOf(trigger.id))[0].results[0]).toMatchObject({ status: 'done', attempts: 2 })
  })

  it('records a failing effect in the log with its error, until it is parked as a dead letter', async () => {
    const trigger = await addTrigger({ conditions: { all: [created, { attribute: 'title', operator: 'is', value: 'fails' }] }, results: [{ type: 'callback', url: `${receiver.url}/down` }, { type: 'notify', to: 'assignee', messages: { ko: { subject: 's', body: 'b' } } }] })
    receiver.calls.length = 0
    receiver.script(Array(40).fill(503))
    await bed.createTicket({ title: 'fails' })
    await bed.settle()
    const [run] = await logOf(trigger.id)
    expect(run.results[0]).toMatchObject({ type: 'callback', status: 'failed', attempts: receiver.calls.length })
    expect(receiver.calls.length).toBeGreaterThan(1)
    expect(run.results[0].error).toMatch(/answered 503: receiver says no/)
    expect(run.results[1]).toMatchObject({ type: 'notify', status: 'skipped', error: 'the ticket has no assigned agent' })
    receiver.script([])
  })

  it('posts Dooray! messages in the documented shape', async () => {
    await addTrigger({ conditions: { all: [created], any: [{ attribute: 'field', field: 'tags', operator: 'contains', value: 'vip' }] }, results: [{ type: 'dooray', url: `${receiver.url}/services/1/2/token`, botName: '헬프데스크', botIconImage: 'https://static.example/icon.png', template: 'VIP 문의 #{ticket.id}: #{ticket.title} (#{customer.email})' }] })
    receiver.calls.length = 0
    receiver.script([])
    const ticket = await bed.createTicket({ title: 'VIP 문의', requester: { email: 'vip@x.example' }, intakeCategoryId: bed.intake.other, fields: { tags: ['new', 'vip'] } })
    await bed.settle()
    expect(receiver.calls.length).toBe(1)
    expect(JSON.parse(receiver.calls[0]!.body)).toEqual({ botName: '헬프데스크', botIconImage: 'https://static.example/icon.png', text: `VIP 문의 ${ticket.ticketId}: VIP 문의 (vip@x.example)` })
  })

  it("runs a plugin's result type with its parameters, retried when it throws", async () => {
    const trigger = await addTrigger({ conditions: { all: [created, { attribute: 'channel', operator: 'is', value: 'phone' }] }, results: [{ type: 'probe.record', params: { label: 'phone' } }] })
    bed.probe.failNext = 1
    const before = bed.probe.runs.length
    const ticket = await bed.createTicket({ title: 'call', channel: 'phone' })
    await bed.settle()
    expect(bed.probe.runs.length).toBe(before + 1)
    expect(bed.probe.runs.at(-1)).toMatchObject({ params: { label: 'phone' }, trigger: { id: trigger.id }, ticket: { id: ticket.id, channel: 'phone' }, scope: bed.scope })
    expect((await logOf(trigger.id))[0].results[0]).toMatchObject({ status: 'done', attempts: 2, detail: { plugin: 'probe' } })
  })

  it('applies only the last matching assignment, as the trigger, and logs the others as superseded', async () => {
    const [first, second, third] = bed.agents
    const a = await addTrigger({ title: 'first', conditions: { all: [created] }, results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: first!.id }] })
    const b = await addTrigger({ title: 'second', conditions: { all: [created] }, results: [{ type: 'assign', groupId: bed.group, mode: 'agent', agentId: second!.id }] })
    await addTrigger({ title: 'not matching', conditions: { all: [created, { attribute: 'title', operator: 'is', value: 'nope' }] }, results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: third!.id }] })
    const ticket = await bed.createTicket({ title: 'who takes it' })
    await bed.settle()
    const after = await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}`))
    expect(after).toMatchObject({ assigneeAgentId: second!.id, assigneeGroupId: bed.group })
    expect((await logOf(a.id))[0].results[0]).toMatchObject({ status: 'superseded', detail: { by: b.id } })
    expect((await logOf(b.id))[0].results[0]).toMatchObject({ status: 'applied', detail: { agentId: second!.id, groupId: bed.group } })
    const history = (await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}/history`))).history
    expect(history.filter((h: { field: string }) => h.field === 'assigneeAgentId')).toEqual([expect.objectContaining({ to: second!.id, actor: expect.objectContaining({ type: 'trigger', id: b.id, label: 'second' }) })])
  })

  it('runs a trigger once per event even when the event is delivered again', async () => {
    const trigger = await addTrigger({ conditions: { all: [created] }, results: [{ type: 'probe.record', params: { label: 'once' } }] })
    const ticket = await bed.createTicket({ title: 'once' })
    const [event] = await bed.t.db.query<{ event_id: string; type: string; payload: unknown; occurred_at: Date }>(`SELECT event_id, type, payload, created_at AS occurred_at FROM oc_outbox WHERE type = 'ticket.created' AND payload->>'id' = $1`, [ticket.id])
    await bed.settle()
    const again = await runTriggers(bed.probe.ticketCtx!, triggerCache(), { id: event!.event_id, type: 'ticket.created', orgId: bed.scope.orgId, serviceId: bed.scope.serviceId, occurredAt: new Date().toISOString(), payload: typeof event!.payload === 'string' ? JSON.parse(event!.payload) : event!.payload })
    expect(again).toBeNull()
    expect(await logOf(trigger.id)).toHaveLength(1)
    expect(await count(`SELECT count(*)::int AS n FROM oc_outbox WHERE type = 'ticket.trigger-effect' AND payload->>'triggerId' = $1`, [trigger.id])).toBe(1)
  })

  it('dry-runs against a ticket: says what would happen and does none of it', async () => {
    const [, , , fourth, fifth] = bed.agents
    const rr = await addTrigger({ title: 'rr', conditions: { all: [{ attribute: 'title', operator: 'contains', value: 'dry' }] }, results: [{ type: 'assign', groupId: null, mode: 'round-robin', agentIds: [fourth!.id, fifth!.id] }] })
    const mail = await addTrigger({
      title: 'mail',
      conditions: { all: [{ attribute: 'status', operator: 'changed-to', value: 'open' }] },
      results: [
        { type: 'notify', to: 'customer', messages: { ko: { subject: '#{ticket.title}', body: '#{customer.name} #{ticket.status}' } } },
        { type: 'callback', url: `${receiver.url}/dry` },
        { type: 'dooray', url: `${receiver.url}/dooray`, template: '#{ticket.id}' },
        { type: 'probe.record', params: { label: 'dry' } },
      ],
    })
    const off = await addTrigger({ title: 'off', active: false, conditions: { all: [{ attribute: 'title', operator: 'contains', value: 'dry' }] }, results: [{ type: 'forward', to: 'x@y.example' }] })
    // Made before the triggers run on it: drain so its own events are done.
    const ticket = await bed.createTicket({ title: 'dry run ticket', requester: { email: 'dry@customer.example', name: '건조' } })
    await bed.settle()
    await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'open' } }))
    const state = async () => ({
      runs: await count('SELECT count(*)::int AS n FROM ticket_trigger_runs'),
      outbox: await count('SELECT count(*)::int AS n FROM oc_outbox'),
      cursor: await count(`SELECT coalesce(max(next_slot), -1)::int AS n FROM ticket_trigger_cursors WHERE trigger_id = $1`, [rr.id]),
      ticket: JSON.stringify(await ok(bed.call(`${bed.api}/ticket/tickets/${ticket.id}`))),
      mails: bed.smtp.received.length,
      calls: receiver.calls.length,
    })
    const before = await state()
    const answer = await ok(bed.call(`${triggers}/dry-run`, { body: { ticketId: ticket.id, event: 'updated', changed: ['status'] } }))
    expect(await state()).toEqual(before)
    const byTitle = Object.fromEntries(answer.triggers.map((t: { title: string }) => [t.title, t]))
    expect(byTitle.off).toMatchObject({ active: false, matched: false, results: [] })
    const cursor = before.cursor === -1 ? 0 : before.cursor
    expect(byTitle.rr.results[0]).toMatchObject({ type: 'assign', outcome: 'would-apply', preview: { agentId: [fourth!.id, fifth!.id][cursor % 2], agentEmail: [fourth!.email, fifth!.email][cursor % 2] } })
    expect(byTitle.mail.results.map((r: { outcome: string }) => r.outcome)).toEqual(['would-send', 'would-call', 'would-call', 'would-run'])
    expect(byTitle.mail.results[0].preview.mails).toEqual([{ to: 'dry@customer.example', subject: 'dry run ticket', text: '건조 open' }])
    expect(byTitle.mail.results[1].preview).toMatchObject({ url: `${receiver.url}/dry`, body: { ticket: { id: ticket.id, status: 'open' } } })
    expect(byTitle.mail.results[2].preview.body).toEqual({ botName: 'OpenContact', text: ticket.ticketId })
    // As a creation, 'changed-to' cannot hold: nothing changes when a ticket is made.
    const asCreated = await ok(bed.call(`${triggers}/dry-run`, { body: { ticketId: ticket.id, event: 'created' } }))
    expect(asCreated.triggers.find((t: { id: string }) => t.id === mail.id).matched).toBe(false)
    expect((await bed.call(`${triggers}/dry-run`, { body: { ticketId: '0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10' } })).body.error.issues[0].path).toBe('body.ticketId')
    void off
  })

  it('reads a sealed requester address: conditions match it, mail goes to it, callbacks leave it out', async () => {
    const email = ((await ok(bed.call(`${bed.api}/ticket/fields`))).fields as { id: string; code: string }[]).find((f) => f.code === 'email')!
    await ok(bed.call(`${bed.api}/ticket/fields/${email.id}`, { method: 'PATCH', body: { personalInfo: true } }))
    try {
      const trigger = await addTrigger({
        conditions: { all: [created, { attribute: 'requesterDomain', operator: 'is', value: 'sealed.example' }] },
        results: [
          { type: 'notify', to: 'customer', messages: { ko: { subject: 'Received', body: 'To #{customer.email}' } } },
          { type: 'callback', url: `${receiver.url}/sealed` },
        ],
      })
      receiver.calls.length = 0
      receiver.script([200])
      const before = bed.smtp.received.length
      const ticket = await bed.createTicket({ title: 'sealed', requester: { email: 'yoon@sealed.example' } })
      await bed.settle()
      const [stored] = await bed.t.db.query<{ requester_email: string | null }>('SELECT requester_email FROM tickets WHERE id = $1', [ticket.id])
      expect(stored!.requester_email).toBeNull()
      const mail = bed.smtp.received[before]!
      expect(mail.envelopeTo).toEqual(['yoon@sealed.example'])
      expect(mail.parsed.text?.trim()).toBe('To yoon@sealed.example')
      expect(JSON.parse(receiver.calls[0]!.body).ticket.requester.email).toBeNull()
      const [run] = await logOf(trigger.id)
      expect(run.results.map((r: { status: string }) => r.status)).toEqual(['done', 'done'])
      // The log says the requester was mailed, not where.
      expect(run.results[0].detail).toEqual({ sent: ['requester'] })
      expect(JSON.stringify(await bed.t.db.query('SELECT * FROM ticket_trigger_runs'))).not.toContain('yoon@')
    } finally {
      await ok(bed.call(`${bed.api}/ticket/fields/${email.id}/reset`, { method: 'POST' }))
    }
  })

  it('pages through the execution log', async () => {
    const trigger = await addTrigger({ conditions: { all: [{ attribute: 'title', operator: 'starts-with', value: 'page' }] }, results: [{ type: 'probe.record', params: { label: 'page' } }] })
    for (let i = 0; i < 3; i++) await bed.createTicket({ title: `page ${i}` })
    await bed.settle()
    const first = await ok(bed.call(`${triggers}/${trigger.id}/log?limit=2`))
    expect(first.runs).toHaveLength(2)
    const second = await ok(bed.call(`${triggers}/${trigger.id}/log?limit=2&cursor=${first.nextCursor}`))
    expect(second.runs).toHaveLength(1)
    expect(second.nextCursor).toBeNull()
    expect(new Set([...first.runs, ...second.runs].map((r: { ticketId: string }) => r.ticketId)).size).toBe(3)
    expect((await bed.call(`${triggers}/${trigger.id}/log?cursor=bogus`)).status).toBe(422)

    // Runs within one millisecond: the cursor keeps its microseconds, so none is skipped.
    await bed.t.db.query(`UPDATE ticket_trigger_runs r SET ran_at = '2026-01-01T00:00:00.000100Z'::timestamptz + n.i * interval '1 microsecond' FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM ticket_trigger_runs WHERE trigger_id = $1) n WHERE r.id = n.id`, [trigger.id])
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const page: { runs: { ticketId: string }[]; nextCursor: string | null } = await ok(bed.call(`${triggers}/${trigger.id}/log?limit=1${cursor ? `&cursor=${cursor}` : ''}`))
      seen.push(...page.runs.map((r) => r.ticketId))
      cursor = page.nextCursor
    }
    expect(new Set(seen).size).toBe(3)
    expect(seen).toHaveLength(3)
  })
})
