/**
 * C16 end to end, on both database drivers: the documentation-only client files a ticket with
 * user fields and an attachment, lists and reads it, adds a comment; the native API then shows
 * the same ticket, values (the personal-info one decrypted) and file, the service's triggers ran
 * on it, and nothing the client sent in confidence is stored in plaintext.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../support/databases.ts'
import { compatBed, type CompatBed, signedClient } from './harness.ts'
import { ocClient } from './client.ts'
import { PNG } from '../support/files.ts'

describe.each(DRIVERS)('Online Contact OPEN API compatibility (%s)', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
  }, 120_000)
  afterAll(() => bed?.t.close())

  it('files, lists, reads and comments on a ticket; the native API sees the same ticket and triggers ran on it', async () => {
    // A trigger of the service: new web tickets from example.com go to the first-line group.
    const group = (await bed.call(`${bed.api}/groups`, { body: { name: '1차 상담' } })).body.id
    const trigger = await bed.call(`${bed.api}/ticket/triggers`, {
      body: {
        title: 'Route example.com',
        conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'channel', operator: 'is', value: 'web' }, { attribute: 'requesterDomain', operator: 'is', value: 'example.com' }] },
        results: [{ type: 'assign', groupId: group, mode: 'random' }],
      },
    })
    expect(trigger.status).toBe(201)

    // Submission types: the child lists its parent in its path.
    const categories = await client.categories({ language: 'en' })
    expect(categories.status).toBe(200)
    expect(categories.body.header).toEqual({ resultCode: 200, resultMessage: '', isSuccessful: true })
    const [billing, refund] = categories.body.result.contents
    expect(billing).toMatchObject({ parent: 0, name: 'Billing', level: 1, path: '\\', languages: { ko: '결제', en: 'Billing' } })
    expect(refund).toMatchObject({ parent: billing.categoryId, name: 'Refund', level: 2, path: `\\${billing.categoryId}\\` })
    expect(Number.isInteger(refund.categoryId)).toBe(true)
    expect((await client.categories({ parent: String(billing.categoryId) })).body.result.contents.map((c: any) => c.categoryId)).toEqual([refund.categoryId])
    expect((await client.categories({ child: String(refund.categoryId) })).body.result.contents.map((c: any) => c.categoryId)).toEqual([billing.categoryId])

    // The form of the category: the fields to send by code.
    const fields = (await client.fields(refund.categoryId, 'en')).body.result.contents
    const byCode = Object.fromEntries(fields.map((f: any) => [f.code, f]))
    expect(Object.keys(byCode)).toEqual(expect.arrayContaining(['order_no', 'resident_no', 'colors', 'visit_date', 'period', 'marketing', 'privacy_consent']))
    expect(byCode.order_no).toMatchObject({ type: 'text', required: true, length: 20, encrypt: false })
    expect(byCode.resident_no.encrypt).toBe(true)
    expect(byCode.colors.options.map((o: any) => o.value)).toEqual(['red', 'blue', 'green'])
    expect(byCode.marketing.type).toBe('agree')
    expect(byCode.period.range).toBe(true)

    const bytes = new TextEncoder().encode('receipt #42\n'.repeat(100))
    const uploaded = await client.upload({ name: 'receipt.txt', type: 'text/plain', bytes })
    expect(uploaded.status).toBe(200)
    expect(uploaded.body.result.content).toMatchObject({ fileName: 'receipt.txt', contentType: 'text/plain; charset=utf-8', size: bytes.length })
    const attachmentId = uploaded.body.result.content.attachmentId

    const created = await client.createTicket(
      {
        categoryId: refund.categoryId,
        subject: '환불 요청 refund please',
        content: '주문을 취소하고 환불 받고 싶습니다.',
        endUser: { usercode: 'shop-user-7', email: 'kim@example.com', username: '김민수', phone: '010-1234-5678' },
        attachments: [{ attachmentId }],
        language: 'ko',
        source: 'spweb',
        userFields: [
          { code: 'order_no', value: 'AB-123456' },
          { code: 'resident_no', value: '900101-1234567' },
          { code: 'colors', value: ['blue', 'red'] },
          { code: 'visit_date', value: '2024-05-01' },
          { code: 'period', value: '2024-05-01 09:00 ~ 2024-05-02 18:30' },
          { code: 'marketing', value: false },
          { code: 'privacy_consent', value: true },
        ],
      },
      { 'OC-Client-IP': '198.51.100.20' },
    )
    expect(created.status).toBe(200)
    const ticket = created.body.result.content
    expect(ticket).toMatchObject({ status: 'new', subject: '환불 요청 refund please', source: 'spweb', categoryId: refund.categoryId })
    expect(ticket.ticketId).toMatch(/^T\d{13}[A-Za-z]{5}$/)
    expect(typeof ticket.createdDt).toBe('number')

    const list = await client.list('shop-user-7', { page: '1', pageSize: '10' })
    expect(list.status).toBe(200)
    expect(list.body.result).toMatchObject({ total: 1, pages: 1, pageNum: 1, pageSize: 10 })
    expect(list.body.result.contents[0]).toMatchObject({ ticketId: ticket.ticketId, status: 'new', source: 'spweb', categoryName: '환불', categoryFullName: '결제 > 환불' })
    expect((await client.list('shop-user-7', { status: 'solved' })).body.result.total).toBe(0)
    expect((await client.list('shop-user-7', { source: 'web,api' })).body.result.total).toBe(0)
    expect((await client.list('someone-else')).body.result.total).toBe(0)

    const detail = await client.detail('shop-user-7', ticket.ticketId)
    expect(detail.status).toBe(200)
    const content = detail.body.result.content
    const values = Object.fromEntries(content.userFields.map((f: any) => [f.code, f.value]))
    expect(values).toMatchObject({ order_no: 'AB-123456', resident_no: '900101-1234567', colors: ['red', 'blue'], visit_date: '2024-05-01', period: '2024-05-01 09:00 ~ 2024-05-02 18:30', privacy_consent: true })
    expect(content.attachments.map((a: any) => a.attachmentId)).toEqual([attachmentId])
    expect(content.contents).toHaveLength(1)
    expect(content.contents[0]).toMatchObject({ type: 'enduser', content: '주문을 취소하고 환불 받고 싶습니다.' })
    expect((await client.detail('someone-else', ticket.ticketId)).status).toBe(404)

    const second = await client.upload({ name: 'photo.png', type: 'image/png', bytes: PNG })
    const comment = await client.comment('shop-user-7', ticket.ticketId, '추가 문의입니다.', [second.body.result.content.attachmentId])
    expect(comment.status).toBe(200)
    expect(comment.body.result.content).toMatchObject({ type: 'enduser', content: '추가 문의입니다.' })
    expect(comment.body.result.content.attachments).toHaveLength(1)

    const file = await client.download(attachmentId, 'open')
    expect(file.status).toBe(200)
    expect(file.headers.get('content-disposition')).toMatch(/^inline/)
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes)

    // The native API: the same ticket, values and files.
    const native = await bed.call(`${bed.api}/ticket/tickets?usercode=shop-user-7`)
    expect(native.status).toBe(200)
    expect(native.body.tickets).toHaveLength(1)
    const mine = native.body.tickets[0]
    expect(mine).toMatchObject({ ticketId: ticket.ticketId, channel: 'web', intakeCategoryId: bed.ids.refund, requester: { usercode: 'shop-user-7', email: 'kim@example.com', name: '김민수' } })
    expect(mine.fields).toMatchObject({ order_no: 'AB-123456', resident_no: '900101-1234567', colors: ['red', 'blue'], visit_date: '2024-05-01', privacy_consent: true })
    expect(mine.fields.period).toEqual({ from: '2024-05-01T00:00:00.000Z', to: '2024-05-02T09:30:00.000Z' })
    const entries = await bed.call(`${bed.api}/ticket/tickets/${mine.id}/entries`)
    expect(entries.body.attachments.map((a: any) => a.id)).toEqual([attachmentId])
    expect(entries.body.entries).toHaveLength(1)
    expect(entries.body.entries[0]).toMatchObject({ kind: 'customer-reply', author: { type: 'service-key', id: bed.keyId } })

    const events = await bed.t.db.query<{ type: string }>(`SELECT type FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [mine.id])
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.replied'])

    // The trigger ran on the compat ticket: logged, and the ticket is with the group.
    await bed.t.platform.drainEvents()
    const log = await bed.call(`${bed.api}/ticket/triggers/${trigger.body.id}/log`)
    expect(log.body.runs.map((r: any) => r.ticketId)).toEqual([mine.id])
    expect((await bed.call(`${bed.api}/ticket/tickets/${mine.id}`)).body.assigneeGroupId).toBe(group)

    // At rest: the personal-info value and the service key are sealed, never plaintext.
    const [row] = await bed.t.db.query<{ fields: unknown; secret_fields: unknown; compat_source: string }>(`SELECT fields, secret_fields, compat_source FROM tickets WHERE id = $1`, [mine.id])
    expect(JSON.stringify(row)).not.toContain('900101-1234567')
    expect(row!.compat_source).toBe('spweb')
    const keys = await bed.t.db.query<Record<string, unknown>>(`SELECT * FROM oc_service_keys WHERE id = $1`, [bed.keyId])
    expect(JSON.stringify(keys)).not.toContain(bed.securityKey)
    expect(JSON.stringify(keys)).not.toContain(bed.securityKey.slice(4))
    expect(String(keys[0]!.sealed_key)).toMatch(/^oc1\./)
  })
})
