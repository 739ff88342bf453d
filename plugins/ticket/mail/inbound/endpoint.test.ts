/**
 * Incoming mail through POST /ticket/mail/inbound on both drivers: a new mail becomes an email
 * ticket with its files (downloadable through the attachment API; refused files named in the
 * text), replies thread by In-Reply-To / References and by the subject reference from the
 * requester, duplicates and the service's own mail are not taken in twice, automatic mail
 * (auto-replies, a real DSN bounce, receipts, our own addresses) creates nothing, and the route
 * refuses agents, other content types and bodies over the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../../test/support/databases.ts'
import { ok } from '../../test-support.ts'
import { recordMailMessage } from '../threads.ts'
import { mailBed, poisonedSender, rawMail, type MailBed } from './test-bed.ts'
import { MAIL_BODY_LIMIT } from '../../routes/mail-inbound.ts'

const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3, 4])

describe.each(DRIVERS)('incoming mail endpoint on %s', (driver) => {
  let bed: MailBed
  beforeAll(async () => {
    bed = await mailBed(driver, 'mail-in')
    // The representative address makes the service's own mail recognisable.
    await ok(bed.call(`${bed.api}/ticket/mail/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', senderName: 'Shop support' } }))
  }, 60_000)
  afterAll(() => bed.t.close())

  const asAgent = (path: string, options: { method?: string; body?: unknown } = {}) => bed.call(path, { token: bed.agentToken, ...options })
  const ticket = (id: string) => ok(asAgent(`${bed.api}/ticket/tickets/${id}`))
  const entries = (id: string) => ok(asAgent(`${bed.api}/ticket/tickets/${id}/entries`))
  const counts = async () => {
    const [row] = await bed.t.db.query<{ tickets: number; entries: number; attachments: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM ticket_entries) AS entries,
              (SELECT count(*)::int FROM ticket_attachments) AS attachments, (SELECT count(*)::int FROM oc_outbox WHERE type LIKE 'ticket.%') AS events`,
    )
    return row!
  }
  const created = async (raw: string) => {
    const res = await bed.postMail(raw)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.outcome).toBe('created')
    return res.body as { ticketId: string; entryId: null; messageId: string }
  }
  const recordOut = (ticketId: string, messageId: string) => bed.t.db.tenantTransaction(bed.scope, (tx) => recordMailMessage(tx, { messageId, ticketId, direction: 'out' }))

  it('creates an email ticket from a new mail: requester from From, title from Subject, files stored and downloadable, refused files named', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(65)
    const raw = rawMail({
      from: '"김민수" <Kim.Minsu@Customer.Example>',
      subject: '주문한 상품이 오지 않았어요',
      text: '안녕하세요. 주문 AB-1234 가 아직 도착하지 않았습니다.',
      attachments: [
        { fileName: 'receipt.pdf', contentType: 'application/pdf', content: pdf },
        { fileName: 'photo.png', contentType: 'image/png', content: png },
        { fileName: 'setup.exe', contentType: 'application/x-msdownload', content: new Uint8Array([77, 90, 1, 2]) },
        { fileName: 'huge.png', contentType: 'image/png', content: big },
      ],
    })
    const taken = await created(raw)
    expect(taken.entryId).toBeNull()
    const made = await ticket(taken.ticketId)
    expect(made).toMatchObject({ channel: 'email', status: 'new', title: '주문한 상품이 오지 않았어요', requester: { email: 'kim.minsu@customer.example', name: '김민수' }, createdBy: { type: 'anonymous', id: null } })
    expect(made.content).toContain('주문 AB-1234 가 아직 도착하지 않았습니다.')
    expect(made.content).toContain('[attachment not kept: setup.exe (its content is not a file type accepted here)]')
    expect(made.content).toContain('[attachment not kept: huge.png (10.0 MB, over the 10.0 MB limit)]')

    const conversation = await entries(taken.ticketId)
    expect(conversation.entries).toEqual([])
    // Stored in one transaction, so their times tie: compare without order.
    const byName = new Map<string, any>(conversation.attachments.map((a: any) => [a.fileName, a]))
    expect([...byName.values()].map((a) => [a.fileName, a.contentType, a.size]).sort()).toEqual([
      ['photo.png', 'image/png', png.byteLength],
      ['receipt.pdf', 'application/pdf', pdf.byteLength],
    ])
    for (const [name, bytes] of [['receipt.pdf', pdf], ['photo.png', png]] as const) {
      const res = await bed.t.platform.fetch(new Request(`http://opencontact.test${bed.api}/ticket/attachments/${byName.get(name).id}`, { headers: { authorization: `Bearer ${bed.agentToken}` } }))
      expect(res.status).toBe(200)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    }
    const events = await bed.t.db.query<{ type: string; payload: any }>(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [taken.ticketId])
    expect(events.map((e) => e.type)).toEqual(['ticket.created'])
    expect(events[0]!.payload).toMatchObject({ channel: 'email', status: 'new', actor: { type: 'anonymous', id: null } })
    const thread = await bed.t.db.query<{ message_id: string; direction: string; entry_id: string | null }>('SELECT message_id, direction, entry_id FROM ticket_mail_messages WHERE ticket_id = $1', [taken.ticketId])
    expect(thread).toEqual([{ message_id: taken.messageId, direction: 'in', entry_id: null }])
  })

  it('files a mailed-in ticket through the tickets service as an API create: the same events, and an audit entry', async () => {
    const taken = await created(rawMail({ from: 'lee@customer.example', subject: '  환불 문의  ', text: '환불해 주세요.' }))
    const api = await ok(asAgent(`${bed.api}/ticket/tickets`, { body: { title: '환불 문의', content: '환불해 주세요.', channel: 'email' } }), 201)
    const trail = async (id: string) => ({
      events: (await bed.t.db.query<{ type: string; payload: any }>(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [id])).map((e) => [e.type, Object.keys(e.payload).sort()]),
      audit: await bed.t.db.query<{ action: string; after: any }>('SELECT action, after FROM oc_audit WHERE target_id = $1', [id]),
    })
    const mail = await trail(taken.ticketId)
    expect(mail.events).toEqual((await trail(api.id)).events)
    expect(mail.audit).toEqual([{ action: 'ticket.ticket.created', after: expect.objectContaining({ channel: 'email', via: 'mail-endpoint', by: expect.objectContaining({ kind: 'mail', label: 'lee@customer.example' }) }) }])
    expect((await ticket(taken.ticketId)).title).toBe('환불 문의')
  })

  it('takes in a mail the web form would refuse: no intake category, no privacy consent, a blank text', async () => {
    const made = await ticket((await created(rawMail({ subject: '가'.repeat(300), text: '   ' }))).ticketId)
    expect([...made.title].length).toBeLessThanOrEqual(255)
    expect(made).toMatchObject({ intakeCategoryId: null, fields: {}, content: '(no text)' })
  })

  it('keeps the text of an HTML-only mail, and cuts text beyond the ticket limit with a note', async () => {
    const html = rawMail({ subject: 'HTML only', text: '' }).replace(
      /Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n/,
      'Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hello <b>support</b>,</p><p>the parcel &amp; the invoice are missing.</p><script>alert(1)</script></body></html>',
    )
    const made = await ticket((await created(html)).ticketId)
    expect(made.content).toContain('Hello support,')
    expect(made.content).toContain('the parcel & the invoice are missing.')
    expect(made.content).not.toMatch(/<\/?(p|b|script)>/)

    const long = await ticket((await created(rawMail({ subject: 'Long', text: 'x'.repeat(25_000) }))).ticketId)
    expect([...long.content].length).toBeLessThanOrEqual(20_000)
    expect(long.content).toMatch(/\[message shortened: 25000 characters received, the rest was not kept\]$/)
  })

  it('threads a reply to a mail the service sent (In-Reply-To) as a customer reply, reopening a completed ticket', async () => {
    const first = await created(rawMail({ subject: 'Broken box' }))
    const ours = `<reply-1.${first.ticketId}@shop.example>`
    expect(await recordOut(first.ticketId, ours)).toBe(true)
    await ok(asAgent(`${bed.api}/ticket/tickets/${first.ticketId}`, { method: 'PATCH', body: { status: 'completed' } }))

    const reply = await bed.postMail(rawMail({ subject: 'Re: Broken box', inReplyTo: ours, references: `${first.messageId} ${ours}`, text: 'Thanks, but it is still broken.', attachments: [{ fileName: 'box.png', contentType: 'image/png', content: png }] }))
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    expect(reply.body).toMatchObject({ outcome: 'threaded', ticketId: first.ticketId })
    const conversation = await entries(first.ticketId)
    expect(conversation.entries).toHaveLength(1)
    expect(conversation.entries[0]).toMatchObject({ id: reply.body.entryId, kind: 'customer-reply', content: 'Thanks, but it is still broken.', author: { type: 'anonymous', label: 'kim@customer.example' } })
    expect(conversation.entries[0].attachments.map((a: any) => a.fileName)).toEqual(['box.png'])
    expect((await ticket(first.ticketId)).status).toBe('open')
    const events = await bed.t.db.query<{ type: string; payload: any }>(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [first.ticketId])
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.updated', 'ticket.status-changed', 'ticket.replied', 'ticket.status-changed'])
    expect(events[3]!.payload).toMatchObject({ kind: 'customer-reply', entryId: reply.body.entryId })
    expect(events[4]!.payload).toMatchObject({ from: 'completed', to: 'open' })

    // References alone (a client that drops In-Reply-To) thread too.
    const viaReferences = await bed.postMail(rawMail({ subject: 'Re: Broken box', references: `${first.messageId} ${ours}`, text: 'One more thing.' }))
    expect(viaReferences.body).toMatchObject({ outcome: 'threaded', ticketId: first.ticketId })
  })

  it('falls back to the [#number] subject reference, only from the requester', async () => {
    const first = await created(rawMail({ from: 'lee@customer.example', subject: 'Invoice question' }))
    const { number } = await ticket(first.ticketId)
    const fromRequester = await bed.postMail(rawMail({ from: 'Lee <LEE@customer.example>', subject: `RE: [#${number}] Invoice question`, text: 'Any news?' }))
    expect(fromRequester.body).toMatchObject({ outcome: 'threaded', ticketId: first.ticketId })
    const fromStranger = await bed.postMail(rawMail({ from: 'mallory@elsewhere.example', subject: `RE: [#${number}] Invoice question`, text: 'Let me in' }))
    expect(fromStranger.status).toBe(201)
    expect(fromStranger.body.outcome).toBe('created')
    expect(fromStranger.body.ticketId).not.toBe(first.ticketId)
    expect((await entries(first.ticketId)).entries.map((e: any) => e.content)).toEqual(['Any news?'])
  })

  it('ignores a message it already has (same Message-ID), and its own sent messages coming back', async () => {
    const raw = rawMail({ subject: 'Twice', attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', content: pdf }] })
    const first = await created(raw)
    const before = await counts()
    const again = await bed.postMail(raw)
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ outcome: 'duplicate', reason: 'message-id-known', messageId: first.messageId })
    expect(await counts()).toEqual(before)

    const ours = `<sent-${crypto.randomUUID()}@shop.example>`
    await recordOut(first.ticketId, ours)
    const echo = await bed.postMail(rawMail({ from: 'someone@customer.example', messageId: ours }))
    expect(echo.body).toMatchObject({ outcome: 'ignored', reason: 'own-message' })

    // No Message-ID at all: the same bytes twice are still one ticket.
    const anonymous = rawMail({ subject: 'No id', messageId: null })
    const once = await created(anonymous)
    expect(once.messageId).toMatch(/^<[0-9a-f]{64}@opencontact\.invalid>$/)
    expect((await bed.postMail(anonymous)).body).toMatchObject({ outcome: 'duplicate' })
  })

  it('creates nothing for auto-replies, bounces, receipts and mail from its own addresses', async () => {
    const target = await created(rawMail({ subject: 'Original question' }))
    const ours = `<notice-${crypto.randomUUID()}@shop.example>`
    await recordOut(target.ticketId, ours)
    const dsnBoundary = 'dsn-boundary-1'
    const bounce = [
      'Return-Path: <>',
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      'To: support@shop.example',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <bounce-${crypto.randomUUID()}@mx.customer.example>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${dsnBoundary}"`,
      '',
      `--${dsnBoundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.customer.example. Your message could not be delivered.',
      '',
      `--${dsnBoundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      'Final-Recipient: rfc822; gone@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      `--${dsnBoundary}`,
      'Content-Type: message/rfc822',
      '',
      'From: support@shop.example',
      'To: gone@customer.example',
      'Subject: [#1] Re: Original question',
      `Message-ID: ${ours}`,
      '',
      'We are looking into it.',
      '',
      `--${dsnBoundary}--`,
      '',
    ].join('\r\n')
    // Each rule on its own: strip the other signals from the DSN to show the report type alone is enough.
    const bareDsn = bounce.replace('Return-Path: <>\r\n', '').replace('Auto-Submitted: auto-replied\r\n', '').replace('MAILER-DAEMON@', 'reports@')
    const receipt = rawMail({ subject: 'Read: question', headers: {} }).replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: multipart/report; report-type=disposition-notification; boundary="x"')
    const cases: [string, string][] = [
      [rawMail({ subject: 'Out of office', headers: { 'Auto-Submitted': 'auto-replied' }, inReplyTo: ours }), 'auto-submitted'],
      [rawMail({ subject: 'Automatic reply', headers: { 'X-Autoreply': 'yes' } }), 'auto-reply'],
      [rawMail({ subject: 'Automatic reply', headers: { 'X-Autorespond': 'Vacation' } }), 'auto-reply'],
      [rawMail({ subject: 'Automatic reply: question', headers: { 'X-Auto-Response-Suppress': 'All' } }), 'auto-reply'],
      [rawMail({ subject: 'Newsletter', headers: { Precedence: 'bulk' } }), 'precedence'],
      [rawMail({ subject: 'List digest', headers: { Precedence: 'list', 'List-Id': '<news.customer.example>' } }), 'precedence'],
      [bounce, 'auto-submitted'],
      [bareDsn, 'bounce'],
      [rawMail({ subject: 'Returned', headers: { 'Return-Path': '<>' } }), 'bounce'],
      [rawMail({ from: 'postmaster@customer.example', subject: 'Delivery problem' }), 'bounce'],
      [receipt, 'read-receipt'],
      [rawMail({ from: '"Shop support" <Support@Shop.Example>', subject: 'Copy of our answer' }), 'own-address'],
      [rawMail({ from: PLATFORM_FROM_ADDRESS, subject: 'Platform notice' }), 'own-address'],
    ]
    const before = await counts()
    for (const [raw, reason] of cases) {
      const res = await bed.postMail(raw)
      expect(res.status, `${reason}: ${JSON.stringify(res.body)}`).toBe(200)
      expect(res.body, reason).toMatchObject({ outcome: 'ignored', reason })
    }
    expect(await counts()).toEqual(before)
    // Auto-Submitted: no is a person's mail; a list mail without a bulk Precedence is taken in.
    expect((await bed.postMail(rawMail({ subject: 'Human', headers: { 'Auto-Submitted': 'no' } }))).body.outcome).toBe('created')
    expect((await bed.postMail(rawMail({ subject: 'Via the team alias', headers: { 'List-Id': '<support.shop.example>' } }))).body.outcome).toBe('created')
  })

  it('cleans what storage cannot hold: a NUL in a base64 text body, subject and file name is removed, the ticket is made', async () => {
    const subject = `=?utf-8?B?${Buffer.from('Broken\u0000 export').toString('base64')}?=`
    const taken = await created(rawMail({ subject, text: 'Line one\u0000 and two', attachments: [{ fileName: 'a\u0000b.pdf', contentType: 'application/pdf', content: pdf }] }))
    const made = await ticket(taken.ticketId)
    expect(made.title).toBe('Broken export')
    expect(made.content).toContain('Line one and two')
    expect(made.content).not.toContain('\u0000')
    const files = await entries(taken.ticketId)
    expect(files.attachments.map((a: any) => a.fileName)).toEqual(['ab.pdf'])
  })

  it('sets aside a message storage refuses (a sender address too long for its index): 422 naming it, listed for admins, dismissable', async () => {
    const before = await counts()
    const sender = poisonedSender()
    const messageId = `<poison-${crypto.randomUUID()}@customer.example>`
    const res = await bed.postMail(rawMail({ from: sender, subject: 'Poisoned', messageId }))
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    expect(res.body.error.code).toBe('TICKET_MAIL_SET_ASIDE')
    expect(res.body.error.message).toContain(messageId)
    expect(await counts()).toEqual(before)
    const listed = await ok(bed.call(`${bed.api}/ticket/mail/set-aside?limit=1`))
    expect(listed.messages[0]).toMatchObject({ messageId, subject: 'Poisoned', source: 'endpoint', accountId: null, error: { code: '54000' } })
    expect(listed.messages[0].from).toBe(sender.slice(0, 320))
    // Agents do not see it; an admin dismisses it once.
    expect((await asAgent(`${bed.api}/ticket/mail/set-aside`)).status).toBe(403)
    expect((await bed.call(`${bed.api}/ticket/mail/set-aside/${listed.messages[0].id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${bed.api}/ticket/mail/set-aside/${listed.messages[0].id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await bed.call(`${bed.api}/ticket/mail/set-aside?cursor=nope`)).status).toBe(422)
  })

  it('takes mail only from service keys, as message/rfc822, within the body limit', async () => {
    const agent = await bed.postMail(rawMail(), { token: bed.agentToken })
    expect(agent.status).toBe(403)
    expect(agent.body.error.code).toBe('OC_FORBIDDEN')
    const wrongType = await bed.postMail(rawMail(), { contentType: 'text/plain' })
    expect(wrongType.status).toBe(415)
    expect(wrongType.body.error.message).toContain('message/rfc822')
    const empty = await bed.postMail('')
    expect(empty.status).toBe(422)
    const anonymous = await bed.postMail(rawMail(), { token: 'not-a-key' })
    expect(anonymous.status).toBe(401)
    // The route's own limit, far above the platform's 1 MiB default (under which the mails above with files passed).
    const tooBig = await bed.postMail(new Uint8Array(MAIL_BODY_LIMIT + 1).fill(65))
    expect(tooBig.status).toBe(413)
    expect(tooBig.body.error.code).toBe('OC_PAYLOAD_TOO_LARGE')
    const noSender = await bed.postMail('Subject: nobody\r\nMessage-ID: <nobody@x.example>\r\n\r\nhello\r\n')
    expect(noSender.body).toMatchObject({ outcome: 'ignored', reason: 'no-sender' })
  })

  it("refuses another tenant's service key, and takes nothing in for either service", async () => {
    await bed.t.createService('mail-in-other', 'desk', ['ticket'])
    const otherApi = '/o/mail-in-other/desk/api/v1'
    await ok(bed.call(`${otherApi}/open-api`, { method: 'PUT', body: { enabled: true } }))
    const theirKey = (await ok(bed.call(`${otherApi}/open-api/keys`, { body: { name: 'their pipe' } }), 201)).token as string
    const before = await counts()
    const res = await bed.postMail(rawMail({ subject: 'Through the wrong door' }), { token: theirKey })
    expect(res.status, JSON.stringify(res.body)).toBe(403)
    expect(res.body.error).toMatchObject({ code: 'OC_FORBIDDEN', message: expect.stringContaining('belongs to another service') })
    expect(await counts()).toEqual(before)
    // The key works where it belongs.
    const own = await bed.t.platform.fetch(new Request(`http://opencontact.test${otherApi}/ticket/mail/inbound`, { method: 'POST', headers: { authorization: `Bearer ${theirKey}`, 'content-type': 'message/rfc822' }, body: new TextEncoder().encode(rawMail({ subject: 'Through the right door' })) }))
    expect(own.status).toBe(201)
  })

  it('describes the raw body in the OpenAPI document', async () => {
    const doc = await ok(bed.call(`${bed.api}/openapi.json`))
    const op = doc.paths['/ticket/mail/inbound'].post
    expect(op.requestBody.content['message/rfc822'].schema).toMatchObject({ type: 'string', format: 'binary' })
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '413', '415']))
  })
})

const PLATFORM_FROM_ADDRESS = 'no-reply@platform.test'
