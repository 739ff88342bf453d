/**
 * The requester's e-mail address sealed where the service marks its `email` system field
 * personal info (requester-email.ts), on both drivers: created over the API and from incoming
 * mail, no plaintext of the address in the ticket or its history, readable by agents, found by a
 * case-insensitive search, threading mail by the subject reference from the requester, and
 * changed with a redacted history entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { mailBed, rawMail, type MailBed } from '../mail/inbound/test-bed.ts'

describe.each(DRIVERS)('sealed requester e-mail on %s', (driver) => {
  let bed: MailBed
  beforeAll(async () => {
    bed = await mailBed(driver, 'sealed-mail')
    const fields = (await ok(bed.call(`${bed.api}/ticket/fields`))).fields as { id: string; code: string }[]
    const email = fields.find((f) => f.code === 'email')!
    expect(await ok(bed.call(`${bed.api}/ticket/fields/${email.id}`, { method: 'PATCH', body: { personalInfo: true } }))).toMatchObject({ personalInfo: true })
  }, 60_000)
  afterAll(() => bed.t.close())

  const asAgent = (path: string, options: { method?: string; body?: unknown } = {}) => bed.call(path, { token: bed.agentToken, ...options })
  /** Everything the database holds about a ticket, as text. */
  const stored = async (id: string) => {
    const [ticket] = await bed.t.db.query<Record<string, unknown>>('SELECT * FROM tickets WHERE id = $1', [id])
    const history = await bed.t.db.query('SELECT * FROM ticket_history WHERE ticket_id = $1', [id])
    const audit = await bed.t.db.query('SELECT * FROM oc_audit WHERE target_id = $1::text', [id])
    return { ticket: ticket!, text: JSON.stringify([ticket, history, audit]) }
  }
  const search = async (address: string) =>
    (await ok(asAgent(`${bed.api}/ticket/tickets?fieldCode=email&fieldValue=${encodeURIComponent(address)}`))).tickets.map((t: { id: string }) => t.id)

  it('keeps an address sent over the API sealed, and answers it to agents', async () => {
    const made = await ok(asAgent(`${bed.api}/ticket/tickets`, { body: { title: 'Refund', content: '환불 요청', channel: 'web', requester: { email: 'Park.Jiwoo@customer.example', name: '박지우' } } }), 201)
    expect(made.requester.email).toBe('Park.Jiwoo@customer.example')
    const { ticket, text } = await stored(made.id)
    expect(ticket.requester_email).toBeNull()
    expect((ticket.secret_fields as Record<string, string>).email).toMatch(/^oc1\.1\./)
    expect(text.toLowerCase()).not.toContain('park.jiwoo')

    const read = await ok(asAgent(`${bed.api}/ticket/tickets/${made.id}`))
    expect(read.requester.email).toBe('Park.Jiwoo@customer.example')
    expect(read.fields).not.toHaveProperty('email')
    expect(await search('park.jiwoo@CUSTOMER.example')).toEqual([made.id])
    expect(await search('someone.else@customer.example')).toEqual([])
  })

  it('changes a sealed address with a redacted history entry', async () => {
    const made = await ok(asAgent(`${bed.api}/ticket/tickets`, { body: { title: 'Address', content: '주소 변경', channel: 'web', requester: { email: 'old.address@customer.example' } } }), 201)
    const changed = await ok(asAgent(`${bed.api}/ticket/tickets/${made.id}`, { method: 'PATCH', body: { requester: { email: 'new.address@customer.example' } } }))
    expect(changed.requester.email).toBe('new.address@customer.example')
    const history = (await ok(asAgent(`${bed.api}/ticket/tickets/${made.id}/history`))).history as { field: string; from: unknown; to: unknown; redacted: boolean }[]
    expect(history.find((h) => h.field === 'requester.email')).toMatchObject({ from: null, to: null, redacted: true })
    const { text } = await stored(made.id)
    expect(text).not.toContain('old.address')
    expect(text).not.toContain('new.address')
    expect(await search('new.address@customer.example')).toEqual([made.id])
    expect(await search('old.address@customer.example')).toEqual([])
  })

  it('seals the sender of incoming mail and threads the sender\'s replies by the subject reference', async () => {
    const first = await bed.postMail(rawMail({ from: 'Choi <Choi.Minji@Customer.Example>', subject: 'Where is my parcel' }))
    expect(first.body.outcome).toBe('created')
    const { ticket, text } = await stored(first.body.ticketId)
    expect(ticket.requester_email).toBeNull()
    expect(text.toLowerCase(), text).not.toContain('choi.minji')
    const read = await ok(asAgent(`${bed.api}/ticket/tickets/${first.body.ticketId}`))
    expect(read.requester.email).toBe('choi.minji@customer.example')

    const reply = await bed.postMail(rawMail({ from: 'choi.minji@customer.example', subject: `RE: [#${read.number}] Where is my parcel`, text: 'Any news?' }))
    expect(reply.body).toMatchObject({ outcome: 'threaded', ticketId: first.body.ticketId })
    const stranger = await bed.postMail(rawMail({ from: 'mallory@elsewhere.example', subject: `RE: [#${read.number}] Where is my parcel`, text: 'Let me in' }))
    expect(stranger.body.outcome).toBe('created')
  })
})
