/**
 * Text PostgreSQL cannot store (a NUL, a lone surrogate) and bodies that are not UTF-8, sent to
 * the routes where it used to reach the database and answer 500, on both drivers: each is
 * refused with a 4xx naming the field, and nothing is stored. Each body is otherwise valid, so
 * the refusal is the unsafe text's and not a missing field's. The sweep over every operation
 * of the documents is test/fuzz/unsafe-text.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from './support/databases.ts'
import { compatBed, type CompatBed, signedClient } from './oc-compat/harness.ts'
import { ocClient } from './oc-compat/client.ts'

const NUL = 'a\u0000b'
const SURROGATE = 'a\ud800b'

describe.each(DRIVERS)('unstorable text in API input on %s', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  let ticketId: string
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
    const made = await bed.call(`${bed.api}/ticket/tickets`, { body: { title: 'fine', content: 'fine', channel: 'api' } })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    ticketId = made.body.id
  }, 120_000)
  afterAll(() => bed?.t.close())

  const refused = (answer: { status: number; body: any }, path: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(422)
    expect(answer.body.error.code).toBe('OC_VALIDATION')
    expect(answer.body.error.issues).toContainEqual({ path, message: expect.stringMatching(/NUL|surrogate/), code: 'unsafe_text' })
    expect(answer.body.error.message).toContain(path)
  }
  const ticketCount = async () => (await bed.call(`${bed.api}/ticket/tickets?limit=200`)).body.tickets.length as number

  it('refuses it in the body of every kind of record, naming the field', async () => {
    const api = bed.api
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/operator/v1/organizations', { slug: 'nul-org', name: NUL }, 'body.name'],
      ['POST', `${api}/ticket/tickets`, { title: NUL, content: 'c', channel: 'api' }, 'body.title'],
      ['POST', `${api}/ticket/tickets`, { title: 't', content: SURROGATE, channel: 'api' }, 'body.content'],
      ['POST', `${api}/ticket/tickets`, { title: 't', content: 'c', channel: 'api', requester: { name: NUL, email: 'r@example.com' } }, 'body.requester.name'],
      ['POST', `${api}/ticket/tickets`, { title: 't', content: 'c', channel: 'api', fields: { order_no: NUL } }, 'body.fields.order_no'],
      ['POST', `${api}/ticket/tickets/${ticketId}/notes`, { body: NUL }, 'body.body'],
      ['POST', `${api}/ticket/answer-templates`, { title: SURROGATE, content: 'c' }, 'body.title'],
      ['POST', `${api}/ticket/banned-words`, { word: NUL }, 'body.word'],
      ['POST', `${api}/groups`, { name: NUL }, 'body.name'],
      ['POST', `${api}/webhooks`, { url: 'https://hooks.example.com/x', eventTypes: ['ticket.*'], description: NUL }, 'body.description'],
      ['POST', `${api}/ticket/triggers`, { title: NUL, conditions: { all: [{ attribute: 'title', operator: 'is', value: 'x' }] }, results: [{ type: 'assign', groupId: null }] }, 'body.title'],
      ['POST', `${api}/ticket/intake-categories`, { names: { ko: SURROGATE } }, 'body.names.ko'],
      ['POST', `${api}/ticket/intake-categories`, { names: { ['k\u0000o']: 'x' } }, 'body.names.ko'],
      ['POST', `${api}/ticket/fields`, { audience: 'customer', code: 'nul_field', type: 'text', names: { ko: NUL } }, 'body.names.ko'],
      ['POST', `${api}/open-api/keys`, { name: NUL }, 'body.name'],
      ['PUT', `${api}/open-api/allowlist`, { entries: [{ cidr: '198.51.100.0/24', note: NUL }] }, 'body.entries.0.note'],
      ['PUT', `${api}/ticket/mail/layout`, { format: 'mjml', source: `<mjml><mj-body><mj-text>${NUL}#{content}</mj-text></mj-body></mjml>` }, 'body.source'],
    ]
    const before = await ticketCount()
    for (const [method, path, body, field] of cases) refused(await bed.call(path, { method, body }), field)
    expect(await ticketCount()).toBe(before)
    expect((await bed.call('/operator/v1/organizations/nul-org')).status).toBe(404)
  })

  it('refuses it in path parameters, the tenant part of the URL and query filters', async () => {
    refused(await bed.call('/operator/v1/organizations/%00'), 'path.org')
    refused(await bed.call('/operator/v1/organizations/acme/services/%00'), 'path.service')
    refused(await bed.call('/o/%00/desk/api/v1/ticket/tickets'), 'path.org')
    refused(await bed.call('/o/acme/%00/api/v1/ticket/tickets'), 'path.service')
    refused(await bed.call('/o/%00/org/v1/auth/login', { body: { email: 'a@example.com', password: 'x' }, token: null }), 'path.org')
    refused(await bed.call(`${bed.api}/ticket/tickets/%00`), 'path.id')
    refused(await bed.call(`${bed.api}/ticket/tickets?q=a%00b`), 'query.q')
    refused(await bed.call(`${bed.api}/ticket/tickets?requesterEmail=%00`), 'query.requesterEmail')
  })

  it('refuses percent-escapes that are not UTF-8 in path parameters and query values, naming them, and takes UTF-8 ones', async () => {
    const broken = (answer: { status: number; body: any }, path: string) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(422)
      expect(answer.body.error.issues).toContainEqual({ path, message: expect.stringContaining('not UTF-8'), code: 'invalid_encoding' })
    }
    broken(await bed.call(`${bed.api}/ticket/tickets?q=caf%C3%28`), 'query.q')
    // The UTF-8 bytes of a lone surrogate are no more text than a stray byte.
    broken(await bed.call(`${bed.api}/ticket/tickets?usercode=%ED%A0%80`), 'query.usercode')
    broken(await bed.call(`${bed.api}/ticket/tickets/%FF`), 'path.id')
    broken(await bed.call('/operator/v1/organizations/acme/services/%C3%28'), 'path.service')
    // Korean text and a `%` that escapes nothing are fine.
    expect((await bed.call(`${bed.api}/ticket/tickets?q=${encodeURIComponent('택배')}`)).status).toBe(200)
    expect((await bed.call(`${bed.api}/ticket/tickets?q=100%`)).status).toBe(200)
  })

  it('refuses a JSON body that is not UTF-8 with 400 instead of storing U+FFFD', async () => {
    const before = await ticketCount()
    const bytes = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('","content":"c","channel":"api"}')])
    const answer = await bed.t.platform.fetch(new Request(`http://opencontact.test${bed.api}/ticket/tickets`, { method: 'POST', headers: { authorization: `Bearer ${bed.t.operatorToken}`, 'content-type': 'application/json' }, body: bytes }))
    expect(answer.status).toBe(400)
    expect((await answer.json()).error).toMatchObject({ code: 'OC_MALFORMED_JSON', message: expect.stringContaining('UTF-8') })
    expect(await ticketCount()).toBe(before)
  })

  it('refuses it in compat calls in the compat answer shape', async () => {
    const categoryId = (await client.categories()).body.result.contents[1].categoryId
    const inquiry = { categoryId, subject: NUL, content: 'c', endUser: { usercode: 'u1', email: 'u1@example.com' }, userFields: [{ code: 'order_no', value: 'A-1' }, { code: 'privacy_consent', value: true }] }
    const created = await client.createTicket(inquiry)
    expect(created.status, JSON.stringify(created.body)).toBe(400)
    expect(created.body.header).toMatchObject({ resultCode: 400, isSuccessful: false })
    expect(created.body.result.contents).toContainEqual(expect.objectContaining({ objectName: 'subject' }))
    const listed = await client.list('u\u0000')
    expect(listed.status, JSON.stringify(listed.body)).toBe(400)
    expect(listed.body.header).toMatchObject({ resultCode: 400, isSuccessful: false })
    expect(listed.body.result.contents).toContainEqual(expect.objectContaining({ objectName: 'usercode' }))
    expect((await client.list('u1')).body.result.total).toBe(0)
  })
})
