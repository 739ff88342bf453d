/**
 * The compat OPEN API's refusals on both drivers, beside test/oc-compat (whose failure tests run
 * on PGlite only): unknown field codes and values of the wrong type in a filed ticket, bad
 * comments, unsigned calls, a switched-off OPEN API, mistyped queries, disallowed uploads (and an
 * upload sent as JSON: the documented 400, not a 500), and another tenant's submission types,
 * files and tickets answered as not found (compat category ids and ticket ids are unique across services, so the ids are real ones of
 * the other organization). The client is the documentation-only one the compat suite uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { BASE_DOMAIN, CLIENT_IP, compatBed, type CompatBed, signedClient } from '../../../test/oc-compat/harness.ts'
import { ocClient } from '../../../test/oc-compat/client.ts'
import { ok } from '../test-support.ts'

describe.each(DRIVERS)('compat OPEN API refusals and tenant isolation on %s', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  let rival: ReturnType<typeof ocClient>
  let categoryId: number
  let rivalCategoryId: number
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
    categoryId = (await client.categories()).body.result.contents[1].categoryId
    // Another organization with the ticket plugin, its own submission type and service key.
    await bed.t.createService('rival', 'desk', ['ticket'])
    const rivalApi = '/o/rival/desk/api/v1'
    await ok(bed.call(`${rivalApi}/ticket/intake-categories`, { body: { names: { ko: '남의 분류' } } }), 201)
    await ok(bed.call(`${rivalApi}/open-api`, { method: 'PUT', body: { enabled: true } }))
    const key = await ok(bed.call(`${rivalApi}/open-api/keys`, { body: { name: 'rival backend' } }), 201)
    const state = await ok(bed.call(`${rivalApi}/open-api`))
    rival = ocClient({ origin: `https://rival.${BASE_DOMAIN}`, serviceId: 'desk', orgId: state.orgId, securityKey: key.token, fetch: bed.fetchFrom(CLIENT_IP) })
    rivalCategoryId = (await rival.categories()).body.result.contents[0].categoryId
  }, 120_000)
  afterAll(() => bed?.t.close())

  const inquiry = (extra: Record<string, unknown> = {}) => ({
    categoryId,
    subject: 'help',
    content: 'please help',
    endUser: { usercode: 'shared-user', email: 'u1@example.com' },
    userFields: [
      { code: 'order_no', value: 'A-1' },
      { code: 'privacy_consent', value: 'true' },
    ],
    ...extra,
  })
  const refused = (answer: { status: number; body: any }, code: number) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(code)
    expect(answer.body.header).toMatchObject({ resultCode: code, isSuccessful: false })
    return answer.body
  }
  const filed = async (usercode: string) => (await client.list(usercode)).body.result.total as number

  it('refuses a ticket naming an unknown field code or sending values of the wrong type, with the documented list', async () => {
    const before = await filed('shared-user')
    const unknown = refused(await client.createTicket(inquiry({ userFields: [...inquiry().userFields, { code: 'colour', value: 'red' }] })), 400)
    expect(unknown.result.contents).toEqual([expect.objectContaining({ objectName: 'colour', field: null, validate: 'invalid', key: 'validate.ticket.colour.invalid', rejectValue: 'red' })])
    const badDate = refused(await client.createTicket(inquiry({ userFields: [...inquiry().userFields, { code: 'visit_date', value: 'yesterday' }] })), 400)
    expect(badDate.result.contents).toEqual([expect.objectContaining({ objectName: 'visit_date', validate: 'invalid', rejectValue: 'yesterday' })])
    expect(typeof badDate.result.contents[0].field).toBe('number')
    refused(await client.createTicket(inquiry({ categoryId: 'refund' })), 400)
    refused(await client.createTicket(inquiry({ subject: 5 })), 400)
    refused(await client.createTicket(inquiry({ userFields: { order_no: 'A-1' } })), 400)
    expect(await filed('shared-user')).toBe(before)
  })

  it('names a missing subject or content as required, not as a value of the wrong type', async () => {
    const before = await filed('shared-user')
    const { subject: _subject, ...noSubject } = inquiry()
    const { content: _content, ...noContent } = inquiry()
    for (const [body, name] of [[noSubject, 'subject'], [noContent, 'content'], [inquiry({ subject: null }), 'subject']] as const) {
      const answer = refused(await client.createTicket(body), 400)
      expect(answer.result.contents).toEqual([expect.objectContaining({ objectName: name, validate: 'required', key: `validate.ticket.${name}.required`, rejectValue: null })])
      expect(answer.result.contents[0].message).toMatch(new RegExp(`^'${name}' is required; send`))
    }
    // Both missing: one item each.
    const { subject: _s, content: _c, ...neither } = inquiry()
    expect(refused(await client.createTicket(neither), 400).result.contents.map((i: { objectName: string; validate: string }) => `${i.objectName} ${i.validate}`).sort()).toEqual(['content required', 'subject required'])
    expect(await filed('shared-user')).toBe(before)
  })

  it('tells an agree field sent as other text that it must be true or false, and reads the documented strings', async () => {
    const before = await filed('shared-user')
    const answer = refused(await client.createTicket(inquiry({ userFields: [{ code: 'order_no', value: 'A-1' }, { code: 'privacy_consent', value: 'yes' }, { code: 'marketing', value: 'maybe' }] })), 400)
    expect(answer.result.contents).toEqual([
      expect.objectContaining({ objectName: 'privacy_consent', validate: 'invalid', rejectValue: 'yes' }),
      expect.objectContaining({ objectName: 'marketing', validate: 'invalid', rejectValue: 'maybe' }),
    ])
    for (const item of answer.result.contents) expect(item.message).toMatch(new RegExp(`^'${item.objectName}' is an agree field: it must be true or false`))
    expect(await filed('shared-user')).toBe(before)
    const taken = await client.createTicket(inquiry({ endUser: { usercode: 'agreer', email: 'a@example.com' }, userFields: [{ code: 'order_no', value: 'A-1' }, { code: 'privacy_consent', value: 'Y' }, { code: 'marketing', value: 'N' }] }))
    expect(taken.status, JSON.stringify(taken.body)).toBe(200)
    const values = (await client.detail('agreer', taken.body.result.content.ticketId)).body.result.content.userFields
    expect(Object.fromEntries(values.map((f: { code: string; value: unknown }) => [f.code, f.value]))).toMatchObject({ privacy_consent: true, marketing: false })
  })

  it('names an over-long numeric category id as too long, and a non-numeric one as not an id', async () => {
    const before = await filed('shared-user')
    for (const categoryId of ['123456789012345678901234', 1e23, '9007199254740993']) {
      const answer = refused(await client.createTicket(inquiry({ categoryId })), 400)
      expect(answer.result.contents).toEqual([expect.objectContaining({ objectName: 'categoryId', validate: 'length', key: 'validate.ticket.categoryId.length' })])
      expect(answer.result.contents[0].message).toMatch(/^'categoryId' \S+ is too long: submission type ids are at most 9007199254740991$/)
    }
    const words = refused(await client.createTicket(inquiry({ categoryId: 'refund' })), 400)
    expect(words.result.contents).toEqual([expect.objectContaining({ objectName: 'categoryId', validate: 'invalid' })])
    expect(words.result.contents[0].message).toMatch(/must be the integer id of a submission type/)
    expect(await filed('shared-user')).toBe(before)
    // The digits as a string still name the category.
    expect((await client.createTicket(inquiry({ categoryId: String(categoryId) }))).status).toBe(200)
  })

  it('refuses comments that are empty, carry more than five files or name files that do not exist', async () => {
    const made = await client.createTicket(inquiry({ endUser: { usercode: 'commenter', email: 'c@example.com' } }))
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    const ticketId = made.body.result.content.ticketId
    expect(refused(await client.comment('commenter', ticketId, '   '), 400).header.resultMessage).toMatch(/empty/)
    const six = Array.from({ length: 6 }, () => crypto.randomUUID())
    expect(refused(await client.comment('commenter', ticketId, 'files', six), 400).header.resultMessage).toMatch(/at most 5/)
    refused(await client.comment('commenter', ticketId, 'files', ['not-an-id']), 400)
    refused(await client.comment('commenter', ticketId, 'files', [crypto.randomUUID()]), 400)
    refused(await client.send('POST', `/openapi/v1/ticket/enduser/commenter/${ticketId}/comment.json`, { json: { comment: 5 } }), 400)
    // The text is `comment`, as documented; a body naming it `content` is told so.
    const misnamed = refused(await client.send('POST', `/openapi/v1/ticket/enduser/commenter/${ticketId}/comment.json`, { json: { content: 'the old name' } }), 400)
    expect(misnamed.result.contents).toEqual([expect.objectContaining({ objectName: 'comment', field: null, validate: 'required', key: 'validate.ticket.comment.required' })])
    expect(misnamed.result.contents[0].message).toMatch(/as comment/)
    refused(await client.comment('someone-else', ticketId, 'not mine'), 404)
    const detail = await client.detail('commenter', ticketId)
    expect(detail.body.result.content.contents).toHaveLength(1)
  })

  it('takes the re-inquiry text from comment', async () => {
    const made = await client.createTicket(inquiry({ endUser: { usercode: 'reinquirer', email: 'r@example.com' } }))
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    const ticketId = made.body.result.content.ticketId
    const added = await client.send<{ content: any }>('POST', `/openapi/v1/ticket/enduser/reinquirer/${ticketId}/comment.json`, { json: { comment: '다시 문의합니다' } })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    expect(added.body.result.content).toMatchObject({ type: 'enduser', content: '다시 문의합니다' })
    const contents = (await client.detail('reinquirer', ticketId)).body.result.content.contents
    expect(contents.map((e: { content: string }) => e.content)).toEqual(['please help', '다시 문의합니다'])
  })

  it('refuses unsigned calls, a switched-off OPEN API, mistyped queries and disallowed uploads', async () => {
    expect(refused(await client.send('GET', '/openapi/v1/ticket/enduser/shared-user/list.json', { sign: false }), 400).header.resultMessage).toMatch(/Authorization is blank/)
    expect(refused(await client.list('shared-user', { pageSize: 'many' }), 400).result.contents[0]).toMatchObject({ objectName: 'pageSize' })
    expect(refused(await client.categories({ parent: 'top' }), 400).result.contents[0]).toMatchObject({ objectName: 'parent' })
    refused(await client.send('GET', '/api/v2/ticket/field/user/refund.json', { sign: false }), 404)
    expect(refused(await client.upload({ name: 'tool.exe', type: 'application/octet-stream', bytes: new Uint8Array([1]) }), 400).header.resultMessage).toMatch(/extension 'exe'/)
    // Signed correctly, but JSON where the upload takes multipart: the documented 400, not a 500.
    expect(refused(await client.send('POST', '/openapi/v1/ticket/attachments/upload.json', { json: { file: 'aGVsbG8=', fileName: 'a.txt' } }), 400).header.resultMessage).toMatch(/multipart\/form-data/)
    await ok(bed.call(`${bed.api}/open-api`, { method: 'PUT', body: { enabled: false } }))
    try {
      expect(refused(await client.createTicket(inquiry()), 403).header.resultMessage).toMatch(/OPEN API is disabled/)
    } finally {
      await ok(bed.call(`${bed.api}/open-api`, { method: 'PUT', body: { enabled: true } }))
    }
    expect((await client.list('shared-user')).status).toBe(200)
  })

  it("answers another tenant's submission types, files and tickets as not found", async () => {
    // Their submission type: no form here, no ticket under it here.
    expect(refused(await client.fields(rivalCategoryId), 404).header.resultMessage).toContain(String(rivalCategoryId))
    const underTheirs = refused(await client.createTicket(inquiry({ categoryId: rivalCategoryId })), 400)
    expect(underTheirs.result.contents).toEqual([expect.objectContaining({ objectName: 'categoryId', validate: 'invalid', rejectValue: rivalCategoryId })])
    expect((await client.categories()).body.result.contents.map((c: { categoryId: number }) => c.categoryId)).not.toContain(rivalCategoryId)
    expect((await rival.fields(rivalCategoryId)).status).toBe(200)

    // Their file: not downloadable here, not attachable here.
    const theirFile = await rival.upload({ name: 'theirs.txt', type: 'text/plain', bytes: new TextEncoder().encode('their file') })
    expect(theirFile.status).toBe(200)
    const theirFileId = theirFile.body.result.content.attachmentId
    const download = await client.download(theirFileId)
    expect(download.status).toBe(404)
    expect((await download.json()).header).toMatchObject({ resultCode: 404, isSuccessful: false })
    refused(await client.createTicket(inquiry({ attachments: [{ attachmentId: theirFileId }] })), 400)
    expect((await rival.download(theirFileId)).status).toBe(200)

    // Their ticket, filed for an end user of the same usercode: not listed, read or commented on here.
    const theirs = await rival.createTicket({ categoryId: rivalCategoryId, subject: 'theirs', content: 'their inquiry', endUser: { usercode: 'shared-user', email: 'them@example.com' }, userFields: [{ code: 'privacy_consent', value: true }] })
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200)
    const theirTicketId = theirs.body.result.content.ticketId
    const mine = await client.createTicket(inquiry())
    expect(mine.status, JSON.stringify(mine.body)).toBe(200)
    const listed = (await client.list('shared-user', { pageSize: '200' })).body.result.contents.map((t: { ticketId: string }) => t.ticketId)
    expect(listed).toContain(mine.body.result.content.ticketId)
    expect(listed).not.toContain(theirTicketId)
    refused(await client.detail('shared-user', theirTicketId), 404)
    refused(await client.comment('shared-user', theirTicketId, 'let me in'), 404)
    const theirDetail = await rival.detail('shared-user', theirTicketId)
    expect(theirDetail.status).toBe(200)
    expect(theirDetail.body.result.content.contents).toHaveLength(1)

    // Our key does not sign their service's calls.
    const crossed = signedClient(bed, { origin: `https://rival.${BASE_DOMAIN}` })
    expect(refused(await crossed.list('shared-user'), 400).header.resultMessage).toMatch(/Authorization is incorrect/)
  })
})
