/**
 * Ticket numbers go only to creates that passed validation (create.ts), on both drivers: refused
 * creates (a bad field value, a missing required field, an unknown reference) take no number, so
 * the service's first ticket is #1 after them, and creates running at the same time, refused and
 * accepted mixed, leave the accepted ones with distinct, consecutive numbers. The compat OPEN API
 * create (`POST /openapi/v1/ticket.json`), on the same create path, takes none for its refusals
 * either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { compatBed, type CompatBed, signedClient } from '../../../test/oc-compat/harness.ts'
import { ocClient } from '../../../test/oc-compat/client.ts'
import { ok } from '../test-support.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

describe.each(DRIVERS)('ticket numbers after refused creates on %s', (driver) => {
  let bed: TicketBed
  let tickets: string
  beforeAll(async () => {
    bed = await ticketBed(driver, 'rn-org')
    tickets = `${bed.api}/ticket/tickets`
  }, 60_000)
  afterAll(() => bed.t.close())

  const draft = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    title: 'Refund',
    content: '환불 요청합니다.',
    channel: 'email',
    requester: { email: 'kim@example.com' },
    intakeCategoryId: bed.intake.billing,
    fields: { privacy_consent: true, ...fields },
    ...extra,
  })
  const good = () => draft({ order_no: 'AB12' })
  const badValue = () => draft({ order_no: 'AB12', quantity: 'many' })
  const missingRequired = () => draft({ quantity: 1 })
  const post = (body: unknown, token?: string) => bed.call(tickets, { body, ...(token ? { token } : {}) })

  it('gives the first ticket number 1 after two refused creates', async () => {
    const bad = await post(badValue())
    expect(bad.status, JSON.stringify(bad.body)).toBe(422)
    expect(bad.body.error.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.quantity' }))
    const missing = await post(missingRequired())
    expect(missing.status, JSON.stringify(missing.body)).toBe(422)
    expect(missing.body.error.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.order_no', code: 'required' }))
    expect((await ok(post(good()), 201)).number).toBe(1)
    // Refusals of other kinds take none either: a service key's inquiry without consent, an unknown agent.
    expect((await post(draft({ order_no: 'AB12', privacy_consent: undefined }), bed.serviceKey)).status).toBe(422)
    expect((await post(draft({ order_no: 'AB12' }, { assigneeAgentId: bed.fieldIds.order_no }))).status).toBe(422)
    expect((await ok(post(good(), bed.serviceKey), 201)).number).toBe(2)
  })

  it('hands concurrent creates distinct numbers without gaps from the refused ones among them', async () => {
    const [top] = await bed.t.db.query<{ last: number }>('SELECT max(number)::int AS last FROM tickets WHERE service_id = $1', [bed.scope.serviceId])
    const last = top!.last
    const bodies = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? badValue() : i % 3 === 1 ? missingRequired() : good()))
    const answers = await Promise.all(bodies.map((body) => post(body)))
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(8).fill(201), ...Array(16).fill(422)])
    const numbers = answers.filter((a) => a.status === 201).map((a) => a.body.number as number).sort((a, b) => a - b)
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => last + 1 + i))
    const [counter] = await bed.t.db.query<{ last_number: string }>('SELECT last_number FROM ticket_counters WHERE service_id = $1', [bed.scope.serviceId])
    expect(Number(counter!.last_number)).toBe(last + 8)
  })
})

describe.each(DRIVERS)('compat ticket numbers after refused creates on %s', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  let categoryId: number
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
    categoryId = (await client.categories()).body.result.contents[1].categoryId
  }, 120_000)
  afterAll(() => bed?.t.close())

  const inquiry = (userFields: { code: string; value: unknown }[]) => ({
    categoryId,
    subject: 'help',
    content: 'please help',
    endUser: { usercode: 'numbered-user', email: 'u1@example.com' },
    userFields: [{ code: 'privacy_consent', value: 'true' }, ...userFields],
  })

  it('gives the first ticket number 1 after a bad value and a missing required field', async () => {
    const bad = await client.createTicket(inquiry([{ code: 'order_no', value: 'A-1' }, { code: 'visit_date', value: 'yesterday' }]))
    expect(bad.status, JSON.stringify(bad.body)).toBe(400)
    expect(bad.body.result.contents).toEqual([expect.objectContaining({ objectName: 'visit_date', validate: 'invalid' })])
    const missing = await client.createTicket(inquiry([]))
    expect(missing.status, JSON.stringify(missing.body)).toBe(400)
    expect(missing.body.result.contents).toEqual([expect.objectContaining({ objectName: 'order_no', validate: 'required' })])
    const filed = await client.createTicket(inquiry([{ code: 'order_no', value: 'A-1' }]))
    expect(filed.status, JSON.stringify(filed.body)).toBe(200)
    const rows = await bed.t.db.query<{ number: number }>('SELECT number::int AS number FROM tickets WHERE service_id = $1', [bed.scope.serviceId])
    expect(rows.map((r) => r.number)).toEqual([1])
  })
})
