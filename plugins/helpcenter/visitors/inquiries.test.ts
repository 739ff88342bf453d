/**
 * A signed-in member's inquiry history (inquiries.ts) through the tickets service, on both
 * drivers: tickets made through the ticket API (which files them with the same service), read
 * through a tiny test page on the /hc mount as the pages will call the functions.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import { definePlugin, errors, route, z } from '../../../core/mod.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { helpCenterMount } from './mount.ts'
import { signMemberToken } from './member-token.ts'
import { currentVisitor } from './visitor.ts'
import { addMemberReply, inquiryRefusal, memberTicket, memberTickets } from './inquiries.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]
const KEY = 'member-integration-key-for-history'
const any = { 200: { description: 'ok', content: { 'application/json': { schema: z.any() } } } }
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) })

const historyPages = definePlugin({
  ...helpcenter,
  mounts: [
    helpCenterMount((app, ctx) => {
      const member = (c: Parameters<typeof currentVisitor>[0]) => {
        const visitor = currentVisitor(c)
        if (visitor.kind !== 'member') throw errors.unauthenticated('sign in first')
        return visitor.member
      }
      app.openapi(route({ method: 'get', path: '/test-history', access: 'public', responses: any }), async (c) =>
        c.json(await c.var.db.tx((tx) => memberTickets(ctx, tx, c.var.tenant.service, member(c))), 200))
      app.openapi(route({ method: 'get', path: '/test-history/{id}', access: 'public', request: { params: IdParam }, responses: any }), async (c) =>
        c.json(await c.var.db.tx((tx) => memberTicket(ctx, tx, c.var.tenant.service, member(c), c.req.valid('param').id)), 200))
      app.openapi(route({ method: 'post', path: '/test-history/{id}', access: 'public', request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ content: z.string() }) } } } }, responses: any }), async (c) =>
        c.json(await c.var.db.tx((tx) => addMemberReply(ctx, tx, c.var.tenant.service, member(c), c.req.valid('param').id, c.req.valid('json').content)), 200))
    }),
  ],
})

describe.each(drivers)('member inquiry history on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  const base = '/o/hist/desk/hc'
  const signIn = async (usercode: string) => {
    const fields = { service: 'desk', usercode, username: 'Hong', time: String(Date.now()) }
    const res = await tp.fetch(new Request(`http://opencontact.test${base}/v2/enduser/remote.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, token: await signMemberToken(KEY, fields) }).toString() }))
    expect(res.status).toBe(303)
    return res.headers.getSetCookie()[0]!.split(';')[0]!
  }
  const page = async (cookie: string, path: string, body?: unknown) => {
    const res = await tp.fetch(new Request(`http://opencontact.test${base}${path}`, { method: body ? 'POST' : 'GET', headers: { cookie, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }))
    return { status: res.status, body: await res.json() }
  }

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, historyPages], driver: driver() })
    svc = await tp.service('hist', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko'] })
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY } }))
  })
  afterAll(() => tp.close())

  it("lists the member's own tickets, shows one with its replies but no notes, and adds the member's reply", async () => {
    const mine = await ok(svc.call('/ticket/tickets', { body: { title: '배송 문의', content: '언제 오나요?', channel: 'web', requester: { usercode: 'U-1', name: 'Hong' } } }), 201)
    const older = await ok(svc.call('/ticket/tickets', { body: { title: 'Older', content: 'first', channel: 'web', requester: { usercode: 'U-1' } } }), 201)
    const theirs = await ok(svc.call('/ticket/tickets', { body: { title: 'Not yours', content: 'x', channel: 'web', requester: { usercode: 'U-2' } } }), 201)
    await ok(svc.call(`/ticket/tickets/${mine.id}/agent-replies`, { body: { content: '내일 도착합니다.' } }), 201)
    await ok(svc.call(`/ticket/tickets/${mine.id}/notes`, { body: { content: 'internal: courier is late' } }), 201)

    const cookie = await signIn('U-1')
    const list = await page(cookie, '/test-history')
    expect(list.status).toBe(200)
    expect(list.body.map((t: { id: string }) => t.id).sort()).toEqual([mine.id, older.id].sort())

    const one = await page(cookie, `/test-history/${mine.ticketId}`)
    expect(one.body.ticket).toMatchObject({ id: mine.id, title: '배송 문의' })
    expect(one.body.entries.map((e: { kind: string; content: string }) => [e.kind, e.content])).toEqual([['agent-reply', '내일 도착합니다.']])
    expect((await page(cookie, `/test-history/${theirs.id}`)).body).toBeNull()

    const reply = await page(cookie, `/test-history/${mine.id}`, { content: '감사합니다' })
    expect(reply.body).toMatchObject({ kind: 'customer-reply', content: '감사합니다', author: { label: 'Hong' } })
    const entries = await ok(svc.call(`/ticket/tickets/${mine.id}/entries`))
    expect(entries.entries.map((e: { kind: string }) => e.kind)).toEqual(['agent-reply', 'note', 'customer-reply'])
    expect((await page(cookie, `/test-history/${theirs.id}`, { content: 'sneaky' })).status).toBe(404)
  })
})

describe('who may file an inquiry', () => {
  const member = { kind: 'member', member: { usercode: 'u' }, scheme: 'jwt', expiresAt: '' } as const
  it('lets members in always and anonymous visitors only while non-member inquiries are on', () => {
    expect(inquiryRefusal(member, { memberIntegration: true, nonMemberInquiries: false })).toBeNull()
    expect(inquiryRefusal({ kind: 'anonymous' }, { memberIntegration: true, nonMemberInquiries: true })).toBeNull()
    expect(inquiryRefusal({ kind: 'anonymous' }, { memberIntegration: true, nonMemberInquiries: false })).toMatch(/^sign in to send an inquiry/)
    expect(inquiryRefusal({ kind: 'anonymous' }, { memberIntegration: false, nonMemberInquiries: false })).toMatch(/no inquiries/)
  })
})
