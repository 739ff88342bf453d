/**
 * The tickets service (service.ts) as another plugin uses it: through `ctx.use(ticketsRef)` from a
 * plugin that declares it, on both drivers. A create validates the form (a coded 422 naming the
 * field) and writes history, `ticket.created` and the audit entry; it joins the caller's
 * transaction (a rollback undoes the ticket and the caller's own row alike); a change writes its
 * history, events and audit entry once; entries and the finders work on the same tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, OcError, type PluginContext, type ServiceHandle } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ticketsRef, type TicketsCaller } from '../api.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

let probeContext: PluginContext
/** A plugin of its own that files tickets through the ref, beside a table of its own. */
const probe = definePlugin({
  id: 'desk-probe',
  version: '1.0.0',
  core: '^1',
  dependsOn: ['ticket'],
  uses: { tickets: ticketsRef },
  migrations: [{ id: '0001_probe_rows', sql: "CREATE TABLE probe_rows (org_id uuid NOT NULL, service_id uuid NOT NULL, ticket_id uuid NOT NULL); SELECT oc_tenant_table('probe_rows');" }],
  onBoot(ctx) {
    probeContext = ctx
  },
})

describe.each(DRIVERS)('the tickets service through ticketsRef on %s', (driver) => {
  let bed: TicketBed
  let service: ServiceHandle
  let caller: TicketsCaller
  const tickets = () => probeContext.use(ticketsRef)
  const draft = (fields: Record<string, unknown>) => ({
    title: '배송 문의',
    content: '주문한 상품이 오지 않았어요.',
    channel: 'web' as const,
    intakeCategoryId: bed.intake.billing,
    requester: { email: 'kim@example.com', name: '김민수', usercode: `U-${driver}` },
    fields: { privacy_consent: true, ...fields },
  })
  const rows = (text: string, params: unknown[]) => bed.t.db.query<Record<string, any>>(text, params)

  beforeAll(async () => {
    bed = await ticketBed(driver, `svc-${driver}`, undefined, [probe])
    service = (await probeContext.tenant(bed.scope))!
    caller = { service: service.tenant.service, actor: { kind: 'customer', label: '김민수' } }
  }, 60_000)
  afterAll(() => bed.t.close())

  it('validates the form on a create (a coded error naming the field) and writes history, event and audit', async () => {
    const refusal = await service.db.tx((tx) => tickets().create(tx, caller, draft({ quantity: 2 }))).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(OcError)
    expect((refusal as OcError).code).toBe('OC_VALIDATION')
    expect((refusal as OcError).status).toBe(422)
    expect((refusal as OcError).issues?.map((i) => i.path)).toEqual(['body.fields.order_no'])

    const made = await service.db.tx((tx) => tickets().create(tx, caller, draft({ order_no: 'AB-1', resident_no: '900101-1234567' })))
    expect(made).toMatchObject({ status: 'new', channel: 'web', number: 1, fields: { order_no: 'AB-1', resident_no: '900101-1234567' }, createdBy: { type: 'anonymous' } })
    const [stored] = await rows('SELECT secret_fields FROM tickets WHERE id = $1', [made.id])
    expect(Object.keys(stored!.secret_fields)).toEqual(['resident_no'])
    expect(await rows('SELECT field, actor_type, actor_label FROM ticket_history WHERE ticket_id = $1', [made.id])).toEqual([{ field: 'created', actor_type: 'anonymous', actor_label: '김민수' }])
    const events = await rows(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [made.id])
    expect(events.map((e) => e.type)).toEqual(['ticket.created'])
    expect(events[0]!.payload).toMatchObject({ number: 1, channel: 'web', actor: { type: 'anonymous', id: null } })
    const audit = await rows('SELECT action, actor_type, after FROM oc_audit WHERE target_id = $1', [made.id])
    expect(audit).toEqual([{ action: 'ticket.ticket.created', actor_type: 'anonymous', after: expect.objectContaining({ number: 1, by: expect.objectContaining({ kind: 'customer', label: '김민수' }) }) }])
  })

  it("joins the caller's transaction: a rollback undoes the ticket and the caller's own row, and gives the number back", async () => {
    let madeId: string | undefined
    const failed = await service.db
      .tx(async (tx) => {
        const made = await tickets().create(tx, caller, draft({ order_no: 'AB-2' }))
        madeId = made.id
        await tx.query('INSERT INTO probe_rows (ticket_id) VALUES ($1)', [made.id])
        throw new Error('the caller changes its mind')
      })
      .catch((error: Error) => error)
    expect(failed).toBeInstanceOf(Error)
    expect(madeId).toBeDefined()
    expect(await rows('SELECT id FROM tickets WHERE id = $1', [madeId])).toEqual([])
    expect(await rows('SELECT ticket_id FROM probe_rows', [])).toEqual([])
    expect(await rows(`SELECT id FROM oc_outbox WHERE payload->>'id' = $1`, [madeId])).toEqual([])
    expect(await rows('SELECT id FROM oc_audit WHERE target_id = $1', [madeId])).toEqual([])
    // Both commit together otherwise, and the number rolled back with the ticket.
    const kept = await service.db.tx(async (tx) => {
      const made = await tickets().create(tx, caller, draft({ order_no: 'AB-3' }))
      await tx.query('INSERT INTO probe_rows (ticket_id) VALUES ($1)', [made.id])
      return made
    })
    expect(kept.number).toBe(2)
    expect(await rows('SELECT ticket_id FROM probe_rows', [])).toEqual([{ ticket_id: kept.id }])
  })

  it('writes history, events and the audit entry of a change once', async () => {
    const made = await service.db.tx((tx) => tickets().create(tx, caller, draft({ order_no: 'AB-4' })))
    const agent: TicketsCaller = { service: caller.service, actor: { kind: 'trigger', id: '00000000-0000-4000-8000-000000000001', title: '배정 규칙' } }
    const changed = await service.db.tx((tx) => tickets().change(tx, agent, made.id, { status: 'open', assigneeGroupId: bed.group }))
    expect(changed).toMatchObject({ status: 'open', assigneeGroupId: bed.group })
    const history = await rows(`SELECT field, actor_type FROM ticket_history WHERE ticket_id = $1 AND field <> 'created' ORDER BY id`, [made.id])
    expect(history).toEqual([{ field: 'status', actor_type: 'trigger' }, { field: 'assigneeGroupId', actor_type: 'trigger' }])
    const events = await rows(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 AND type <> 'ticket.created' ORDER BY id`, [made.id])
    expect(events.map((e) => e.type)).toEqual(['ticket.updated', 'ticket.status-changed', 'ticket.assigned'])
    expect(events[0]!.payload).toMatchObject({ changed: ['status', 'assigneeGroupId'], actor: { type: 'trigger' } })
    const audit = await rows(`SELECT before, after FROM oc_audit WHERE target_id = $1 AND action = 'ticket.ticket.updated'`, [made.id])
    expect(audit).toEqual([{ before: { status: 'new', assigneeGroupId: null }, after: expect.objectContaining({ status: 'open', assigneeGroupId: bed.group, by: expect.objectContaining({ kind: 'trigger' }) }) }])
    // Nothing to change: nothing written.
    await service.db.tx((tx) => tickets().change(tx, agent, made.id, { status: 'open' }))
    expect(await rows(`SELECT count(*)::int AS n FROM oc_audit WHERE target_id = $1`, [made.id])).toEqual([{ n: 2 }])
    expect(await service.db.tx((tx) => tickets().change(tx, agent, '00000000-0000-4000-8000-0000000000ff', { status: 'open' }))).toBeNull()
  })

  it('adds customer replies, refuses notes from customers, and finds tickets by requester and number', async () => {
    const made = await service.db.tx((tx) => tickets().create(tx, caller, draft({ order_no: 'AB-5' })))
    const reply = await service.db.tx((tx) => tickets().addEntry(tx, caller, made.id, { kind: 'customer-reply', content: '아직 소식이 없어요.' }))
    expect(reply).toMatchObject({ kind: 'customer-reply', content: '아직 소식이 없어요.', author: { type: 'anonymous', label: '김민수' } })
    const note = await service.db.tx((tx) => tickets().addEntry(tx, caller, made.id, { kind: 'note', content: '내부 메모' })).catch((error: OcError) => error)
    expect((note as OcError).status).toBe(403)
    const [found, byNumber, none] = await service.db.tx(async (tx) => [
      await tickets().findByRequester(tx, caller, { usercode: `U-${driver}` }, { limit: 2 }),
      await tickets().findByNumber(tx, caller, made.number),
      await tickets().findByRequester(tx, caller, { email: 'nobody@example.com' }),
    ] as const)
    expect(found.map((t) => t.id)).toEqual([made.id, expect.any(String)])
    expect(found[0]!.requester.email).toBe('kim@example.com')
    expect(byNumber?.id).toBe(made.id)
    expect(none).toEqual([])
  })
})
