/** The audit trail (C15): changes through the API leave entries with actor, address and before/after. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { caller, testPlatform, type Call, type TestPlatform } from '../../test/support/platform.ts'

describe('audit trail', () => {
  let t: TestPlatform
  let call: Call
  beforeAll(async () => {
    t = await testPlatform({ plugins: [ticket, hello] })
    // As if through a real socket, so the entry records the peer address.
    call = caller((request) => t.platform.fetch(request, { incoming: { socket: { remoteAddress: '::ffff:203.0.113.9' } } }), 'http://x', t.operatorToken)
    expect((await call('/operator/v1/organizations', { body: { slug: 'audited', name: 'Audited' } })).status).toBe(201)
    expect((await call('/operator/v1/organizations/audited/services', { body: { code: 'desk', name: 'Desk' } })).status).toBe(201)
  })
  afterAll(() => t.close())

  it('records contract and settings changes of a service with before and after, secrets left out', async () => {
    await call('/operator/v1/organizations/audited/services/desk/contract', { method: 'PUT', body: { plugins: { ticket: {}, hello: {} } } })
    await call('/o/audited/desk/api/v1/settings/hello', { method: 'PUT', body: { greeting: 'Hi', signingKey: 'top-secret-key' } })
    const res = await call('/o/audited/desk/api/v1/audit')
    expect(res.status).toBe(200)
    const [settings, contract, created] = res.body.entries
    expect(settings).toMatchObject({
      action: 'settings.updated',
      actor: { type: 'operator' },
      ip: '203.0.113.9',
      target: { type: 'plugin-settings', id: 'hello' },
      before: { values: {}, secretsSet: [] },
      after: { values: { greeting: 'Hi', punctuation: '!', retentionDays: 365 }, secretsSet: ['signingKey'] },
    })
    expect(settings.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(JSON.stringify(res.body)).not.toContain('top-secret-key')
    expect(contract).toMatchObject({ action: 'contract.updated', before: { plugins: {} }, after: { plugins: { hello: { features: { loud: false } } } } })
    expect(created).toMatchObject({ action: 'service.created', target: { type: 'service' } })
  })

  it('pages newest first with a cursor and filters by action', async () => {
    for (const greeting of ['a', 'b', 'c']) await call('/o/audited/desk/api/v1/settings/hello', { method: 'PUT', body: { greeting } })
    const first = await call('/o/audited/desk/api/v1/audit?action=settings.updated&limit=2')
    expect(first.body.entries.map((e: { after: { values: { greeting: string } } }) => e.after.values.greeting)).toEqual(['c', 'b'])
    const second = await call(`/o/audited/desk/api/v1/audit?action=settings.updated&limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.entries.map((e: { after: { values: { greeting: string } } }) => e.after.values.greeting)).toEqual(['a', 'Hi'])
    expect(second.body.nextCursor).toBeNull()
    const bad = await call('/o/audited/desk/api/v1/audit?cursor=not-a-cursor')
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('query.cursor')
  })

  it('keeps one service out of another service’s trail, and lists the organization’s trail for its owners', async () => {
    await call('/operator/v1/organizations/audited/services', { body: { code: 'other', name: 'Other' } })
    const other = await call('/o/audited/other/api/v1/audit')
    expect(other.body.entries.map((e: { action: string }) => e.action)).toEqual(['service.created'])
    await call('/operator/v1/organizations/audited/services/other', { method: 'DELETE' })
    const org = await call('/o/audited/org/v1/audit?limit=200')
    const actions = org.body.entries.map((e: { action: string }) => e.action)
    expect(actions[0]).toBe('service.deleted')
    expect(actions).toContain('organization.created')
    expect(actions.filter((a: string) => a === 'settings.updated')).toHaveLength(4)
  })

  it('is not readable without credentials', async () => {
    expect((await call('/o/audited/desk/api/v1/audit', { token: null })).status).toBe(401)
    expect((await call('/o/audited/org/v1/audit', { token: null })).status).toBe(401)
  })
})
