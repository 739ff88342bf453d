/**
 * C16: every documented failure is answered as documented (envelope, resultCode, and for invalid
 * inquiries the validation list with its documented keys); service keys keep working as bearer
 * tokens, rotate, and sign only while active; the OpenAPI document lists the compat routes only
 * where the ticket plugin is contracted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_DOMAIN, CLIENT_IP, compatBed, type CompatBed, signedClient } from './harness.ts'
import { ocClient, signature } from './client.ts'

describe('Online Contact OPEN API failures and keys', () => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  let categoryId: number
  const make = (overrides: Partial<Parameters<typeof ocClient>[0]> = {}) =>
    signedClient(bed, overrides)
  const inquiry = (extra: Record<string, unknown> = {}) => ({
    categoryId,
    subject: 'help',
    content: 'please help',
    endUser: { usercode: 'u-1', email: 'u1@example.com', username: 'U One' },
    userFields: [
      { code: 'order_no', value: 'A-1' },
      { code: 'privacy_consent', value: 'true' },
    ],
    ...extra,
  })
  const refused = (answer: { status: number; body: any }, code: number, message: RegExp) => {
    expect(answer.status).toBe(code)
    expect(answer.body.header.resultCode).toBe(code)
    expect(answer.body.header.isSuccessful).toBe(false)
    expect(answer.body.header.resultMessage).toMatch(message)
  }

  beforeAll(async () => {
    bed = await compatBed('pglite')
    client = make()
    const categories = await client.categories()
    categoryId = categories.body.result.contents[1].categoryId
  }, 120_000)
  afterAll(() => bed?.t.close())

  it('answers blank or incorrect Authorization, and bad or expired timestamps, with 400', async () => {
    refused(await client.send('POST', '/openapi/v1/ticket.json', { json: inquiry(), sign: false }), 400, /Authorization is blank/)
    refused(await make({ securityKey: 'ocs_not-the-key' }).createTicket(inquiry()), 400, /Authorization is incorrect/)
    refused(await client.send('POST', '/openapi/v1/ticket.json', { json: inquiry(), headers: { 'X-TC-Timestamp': 'yesterday' } }), 400, /X-TC-Timestamp 'yesterday' is not a number/)
    refused(await make({ now: () => Date.now() - 6 * 60 * 1000 }).createTicket(inquiry()), 400, /X-TC-Timestamp has expired/)
    // A signature over another body does not pass.
    const timestamp = String(Date.now())
    const url = `https://acme.${BASE_DOMAIN}/desk/openapi/v1/ticket.json`
    const forged = await bed.fetchFrom(CLIENT_IP)(
      new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tc-timestamp': timestamp, authorization: signature(bed.securityKey, `${bed.orgId}/desk/openapi/v1/ticket.json{}${timestamp}`) }, body: JSON.stringify(inquiry()) }),
    )
    expect(forged.status).toBe(400)
    // Signed in path mode, with or without the /o/{org} prefix in the signed URI.
    const pathMode = make({ origin: 'http://opencontact.test/o/acme' })
    expect((await pathMode.list('u-1')).status).toBe(200)
  })

  it('refuses callers outside the IP allowlist and services with the OPEN API switched off, with 403', async () => {
    await bed.call(`${bed.api}/open-api/allowlist`, { method: 'PUT', body: { entries: [{ cidr: '198.51.100.0/24' }] } })
    try {
      refused(await client.list('u-1'), 403, /client IP 203\.0\.113\.7 is not allowed/)
      expect((await make({ fetch: bed.fetchFrom('198.51.100.9') }).list('u-1')).status).toBe(200)
    } finally {
      await bed.call(`${bed.api}/open-api/allowlist`, { method: 'PUT', body: { entries: [] } })
    }
    await bed.call(`${bed.api}/open-api`, { method: 'PUT', body: { enabled: false } })
    try {
      refused(await client.list('u-1'), 403, /OPEN API is disabled/)
    } finally {
      await bed.call(`${bed.api}/open-api`, { method: 'PUT', body: { enabled: true } })
    }
    expect((await client.list('u-1')).status).toBe(200)
  })

  it('answers an unknown category and a missing required field with the documented validation list', async () => {
    const unknown = await client.createTicket(inquiry({ categoryId: 999_999 }))
    refused(unknown, 400, /invalid/)
    expect(unknown.body.result.contents).toEqual([expect.objectContaining({ objectName: 'categoryId', validate: 'invalid', key: 'validate.ticket.categoryId.invalid', rejectValue: 999_999 })])

    const missing = await client.createTicket(inquiry({ subject: '', userFields: [{ code: 'order_no', value: 'X'.repeat(21) }] }))
    refused(missing, 400, /invalid/)
    const items = missing.body.result.contents!
    const fieldIds = Object.fromEntries((await client.fields(categoryId)).body.result.contents.map((f: any) => [f.code, f.fieldId]))
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ objectName: 'order_no', field: fieldIds.order_no, validate: 'length', key: 'validate.ticket.order_no.length', rejectValue: 'X'.repeat(21) }),
        expect.objectContaining({ objectName: 'privacy_consent', field: fieldIds.privacy_consent, validate: 'required', key: 'validate.ticket.privacy_consent.required' }),
        expect.objectContaining({ objectName: 'subject', validate: 'required', key: 'validate.ticket.subject.required' }),
      ]),
    )
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['field', 'key', 'message', 'objectName', 'rejectValue', 'validate'])
  })

  it('refuses oversize uploads, disallowed extensions, long names and a missing file', async () => {
    refused(await client.upload({ name: 'big.pdf', type: 'application/pdf', bytes: new Uint8Array(10 * 1024 * 1024) }), 400, /must be under 10 MB/)
    refused(await client.upload({ name: 'tool.exe', type: 'application/octet-stream', bytes: new Uint8Array([1]) }), 400, /extension 'exe' are not allowed/)
    refused(await client.upload({ name: `${'n'.repeat(100)}.txt`, type: 'text/plain', bytes: new Uint8Array([1]) }), 400, /must be under 100/)
    const timestamp = String(Date.now())
    const form = new FormData()
    form.append('other', 'x')
    const noFile = await bed.fetchFrom(CLIENT_IP)(new Request(`https://acme.${BASE_DOMAIN}/desk/openapi/v1/ticket/attachments/upload.json`, { method: 'POST', headers: { 'x-tc-timestamp': timestamp, authorization: 'x' }, body: form }))
    expect(noFile.status).toBe(400)
    expect((await noFile.json()).header.resultMessage).toMatch(/no 'file' part/)
  })

  it('keeps bearer authentication with the same key, signs with rotated keys during their grace, never with revoked ones', async () => {
    const bearer = await bed.call(`${bed.api}/ticket/tickets`, { token: bed.securityKey, body: { title: 't', content: 'c', channel: 'api', intakeCategoryId: bed.ids.refund, requester: { email: 'a@example.com' }, fields: { order_no: 'B-1', privacy_consent: true } } })
    expect(bearer.status).toBe(201)

    const rotated = await bed.call(`${bed.api}/open-api/keys/${bed.keyId}/rotate`, { body: { graceSeconds: 3600 } })
    expect(rotated.status).toBe(201)
    expect(rotated.body.key.openApiSigning).toBe(true)
    const successor = make({ securityKey: rotated.body.key.token })
    expect((await successor.list('u-1')).status).toBe(200)
    expect((await client.list('u-1')).status).toBe(200)

    await bed.call(`${bed.api}/open-api/keys/${bed.keyId}`, { method: 'DELETE' })
    refused(await client.list('u-1'), 400, /Authorization is incorrect/)
    expect((await successor.list('u-1')).status).toBe(200)
    const listed = await bed.call(`${bed.api}/open-api/keys`)
    expect(JSON.stringify(listed.body)).not.toContain(rotated.body.key.token)
  })

  it('lists the compat routes in the service document only where the ticket plugin is contracted', async () => {
    const doc = (await bed.call('/o/acme/desk/api/v1/openapi.json')).body
    const path = doc.paths['/openapi/v1/ticket.json']
    expect(path.post.tags).toEqual(['Online Contact OPEN API (compat)'])
    expect(path.servers[0].url).toBe('http://opencontact.test/o/acme/desk')
    expect(path.post.requestBody.content['application/json'].schema).toBeDefined()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v2/ticket/categories.json', '/api/v2/ticket/field/user/{categoryId}.json', '/openapi/v1/ticket/attachments/upload.json', '/openapi/v1/ticket/enduser/{usercode}/{ticketId}/detail.json']))
    const plain = (await bed.call('/o/acme/plain/api/v1/openapi.json')).body
    expect(Object.keys(plain.paths).filter((p) => p.startsWith('/openapi/') || p.startsWith('/api/v2'))).toEqual([])
    // And the routes themselves are not there for that service.
    expect((await make({ serviceId: 'plain' }).categories()).status).toBe(404)
  })
})

describe('Online Contact OPEN API without a master key', () => {
  it('keeps keys as hashes only: bearer authentication works, signed calls are refused naming the fix', async () => {
    const bed = await compatBed('pglite', { keyring: null })
    try {
      const keys = await bed.call(`${bed.api}/open-api/keys`)
      expect(keys.body.keys[0].openApiSigning).toBe(false)
      const client = signedClient(bed)
      const answer = await client.list('u-1')
      expect(answer.status).toBe(403)
      expect(answer.body.header.resultMessage).toMatch(/rotate them .* with OC_MASTER_KEYS configured/)
      expect((await bed.call(`${bed.api}/ticket/intake-categories`, { token: bed.securityKey })).status).not.toBe(401)
    } finally {
      await bed.t.close()
    }
  }, 120_000)
})
