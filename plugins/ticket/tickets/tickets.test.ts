/**
 * Tickets over the API on both drivers: creation by agents and service keys with field values
 * (personal info encrypted at rest, searchable by exact match), the status lifecycle, replies and
 * notes (banned words refused), attachments, history, events, filters, full-text search in Korean
 * and English, keyset pagination under concurrent inserts, permissions and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { addMember } from '../../../test/support/identity.ts'
import { ok } from '../test-support.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'
import { formCache } from '../fields/form-cache.ts'
import { EXE, PDF, PNG } from '../../../test/support/files.ts'

describe.each(DRIVERS)('tickets on %s', (driver) => {
  let bed: TicketBed
  let tickets: string
  beforeAll(async () => {
    bed = await ticketBed(driver, 'tk-org')
    tickets = `${bed.api}/ticket/tickets`
  }, 60_000)
  afterAll(() => bed.t.close())

  const asAgent = (path: string, options: { method?: string; body?: unknown } = {}) => bed.call(path, { token: bed.agent.token, ...options })
  const asKey = (path: string, options: { method?: string; body?: unknown } = {}) => bed.call(path, { token: bed.serviceKey, ...options })
  const draft = (extra: Record<string, unknown> = {}) => ({
    title: 'Refund for order AB12',
    content: '환불 요청합니다. The box arrived broken.',
    channel: 'email',
    requester: { email: 'kim@example.com', name: '김민수' },
    intakeCategoryId: bed.intake.billing,
    fields: { order_no: 'AB12', quantity: 2, resident_no: '900101-1234567', privacy_consent: true },
    ...extra,
  })
  const create = async (extra: Record<string, unknown> = {}) => ok(asAgent(tickets, { body: draft(extra) }), 201)
  const refused = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const res = await answer
    expect(res.status, JSON.stringify(res.body)).toBe(status)
    return res.body.error
  }

  it('creates a ticket as an agent: numbers, compat id, fields, assignment, events and audit', async () => {
    const made = await create({ assigneeAgentId: bed.agent.id, assigneeGroupId: bed.group, processingCategoryId: bed.processing })
    expect(made).toMatchObject({ status: 'new', channel: 'email', title: 'Refund for order AB12', requester: { email: 'kim@example.com', name: '김민수', usercode: null }, assigneeAgentId: bed.agent.id, assigneeGroupId: bed.group, intakeCategoryId: bed.intake.billing, processingCategoryId: bed.processing })
    expect(made.fields).toEqual({ order_no: 'AB12', quantity: 2, resident_no: '900101-1234567', privacy_consent: true })
    expect(made.ticketId).toMatch(/^T\d{13}[A-Za-z]{5}$/)
    expect(made.createdBy).toMatchObject({ type: 'agent', id: bed.agent.id })
    const second = await create()
    expect(second.number).toBe(made.number + 1)
    expect(await ok(asAgent(`${tickets}/${made.id}`))).toEqual(made)
    const events = await bed.t.db.query<{ type: string; payload: any }>(`SELECT type, payload FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [made.id])
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.assigned'])
    expect(JSON.stringify(events)).not.toContain('900101')
    const audit = await bed.t.db.query<{ action: string }>(`SELECT action FROM oc_audit WHERE target_id = $1`, [made.id])
    expect(audit.map((a) => a.action)).toEqual(['ticket.ticket.created'])
  })

  it('never stores a personal-info value in plaintext, and finds it by exact match', async () => {
    const made = await create({ fields: { order_no: 'ENC1', resident_no: '850505-2000001', privacy_consent: true } })
    const raw = await bed.t.db.query(`SELECT * FROM tickets WHERE id = $1`, [made.id])
    expect(JSON.stringify(raw)).not.toContain('850505-2000001')
    const history = await bed.t.db.query(`SELECT * FROM ticket_history WHERE ticket_id = $1`, [made.id])
    expect(JSON.stringify(history)).not.toContain('850505')
    const found = await ok(asAgent(`${tickets}?fieldCode=resident_no&fieldValue=${encodeURIComponent('850505-2000001')}`))
    expect(found.tickets.map((t: { id: string }) => t.id)).toEqual([made.id])
    expect((await ok(asAgent(`${tickets}?fieldCode=resident_no&fieldValue=850505-2000002`))).tickets).toEqual([])
    const plain = await ok(asAgent(`${tickets}?fieldCode=order_no&fieldValue=ENC1`))
    expect(plain.tickets.map((t: { id: string }) => t.id)).toEqual([made.id])
    expect((await refused(asAgent(`${tickets}?fieldCode=nope&fieldValue=1`), 422)).issues[0]).toMatchObject({ path: 'query.fieldCode' })
  })

  it('refuses bad field values, naming body.fields.<code>', async () => {
    const missing = await refused(asAgent(tickets, { body: draft({ fields: { quantity: 1, privacy_consent: true } }) }), 422)
    expect(missing.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.order_no', code: 'required' }))
    const wrongType = await refused(asAgent(tickets, { body: draft({ fields: { order_no: 'A', quantity: 'many', privacy_consent: true } }) }), 422)
    expect(wrongType.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.quantity', code: 'invalid_type' }))
    const unknown = await refused(asAgent(tickets, { body: draft({ fields: { order_no: 'A', colour: 'red', privacy_consent: true } }) }), 422)
    expect(unknown.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.colour', code: 'unknown_field' }))
    const misplaced = await refused(asAgent(tickets, { body: draft({ fields: { order_no: 'A', title: 'x', privacy_consent: true } }) }), 422)
    expect(misplaced.issues).toContainEqual(expect.objectContaining({ path: 'body.fields.title', code: 'misplaced_field' }))
    const noTitle = await refused(asAgent(tickets, { body: draft({ title: ' ' }) }), 422)
    expect(noTitle.issues).toContainEqual(expect.objectContaining({ path: 'body.title', code: 'required' }))
    expect((await refused(asAgent(tickets, { body: { ...draft(), surprise: 1 } }), 422)).code).toBe('OC_VALIDATION')
    expect((await refused(asAgent(tickets, { body: draft({ channel: 'fax' }) }), 422)).issues[0].path).toBe('body.channel')
    // An agent's ticket without an intake category carries no form, only title and content.
    const bare = await create({ intakeCategoryId: null, fields: {} })
    expect(bare.fields).toEqual({})
  })

  it('refuses unknown agents, groups and categories, and another tenant\'s ids, with 422 in bodies and 404 in paths', async () => {
    const nowhere = '00000000-0000-4000-8000-000000000000'
    expect((await refused(asAgent(tickets, { body: draft({ assigneeAgentId: nowhere }) }), 422)).issues[0].path).toBe('body.assigneeAgentId')
    expect((await refused(asAgent(tickets, { body: draft({ assigneeGroupId: nowhere }) }), 422)).issues[0].path).toBe('body.assigneeGroupId')
    expect((await refused(asAgent(tickets, { body: draft({ processingCategoryId: bed.intake.billing }) }), 422)).issues[0].path).toBe('body.processingCategoryId')
    expect((await refused(asAgent(tickets, { body: draft({ intakeCategoryId: bed.intake.other }) }), 422)).issues[0].path).toBe('body.intakeCategoryId')
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api' } }), 201)
    await refused(asAgent(`${tickets}/${foreign.id}`), 404)
    await refused(asAgent(`${tickets}/${foreign.id}`, { method: 'PATCH', body: { status: 'open' } }), 404)
    await refused(asAgent(`${tickets}/${foreign.id}/agent-replies`, { body: { content: 'hi' } }), 404)
    await refused(asAgent(`${tickets}/${foreign.id}/history`), 404)
    const mine = await create()
    await refused(bed.call(`${bed.otherApi}/ticket/tickets/${mine.id}`), 404)
  })

  it('lets service keys file customer tickets under active intake categories only', async () => {
    const made = await ok(asKey(tickets, { body: draft({ channel: 'web', requester: { email: 'lee@example.com', usercode: 'U-77' } }) }), 201)
    expect(made).toMatchObject({ status: 'new', channel: 'web', requester: { usercode: 'U-77' }, createdBy: { type: 'service-key' } })
    expect((await refused(asKey(tickets, { body: draft({ intakeCategoryId: undefined }) }), 422)).issues[0]).toMatchObject({ path: 'body.intakeCategoryId', code: 'required' })
    expect((await refused(asKey(tickets, { body: draft({ intakeCategoryId: bed.intake.retired, fields: { privacy_consent: true } }) }), 422)).issues[0]).toMatchObject({ path: 'body.intakeCategoryId', code: 'inactive' })
    expect((await refused(asKey(tickets, { body: draft({ requester: { email: 'not an address' } }) }), 422)).issues[0]).toMatchObject({ path: 'body.requester.email' })
    expect((await ok(asKey(`${tickets}?usercode=U-77`))).tickets.map((t: { id: string }) => t.id)).toEqual([made.id])
  })

  it('refuses a signed-in agent without the ticket permission', async () => {
    const token = bed.noTicketToken
    const made = await create()
    for (const [path, options] of [
      [tickets, { body: draft() }],
      [tickets, {}],
      [`${tickets}/${made.id}`, {}],
      [`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'open' } }],
      [`${tickets}/${made.id}/agent-replies`, { body: { content: 'hello' } }],
      [`${bed.api}/ticket/attachments`, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'aGk=' } }],
    ] as const) {
      const res = await bed.call(path, { token, ...options })
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(403)
    }
  })

  it('refuses a signed-in agent without the ticket permission on the conversation, the history and downloads', async () => {
    const token = bed.noTicketToken
    const made = await create()
    const file = await ok(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'aGk=' } }), 201)
    for (const [path, options] of [
      [`${tickets}/${made.id}/history`, {}],
      [`${tickets}/${made.id}/entries`, {}],
      [`${tickets}/${made.id}/customer-replies`, { body: { content: 'hello' } }],
      [`${tickets}/${made.id}/notes`, { body: { content: 'hello' } }],
      [`${bed.api}/ticket/attachments/${file.id}`, {}],
    ] as const) {
      const res = await bed.call(path, { token, ...options })
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(403)
    }
    expect((await ok(asAgent(`${tickets}/${made.id}/entries`))).entries).toEqual([])
    expect((await ok(asAgent(`${tickets}/${made.id}`))).status).toBe('new')
  })

  it('refuses changes, replies, notes and uploads that miss a field, mistype one or name an unknown one', async () => {
    const made = await create()
    const issue = async (path: string, options: { method?: string; body?: unknown }) => (await refused(asAgent(path, options), 422)).issues[0]
    const patch = (body: unknown) => issue(`${tickets}/${made.id}`, { method: 'PATCH', body })
    expect(await patch({ status: 'lost' })).toMatchObject({ path: 'body.status' })
    expect(await patch({ status: 5 })).toMatchObject({ path: 'body.status' })
    expect(await patch({ assigneeAgentId: 'agent-1' })).toMatchObject({ path: 'body.assigneeAgentId' })
    expect(await patch({ fields: 'order_no=AB12' })).toMatchObject({ path: 'body.fields' })
    expect(await patch({ fields: { quantity: 'many' } })).toMatchObject({ path: 'body.fields.quantity', code: 'invalid_type' })
    expect(await patch({ requester: { email: 'not an address' } })).toMatchObject({ path: 'body.requester.email' })
    expect(await patch({ requester: { phone: '010' } })).toMatchObject({ path: 'body.requester.phone', code: 'unknown_field' })
    expect(await patch({ priority: 'high' })).toMatchObject({ path: 'body.priority', code: 'unknown_field' })
    expect(await issue(`${tickets}/not-an-id`, {})).toMatchObject({ path: 'path.id' })
    const { title: _title, ...untitled } = draft()
    expect(await issue(tickets, { body: untitled })).toMatchObject({ path: 'body.title' })
    for (const kind of ['agent-replies', 'customer-replies', 'notes']) {
      const path = `${tickets}/${made.id}/${kind}`
      expect(await issue(path, { body: {} }), kind).toMatchObject({ path: 'body.content' })
      expect(await issue(path, { body: { content: 5 } }), kind).toMatchObject({ path: 'body.content' })
      expect(await issue(path, { body: { content: '   ' } }), kind).toMatchObject({ path: 'body.content' })
      expect(await issue(path, { body: { content: 'hi', attachmentIds: 'file' } }), kind).toMatchObject({ path: 'body.attachmentIds' })
      expect(await issue(path, { body: { content: 'hi', mood: 'glad' } }), kind).toMatchObject({ path: 'body.mood', code: 'unknown_field' })
    }
    const uploads = `${bed.api}/ticket/attachments`
    expect(await issue(uploads, { body: { contentType: 'text/plain', data: 'aGk=' } })).toMatchObject({ path: 'body.fileName' })
    expect(await issue(uploads, { body: { fileName: 7, contentType: 'text/plain', data: 'aGk=' } })).toMatchObject({ path: 'body.fileName' })
    expect(await issue(uploads, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'aGk=', folder: 'x' } })).toMatchObject({ path: 'body.folder', code: 'unknown_field' })
    expect(await issue(uploads, { body: { fileName: 'empty.txt', contentType: 'text/plain', data: '' } })).toMatchObject({ path: 'body.data' })
    expect(await issue(`${uploads}/not-an-id`, {})).toMatchObject({ path: 'path.id' })
    // Nothing refused was kept.
    const after = await ok(asAgent(`${tickets}/${made.id}`))
    expect(after).toMatchObject({ status: 'new', assigneeAgentId: null, requester: { email: 'kim@example.com' } })
    expect(after.fields.quantity).toBe(2)
    expect((await ok(asAgent(`${tickets}/${made.id}/entries`))).entries).toEqual([])
    expect((await ok(asAgent(`${tickets}/${made.id}/history`))).history.map((h: { field: string }) => h.field)).toEqual(['created'])
  })

  it("answers 422 for another tenant's agents, groups and categories in bodies, 404 for its tickets on changes and on the conversation", async () => {
    const other = bed.otherApi
    const otherOrg = other.split('/')[2]!
    const member = await addMember(bed.t, otherOrg, `their-agent@${otherOrg}.test`)
    const theirAgent = await ok(bed.call(`${other}/agents`, { body: { email: member.email, role: 'agent', permissions: ['ticket'] } }), 201)
    const theirGroup = await ok(bed.call(`${other}/groups`, { body: { name: '남의 그룹' } }), 201)
    const theirProcessing = await ok(bed.call(`${other}/ticket/processing-categories`, { body: { names: { ko: '남의 처리' } } }), 201)
    const theirTicket = await ok(bed.call(`${other}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api' } }), 201)
    const mine = await create()
    for (const [body, path] of [
      [{ assigneeAgentId: theirAgent.id }, 'body.assigneeAgentId'],
      [{ assigneeGroupId: theirGroup.id }, 'body.assigneeGroupId'],
      [{ processingCategoryId: theirProcessing.id }, 'body.processingCategoryId'],
      [{ intakeCategoryId: bed.intake.other }, 'body.intakeCategoryId'],
    ] as const) {
      expect((await refused(asAgent(`${tickets}/${mine.id}`, { method: 'PATCH', body }), 422)).issues[0].path).toBe(path)
      expect((await refused(asAgent(tickets, { body: draft(body) }), 422)).issues[0].path).toBe(path)
    }
    expect(await ok(asAgent(`${tickets}/${mine.id}`))).toMatchObject({ assigneeAgentId: null, assigneeGroupId: null, processingCategoryId: null, intakeCategoryId: bed.intake.billing })
    expect((await ok(asAgent(`${tickets}?channel=api&limit=100`))).tickets.map((t: { id: string }) => t.id)).not.toContain(theirTicket.id)
    await refused(asAgent(`${tickets}/${theirTicket.id}/entries`), 404)
    await refused(asAgent(`${tickets}/${theirTicket.id}/notes`, { body: { content: 'hi' } }), 404)
    await refused(asAgent(`${tickets}/${theirTicket.id}/customer-replies`, { body: { content: 'hi' } }), 404)
    await refused(asKey(`${tickets}/${theirTicket.id}/customer-replies`, { body: { content: 'hi' } }), 404)
    expect((await ok(bed.call(`${other}/ticket/tickets/${theirTicket.id}/entries`))).entries).toEqual([])
    // Another tenant's upload cannot be named as the first message's file either.
    const theirFile = await ok(bed.call(`${other}/ticket/attachments`, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'aGk=' } }), 201)
    const withFile = await refused(asAgent(tickets, { body: draft({ attachmentIds: [theirFile.id] }) }), 422)
    expect(withFile.issues[0]).toMatchObject({ path: 'body.attachmentIds.0', code: 'unknown_reference' })
  })

  it('enforces the status lifecycle and keeps the history', async () => {
    const made = await create()
    const opened = await ok(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'open', processingCategoryId: bed.processing } }))
    expect(opened).toMatchObject({ status: 'open', processingCategoryId: bed.processing })
    const back = await refused(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'new' } }), 409)
    expect(back.code).toBe('TICKET_STATUS_TRANSITION')
    expect(back.message).toContain("from 'open' to 'new'")
    await ok(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'completed' } }))
    expect((await refused(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'pending' } }), 409)).message).toContain("from 'completed' to 'pending'")
    await ok(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { status: 'open', assigneeGroupId: bed.group, fields: { resident_no: '111111-2222222', quantity: 5 } } }))
    const { history } = await ok(asAgent(`${tickets}/${made.id}/history`))
    const summary = history.map((h: { field: string; from: unknown; to: unknown; redacted: boolean }) => [h.field, h.from, h.to, h.redacted])
    expect(summary).toEqual([
      ['created', null, { status: 'new', channel: 'email' }, false],
      ['status', 'new', 'open', false],
      ['processingCategoryId', null, bed.processing, false],
      ['status', 'open', 'completed', false],
      ['status', 'completed', 'open', false],
      ['assigneeGroupId', null, bed.group, false],
      ['fields.quantity', 2, 5, false],
      ['fields.resident_no', null, null, true],
    ])
    expect(history.every((h: { actor: { id: string } }) => h.actor.id === bed.agent.id)).toBe(true)
    expect((await ok(asAgent(`${tickets}/${made.id}`))).fields).toMatchObject({ resident_no: '111111-2222222', quantity: 5 })
    const types = (await bed.t.db.query<{ type: string }>(`SELECT type FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [made.id])).map((e) => e.type)
    expect(types).toEqual(['ticket.created', 'ticket.updated', 'ticket.status-changed', 'ticket.updated', 'ticket.status-changed', 'ticket.updated', 'ticket.status-changed', 'ticket.assigned'])
    const unknown = await refused(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { fields: { colour: 'red' } } }), 422)
    expect(unknown.issues[0]).toMatchObject({ path: 'body.fields.colour', code: 'unknown_field' })
    const cleared = await refused(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { fields: { order_no: null } } }), 422)
    expect(cleared.issues[0]).toMatchObject({ path: 'body.fields.order_no', code: 'required' })
  })

  it('adds replies and notes: banned words refused, statuses follow, attachments bound once', async () => {
    await ok(bed.call(`${bed.api}/ticket/banned-words`, { body: { word: '환불 불가' } }), 201)
    const made = await create()
    const banned = await refused(asAgent(`${tickets}/${made.id}/agent-replies`, { body: { content: '죄송하지만 환불불가 상품입니다.' } }), 422)
    expect(banned.code).toBe('TICKET_BANNED_WORDS_FOUND')
    expect(banned.issues[0]).toMatchObject({ path: 'body.content', code: 'banned_word' })
    const file = await ok(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: '영수증.png', contentType: 'image/png', data: Buffer.from(PNG).toString('base64') } }), 201)
    expect(file).toMatchObject({ fileName: '영수증.png', contentType: 'image/png', size: PNG.byteLength })
    const reply = await ok(asAgent(`${tickets}/${made.id}/agent-replies`, { body: { content: '확인 후 연락드리겠습니다.', attachmentIds: [file.id], status: 'pending' } }), 201)
    expect(reply).toMatchObject({ kind: 'agent-reply', author: { type: 'agent', id: bed.agent.id }, attachments: [{ id: file.id }] })
    expect((await ok(asAgent(`${tickets}/${made.id}`))).status).toBe('pending')
    expect((await refused(asAgent(`${tickets}/${made.id}/notes`, { body: { content: 'again', attachmentIds: [file.id] } }), 422)).issues[0].path).toBe('body.attachmentIds.0')
    const customer = await ok(asKey(`${tickets}/${made.id}/customer-replies`, { body: { content: '네 기다릴게요' } }), 201)
    expect(customer.author.type).toBe('service-key')
    expect((await ok(asAgent(`${tickets}/${made.id}`))).status).toBe('open')
    await ok(asAgent(`${tickets}/${made.id}/notes`, { body: { content: '내부 메모: 택배사 확인' } }), 201)
    expect((await refused(asKey(`${tickets}/${made.id}/notes`, { body: { content: 'x' } }), 403)).code).toBe('OC_FORBIDDEN')
    expect((await refused(asAgent(`${tickets}/${made.id}/notes`, { body: { content: 'x', status: 'completed' } }), 422)).issues[0].path).toBe('body.status')
    const { entries } = await ok(asAgent(`${tickets}/${made.id}/entries`))
    expect(entries.map((e: { kind: string }) => e.kind)).toEqual(['agent-reply', 'customer-reply', 'note'])
    const download = await bed.call(`${bed.api}/ticket/attachments/${file.id}`, { token: bed.agent.token })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('image/png')
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="___.png"; filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D.png`)
    const events = (await bed.t.db.query<{ type: string }>(`SELECT type FROM oc_outbox WHERE payload->>'id' = $1 ORDER BY id`, [made.id])).map((e) => e.type)
    expect(events).toEqual(['ticket.created', 'ticket.replied', 'ticket.status-changed', 'ticket.replied', 'ticket.status-changed', 'ticket.replied'])
  })

  it('limits attachment types and sizes (the upload route takes bodies up to the file limit), and answers 404 for other tenants', async () => {
    const exe = await refused(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: 'run.exe', contentType: 'application/x-msdownload', data: Buffer.from(EXE).toString('base64') } }), 415)
    expect(exe.issues[0]).toMatchObject({ path: 'body.data', code: 'unsupported_type' })
    await refused(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'not base64!' } }), 422)
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/attachments`, { body: { fileName: 'a.txt', contentType: 'text/plain', data: 'aGk=' } }), 201)
    await refused(asAgent(`${bed.api}/ticket/attachments/${foreign.id}`), 404)
    const made = await create()
    await refused(asAgent(`${tickets}/${made.id}/agent-replies`, { body: { content: 'see file', attachmentIds: [foreign.id] } }), 422)

    // Files up to the platform's file limit (10 MiB) upload, though their base64 is over the 1 MiB request limit of other routes.
    const base64 = (bytes: number) => Buffer.concat([Buffer.from(PDF), Buffer.alloc(bytes - PDF.byteLength, 7)]).toString('base64')
    const large = await ok(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: 'scan.pdf', contentType: 'application/pdf', data: base64(3 * 1024 * 1024) } }), 201)
    expect(large.size).toBe(3 * 1024 * 1024)
    const tooLarge = await refused(asAgent(`${bed.api}/ticket/attachments`, { body: { fileName: 'huge.pdf', contentType: 'application/pdf', data: base64(10 * 1024 * 1024 + 1) } }), 413)
    expect(tooLarge.code).toBe('OC_PAYLOAD_TOO_LARGE')
    expect((await refused(asAgent(tickets, { body: draft({ content: 'x'.repeat(1024 * 1024) }) }), 413)).code).toBe('OC_PAYLOAD_TOO_LARGE')
  })

  it('filters, sorts and searches in Korean and English', async () => {
    const a = await create({ title: '배송 지연 문의', content: '택배가 아직 도착하지 않았습니다', channel: 'kakao', assigneeAgentId: bed.agent.id })
    const b = await create({ title: 'Delivery delayed', content: 'My parcel never arrived', channel: 'kakao', assigneeGroupId: bed.group, processingCategoryId: bed.processing })
    await ok(asAgent(`${tickets}/${b.id}`, { method: 'PATCH', body: { status: 'on-hold' } }))
    const ids = async (query: string) => (await ok(asAgent(`${tickets}?${query}`))).tickets.map((t: { id: string }) => t.id)
    expect(await ids('channel=kakao')).toEqual([b.id, a.id])
    expect(await ids('channel=kakao&sort=created:asc')).toEqual([a.id, b.id])
    expect(await ids('channel=kakao&sort=updated:desc')).toEqual([b.id, a.id])
    expect(await ids('channel=kakao&status=on-hold')).toEqual([b.id])
    expect(await ids('channel=kakao&status=new,open')).toEqual([a.id])
    expect(await ids(`channel=kakao&assigneeAgentId=${bed.agent.id}`)).toEqual([a.id])
    expect(await ids(`channel=kakao&assigneeGroupId=${bed.group}`)).toEqual([b.id])
    expect(await ids(`channel=kakao&processingCategoryId=${bed.processing}`)).toEqual([b.id])
    expect(await ids(`channel=kakao&intakeCategoryId=${bed.intake.billing}`)).toEqual([b.id, a.id])
    expect(await ids(`channel=kakao&createdFrom=${encodeURIComponent(b.createdAt)}`)).toEqual([b.id])
    expect(await ids(`channel=kakao&createdTo=${encodeURIComponent(b.createdAt)}`)).toEqual([a.id])
    expect(await ids(`channel=kakao&updatedFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([])
    const search = (q: string) => ids(`channel=kakao&q=${encodeURIComponent(q)}`)
    expect(await search('택배가')).toEqual([a.id])
    // The noun without its particle, and with another particle, find "택배가".
    expect(await search('택배')).toEqual([a.id])
    expect(await search('택배는')).toEqual([a.id])
    expect(await search('배송 문의')).toEqual([a.id])
    expect(await search('배송을 문의')).toEqual([a.id])
    expect(await search('도착')).toEqual([a.id])
    // A compound noun finds its parts written apart.
    expect(await search('배송지연')).toEqual([a.id])
    expect(await search('PARCEL')).toEqual([b.id])
    expect(await search('deliver')).toEqual([b.id])
    expect(await search('delays')).toEqual([b.id])
    expect(await search('delayed parcel')).toEqual([b.id])
    expect(await search('delayed, parcel!')).toEqual([b.id])
    expect(await search('nothingmatches')).toEqual([])
    expect(await search('parcel nothingmatches')).toEqual([])
    // Query syntax in the words is only text.
    expect(await search("parcel & !arrived | ('x':*")).toEqual([])
    expect(await search('!!! ???')).toEqual([])
    expect((await refused(asAgent(`${tickets}?status=lost`), 422)).issues[0].path).toContain('status')
    expect((await refused(asAgent(`${tickets}?cursor=garbage`), 422)).issues[0].path).toBe('query.cursor')
  })

  it('pages with a keyset cursor: each ticket once, even while tickets are added', async () => {
    const before: string[] = []
    for (let i = 0; i < 23; i++) before.push((await create({ channel: 'sms', title: `page ${i}` })).id)
    const seen: string[] = []
    let cursor: string | null = null
    let page = 0
    const adding: Promise<unknown>[] = []
    do {
      const query: string = `channel=sms&limit=5${cursor ? `&cursor=${cursor}` : ''}`
      const answer: { tickets: { id: string }[]; nextCursor: string | null } = await ok(asAgent(`${tickets}?${query}`))
      seen.push(...answer.tickets.map((t) => t.id))
      cursor = answer.nextCursor
      // Two inserts race every page.
      adding.push(create({ channel: 'sms', title: `during ${page}a` }), create({ channel: 'sms', title: `during ${page}b` }))
      page++
    } while (cursor)
    await Promise.all(adding)
    expect(new Set(seen).size).toBe(seen.length)
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1)
    // Ascending from the start sees everything, also exactly once.
    const all: string[] = []
    cursor = null
    do {
      const answer: { tickets: { id: string }[]; nextCursor: string | null } = await ok(asAgent(`${tickets}?channel=sms&sort=created:asc&limit=7${cursor ? `&cursor=${cursor}` : ''}`))
      all.push(...answer.tickets.map((t) => t.id))
      cursor = answer.nextCursor
    } while (cursor)
    expect(all).toHaveLength(23 + adding.length)
    expect(new Set(all).size).toBe(all.length)
    const wrongSort = (await ok(asAgent(`${tickets}?channel=sms&limit=2`))).nextCursor
    expect((await refused(asAgent(`${tickets}?channel=sms&sort=updated:asc&cursor=${wrongSort}`), 422)).issues[0].path).toBe('query.cursor')
  })

  it('hides admin-only agent fields from agents, and refuses their values from them', async () => {
    await ok(bed.call(`${bed.api}/ticket/fields`, { body: { audience: 'agent', code: 'vip_note', type: 'textarea', names: { ko: 'VIP 메모' }, visibility: 'admins' } }), 201)
    await ok(bed.call(`${bed.api}/ticket/fields`, { body: { audience: 'agent', code: 'grade', type: 'text', names: { ko: '등급' }, visibility: 'agents' } }), 201)
    // The operator counts as an administrator.
    const made = await ok(bed.call(tickets, { body: draft({ fields: { order_no: 'VIP1', privacy_consent: true, vip_note: '큰 고객', grade: 'A' } }) }), 201)
    expect(made.fields).toMatchObject({ vip_note: '큰 고객', grade: 'A' })
    const seen = await ok(asAgent(`${tickets}/${made.id}`))
    expect(seen.fields.grade).toBe('A')
    expect(seen.fields).not.toHaveProperty('vip_note')
    const listed = (await ok(asAgent(`${tickets}?fieldCode=order_no&fieldValue=VIP1`))).tickets
    expect(listed[0].fields).not.toHaveProperty('vip_note')
    const refusedSet = await refused(asAgent(`${tickets}/${made.id}`, { method: 'PATCH', body: { fields: { vip_note: 'x' } } }), 422)
    expect(refusedSet.issues[0]).toMatchObject({ path: 'body.fields.vip_note', code: 'admins_only' })
    await refused(asAgent(tickets, { body: draft({ fields: { order_no: 'VIP2', privacy_consent: true, vip_note: 'x' } }) }), 422)
    await ok(bed.call(`${tickets}/${made.id}`, { method: 'PATCH', body: { fields: { vip_note: '아주 큰 고객' } } }))
    const history = (await ok(asAgent(`${tickets}/${made.id}/history`))).history.find((h: { field: string }) => h.field === 'fields.vip_note')
    expect(history).toMatchObject({ from: null, to: null, redacted: true })
    const full = (await ok(bed.call(`${tickets}/${made.id}/history`))).history.find((h: { field: string }) => h.field === 'fields.vip_note')
    expect(full).toMatchObject({ from: '큰 고객', to: '아주 큰 고객', redacted: false })
  })

  it('refuses deleting a category tickets are filed under', async () => {
    const category = await ok(bed.call(`${bed.api}/ticket/processing-categories`, { body: { names: { ko: '사용 중' } } }), 201)
    await create({ processingCategoryId: category.id })
    const res = await refused(bed.call(`${bed.api}/ticket/processing-categories/${category.id}`, { method: 'DELETE' }), 409)
    expect(res.code).toBe('TICKET_CATEGORY_IN_USE')
    expect(res.message).toContain('tickets')
  })

  it('validates against the form as it is now: the next create sees a change', async () => {
    const form = `${bed.api}/ticket/intake-categories/${bed.intake.billing}/fields`
    const body = draft({ channel: 'web' })
    await ok(asKey(tickets, { body }), 201)
    await ok(asKey(tickets, { body }), 201) // the form kept from the first
    await ok(bed.call(form, { method: 'PUT', body: { fieldIds: [bed.fieldIds.order_no, bed.fieldIds.resident_no] } }))
    expect((await refused(asKey(tickets, { body }), 422)).issues.map((i: { path: string }) => i.path)).toContain('body.fields.quantity')
    await ok(bed.call(form, { method: 'PUT', body: { fieldIds: Object.values(bed.fieldIds) } }))
    await ok(asKey(tickets, { body }), 201)
  })

  it('forgets kept forms when the database announces a form change (another instance, the CLI)', async () => {
    const forms = formCache(bed.t.db)
    const kept = { definitions: [], intakeCategoryIds: new Set<string>(), requesterEmailSealed: false }
    ;(await forms.lookup(bed.scope.serviceId, null, 'probe')).keep(kept)
    ;(await forms.compatCategory(bed.scope.serviceId, 424242)).keep(bed.intake.billing)
    expect((await forms.lookup(bed.scope.serviceId, null, 'probe')).spec).toBe(kept)
    expect((await forms.compatCategory(bed.scope.serviceId, 424242)).value).toBe(bed.intake.billing)
    await bed.t.db.query('UPDATE ticket_categories SET order_no = order_no WHERE false')
    await expect.poll(async () => (await forms.lookup(bed.scope.serviceId, null, 'probe')).spec, { timeout: 5000 }).toBeUndefined()
    expect((await forms.compatCategory(bed.scope.serviceId, 424242)).value).toBeUndefined()
  })
})
