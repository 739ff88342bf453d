/**
 * Agent replies by mail, end to end on both drivers: a reply posted over the API reaches a real
 * SMTP server on loopback through the platform sender and through a tenant's own SMTP account,
 * in the service's compiled layout, with From / Reply-To from the sender information, the
 * ticket reference in the subject, a minted Message-ID recorded in the thread, In-Reply-To /
 * References from the thread, and the reply's attachments. Notes and customer replies are not
 * mailed; a redelivered event does not send twice; trigger-style mail goes without the layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts'
import { ok } from '../test-support.ts'
import { recordMailMessage } from './threads.ts'
import { sendServiceMail } from './outgoing.ts'
import { mailBed, type MailBed } from './test-bed.ts'
import { tenantDb } from '../../../core/storage/tenant-db.ts'
import type { TenantScope } from '../../../core/mod.ts'

const LAYOUT = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>SHOP BRAND HEADER</mj-text>
  <mj-text>#{content}</mj-text>
</mj-column></mj-section></mj-body></mjml>`

describe.each(DRIVERS)('agent replies by mail on %s', (driver) => {
  let platformSmtp: TestSmtpServer
  let tenantSmtp: TestSmtpServer
  let bed: MailBed
  let tickets: string
  beforeAll(async () => {
    platformSmtp = await startSmtpServer()
    tenantSmtp = await startSmtpServer()
    bed = await mailBed(driver, 'mo-org', platformSmtp.port)
    tickets = `${bed.api}/ticket/tickets`
    await ok(bed.call(`${bed.api}/ticket/mail/layout`, { method: 'PUT', body: { format: 'mjml', source: LAYOUT } }))
  }, 60_000)
  afterAll(async () => {
    await bed.close()
    await platformSmtp.close()
    await tenantSmtp.close()
  })

  const asAgent = (path: string, options: { method?: string; body?: unknown } = {}) => bed.call(path, { token: bed.agent.token, ...options })
  const createTicket = (extra: Record<string, unknown> = {}) =>
    ok(asAgent(tickets, { body: { title: '배송 문의 Broken parcel', content: 'The box arrived broken.', channel: 'email', requester: { email: 'kim@customer.example', name: '김민수' }, ...extra } }), 201)
  const header = (mail: { parsed: { headers: { key: string; value: string }[] } }, key: string) => mail.parsed.headers.find((h) => h.key === key)?.value
  const settings = (body: Record<string, unknown>) => ok(bed.call(`${bed.api}/ticket/mail/settings`, { method: 'PUT', body }))

  it('sends nothing before the service saves its e-mail settings', async () => {
    const ticket = await createTicket()
    await ok(asAgent(`${tickets}/${ticket.id}/agent-replies`, { body: { content: 'early reply' } }), 201)
    await bed.drain()
    expect(platformSmtp.received).toHaveLength(0)
  })

  it('mails an agent reply through the platform sender, in the layout, threaded, with attachments', async () => {
    await settings({ representativeAddress: 'support@shop.example', senderName: '쇼핑몰 고객센터' })
    const ticket = await createTicket()
    // The customer's original mail, as the inbound side records it.
    await bed.t.db.tenantTransaction(bed.scope, (tx) => recordMailMessage(tx, { messageId: '<question-1@customer.example>', ticketId: ticket.id, direction: 'in' }))
    const file = await ok(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: '송장.pdf', contentType: 'application/pdf', data: btoa('%PDF-1.4 label') } }), 201)
    const reply = await ok(asAgent(`${tickets}/${ticket.id}/agent-replies`, { body: { content: '안녕하세요 <고객>님,\n교환해 드리겠습니다.', attachmentIds: [file.id] } }), 201)
    await bed.drain()
    const mail = await platformSmtp.waitFor(1)
    expect(mail.envelopeTo).toEqual(['kim@customer.example'])
    expect(mail.parsed.from).toEqual({ name: '쇼핑몰 고객센터', address: 'no-reply@platform.example' })
    expect(mail.parsed.replyTo).toEqual([{ name: '', address: 'support@shop.example' }])
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] 배송 문의 Broken parcel`)
    const messageId = `<ticket.${ticket.id}.${reply.id}@platform.example>`
    expect(mail.parsed.messageId).toBe(messageId)
    expect(mail.parsed.inReplyTo).toBe('<question-1@customer.example>')
    expect(mail.parsed.references).toBe('<question-1@customer.example>')
    expect(mail.parsed.text).toBe('안녕하세요 <고객>님,\n교환해 드리겠습니다.')
    expect(mail.parsed.html).toContain('SHOP BRAND HEADER')
    expect(mail.parsed.html).toContain('안녕하세요 &lt;고객&gt;님,<br>\n교환해 드리겠습니다.')
    expect(mail.parsed.html).not.toContain('#{content}')
    expect(mail.parsed.attachments.map((a) => [a.filename, a.mimeType, new TextDecoder().decode(a.content as ArrayBuffer)])).toEqual([['송장.pdf', 'application/pdf', '%PDF-1.4 label']])
    const thread = await bed.t.db.query<{ message_id: string; direction: string; entry_id: string | null }>('SELECT message_id, direction, entry_id FROM ticket_mail_messages WHERE ticket_id = $1 ORDER BY seq', [ticket.id])
    expect(thread).toEqual([
      { message_id: '<question-1@customer.example>', direction: 'in', entry_id: null },
      { message_id: messageId, direction: 'out', entry_id: reply.id },
    ])

    // The next reply answers the customer's mail and references the whole thread.
    await ok(asAgent(`${tickets}/${ticket.id}/agent-replies`, { body: { content: 'second answer' } }), 201)
    await bed.drain()
    const second = await platformSmtp.waitFor(2)
    expect(second.parsed.inReplyTo).toBe('<question-1@customer.example>')
    expect(second.parsed.references).toBe(`<question-1@customer.example> ${messageId}`)
  })

  it('does not mail internal notes or customer replies, and does not send a redelivered reply twice', async () => {
    const before = platformSmtp.received.length
    const ticket = await createTicket()
    await ok(asAgent(`${tickets}/${ticket.id}/notes`, { body: { content: 'internal: check the warehouse' } }), 201)
    await ok(asAgent(`${tickets}/${ticket.id}/customer-replies`, { body: { content: 'any news?' } }), 201)
    const reply = await ok(asAgent(`${tickets}/${ticket.id}/agent-replies`, { body: { content: 'shipped today' } }), 201)
    await bed.drain()
    await platformSmtp.waitFor(before + 1)
    expect(platformSmtp.received.slice(before).map((m) => m.parsed.text?.trim())).toEqual(['shipped today'])
    // Deliver the reply's event again, as after a lost acknowledgement.
    const again = await bed.t.db.query(
      `UPDATE oc_event_deliveries SET state = 'pending', next_attempt_at = now()
       WHERE subscriber = 'ticket:mail-agent-reply' AND outbox_id IN (SELECT id FROM oc_outbox WHERE type = 'ticket.replied' AND payload->>'entryId' = $1) RETURNING id`,
      [reply.id],
    )
    expect(again).toHaveLength(1)
    await bed.drain()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(platformSmtp.received.slice(before).map((m) => m.parsed.text?.trim())).toEqual(['shipped today'])
  })

  it("mails through the service's own SMTP account when it is the sending account", async () => {
    const account = await ok(bed.call(`${bed.api}/ticket/mail/accounts`, { body: { address: 'help@shop.example', displayName: 'Shop Help', smtp: { host: '127.0.0.1', port: tenantSmtp.port, secure: false } } }), 201)
    await settings({ representativeAddress: 'support@shop.example', senderName: 'Shop 고객센터', sendingAccountId: account.id })
    const before = platformSmtp.received.length
    const ticket = await createTicket({ channel: 'web', requester: { email: 'lee@customer.example' } })
    const reply = await ok(asAgent(`${tickets}/${ticket.id}/agent-replies`, { body: { content: 'via our own server' } }), 201)
    await bed.drain()
    const mail = await tenantSmtp.waitFor(1)
    expect(mail.envelopeTo).toEqual(['lee@customer.example'])
    expect(mail.parsed.from).toEqual({ name: 'Shop 고객센터', address: 'help@shop.example' })
    expect(mail.parsed.replyTo).toEqual([{ name: '', address: 'support@shop.example' }])
    expect(mail.parsed.messageId).toBe(`<ticket.${ticket.id}.${reply.id}@shop.example>`)
    expect(mail.parsed.inReplyTo).toBeUndefined()
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] 배송 문의 Broken parcel`)
    expect(mail.parsed.html).toContain('SHOP BRAND HEADER')
    expect(platformSmtp.received).toHaveLength(before)
    await settings({ representativeAddress: 'support@shop.example', senderName: '쇼핑몰 고객센터' })
  })

  it('sends trigger-style mail without the layout, with the given headers and a recorded Message-ID', async () => {
    const before = platformSmtp.received.length
    const ticket = await createTicket()
    // The parts of a plugin context sendServiceMail reads; it writes no event, so no event catalogue.
    const ctx = { db: bed.t.db, tenantDb: (scope: TenantScope) => tenantDb(bed.t.db, scope, new Map()), crypto: bed.crypto, mail: pluginMailOf(platformSmtp), outbound: { check: async () => new URL('https://x/') }, log: silentLog } as never
    const sent = await sendServiceMail(ctx, bed.scope, { to: 'kim@customer.example', subject: 'We got your question', text: 'Thanks!', html: '<p>Thanks!</p>', useLayout: false, ticketId: ticket.id, headers: { 'Auto-Submitted': 'auto-generated' } })
    const mail = await platformSmtp.waitFor(before + 1)
    expect(sent.messageId).toMatch(new RegExp(`^<ticket\\.${ticket.id}\\.[0-9a-f-]{36}@platform\\.example>$`))
    expect(mail.parsed.messageId).toBe(sent.messageId)
    expect(mail.parsed.html?.trim()).toBe('<p>Thanks!</p>')
    expect(header(mail, 'auto-submitted')).toBe('auto-generated')
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] We got your question`)
    const [row] = await bed.t.db.query<{ direction: string }>('SELECT direction FROM ticket_mail_messages WHERE message_id = $1', [sent.messageId])
    expect(row?.direction).toBe('out')
  })
})

const silentLog = { info() {}, warn() {}, error() {}, debug() {}, child: () => silentLog }

/** The platform sender alone, as `ctx.mail` (the test calls sendServiceMail directly). */
function pluginMailOf(server: TestSmtpServer) {
  return {
    from: 'OpenContact <no-reply@platform.example>',
    canConnect: false,
    async send(message: import('../../../core/mod.ts').MailMessage) {
      const { smtpTransport } = await import('../../../core/mail/smtp.ts')
      const transport = smtpTransport({ host: '127.0.0.1', port: server.port, ignoreTLS: true, pool: false })
      try {
        return await transport.send({ ...message, from: message.from ?? 'OpenContact <no-reply@platform.example>' })
      } finally {
        await transport.close?.()
      }
    },
    sendVia: async () => {
      throw new Error('not in this test')
    },
  }
}
