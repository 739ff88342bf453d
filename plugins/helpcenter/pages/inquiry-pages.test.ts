/**
 * The inquiry pages over HTTP, on both drivers: the form per intake category with its customer
 * fields in order, a refused form shown again with each message beside its input and what was
 * typed kept, a sent form (with an attachment) filing a ticket through the tickets service
 * (channel web, the field values, the file; a trigger ran on it), the CSRF check, and a
 * signed-in member (member-integration token and JWT hand-off) seeing it in their history,
 * opening it and replying; anonymous visitors get the sign-in page; switched off, 404.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { SignJWT } from 'jose'
import { createTestPlatform, ok, type TestAgent, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { signMemberToken } from '../visitors/member-token.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const KEY = 'member-integration-key-0123456789'
const SECRET = 'a shared secret of at least thirty-two characters'
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (ch) => ch.charCodeAt(0))

describe.each(drivers)('help-center inquiry pages on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let agent: TestAgent
  let categoryId: string
  const base = '/o/asks/desk/hc'
  const url = (path: string) => `http://opencontact.test${path}`
  const get = (path: string, headers: Record<string, string> = {}) => tp.fetch(new Request(url(path), { headers }))
  const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!)
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!

  /** Opens the form of the category as the browser with `cookie`, and sends it with `fields` (and files). */
  async function send(fields: Record<string, string>, options: { cookie?: string; files?: File[]; csrf?: boolean } = {}) {
    const form = await get(`${base}/inquiry?lang=en&category=${categoryId}`, options.cookie ? { cookie: options.cookie } : {})
    const html = await form.text()
    const cookie = [options.cookie, ...cookiesOf(form)].filter(Boolean).join('; ')
    const body = new FormData()
    if (options.csrf !== false) body.set('csrf', csrfOf(html))
    body.set('category', categoryId)
    for (const [name, value] of Object.entries(fields)) body.append(name, value)
    for (const file of options.files ?? []) body.append('attachments', file)
    return { res: await tp.fetch(new Request(url(`${base}/inquiry?lang=en`), { method: 'POST', headers: { cookie, accept: 'text/html' }, body })), cookie }
  }

  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver(), events: { background: false } })
    svc = await tp.service('asks', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    agent = await svc.agent({ permissions: ['ticket'] })
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY, jwtSecret: SECRET, jwtAudience: 'help' } }))
    categoryId = (await ok(svc.call('/ticket/intake-categories', { body: { names: { ko: '주문', en: 'Orders' } } }), 201)).id
    const order = await ok(svc.call('/ticket/fields', { body: { audience: 'customer', code: 'order_no', type: 'text', required: true, names: { ko: '주문번호', en: 'Order number' }, details: { maxLength: 10 } } }), 201)
    const channel = await ok(svc.call('/ticket/fields', { body: { audience: 'customer', code: 'bought_at', type: 'dropdown', names: { ko: '구매처', en: 'Bought at' }, details: { options: [{ value: 'web', names: { ko: '웹', en: 'Web' } }, { value: 'store', names: { ko: '매장', en: 'Store' } }] } } }), 201)
    await ok(svc.call(`/ticket/intake-categories/${categoryId}/fields`, { method: 'PUT', body: { fieldIds: [order.id, channel.id] } }))
    await ok(svc.call('/ticket/triggers', { body: { title: 'Orders to the agent', conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'intakeCategory', operator: 'is', value: categoryId }] }, results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: agent.id }] } }), 201)
  }, 60_000)
  afterAll(() => tp.close())

  it("shows the intake categories, then the picked one's customer fields in their order", async () => {
    const picker = await (await get(`${base}/inquiry?lang=en`)).text()
    expect(picker).toContain(`<option value="${categoryId}">Orders</option>`)
    expect(picker).not.toContain('name="f_order_no"')
    const form = await (await get(`${base}/inquiry?lang=en&category=${categoryId}`)).text()
    const at = (name: string) => form.indexOf(`name="${name}"`)
    expect(at('f_order_no')).toBeGreaterThan(at('f_content'))
    expect(at('f_bought_at')).toBeGreaterThan(at('f_order_no'))
    expect(form).toContain('<option value="store">Store</option>')
    expect(form).toContain('name="consent"')
    expect(form).toContain('name="attachments"')
  })

  it('refuses a form without its CSRF token, and shows a refused form again with each message beside its input', async () => {
    expect((await send({ f_title: 'Late parcel' }, { csrf: false })).res.status).toBe(403)
    const { res } = await send({ f_title: 'Late parcel', f_content: 'Where is it?', f_order_no: 'far-too-long-number', f_email: 'ada@example.com' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="hc-f-f_order_no-error"')
    expect(html).toContain('id="hc-consent-error"')
    expect(html).toContain('value="Late parcel"')
    expect(html).toContain('Order number')
    expect(await tp.db.query('SELECT 1 FROM tickets')).toHaveLength(0)
  })

  it('files a ticket with its field values and attachment from the form; the trigger assigns it', async () => {
    const { res } = await send({ name: 'Ada', f_email: 'ada@example.com', f_title: 'Late parcel', f_content: 'Where is it?', f_order_no: 'A-100', f_bought_at: 'store', consent: 'yes' }, { files: [new File([PNG], 'receipt.png', { type: 'image/png' })] })
    expect(res.status).toBe(303)
    const done = res.headers.get('location')!
    const number = new URL(url(done)).searchParams.get('number')!
    expect((await (await get(done)).text())).toContain(number)
    await tp.drainEvents()
    const [row] = await tp.db.query<{ id: string; channel: string; assignee_agent_id: string | null }>('SELECT id, channel, assignee_agent_id FROM tickets WHERE public_id = $1', [number])
    await tp.drainEvents()
    expect(row).toMatchObject({ channel: 'web' })
    expect((await tp.db.query('SELECT assignee_agent_id FROM tickets WHERE id = $1', [row!.id]))[0]).toEqual({ assignee_agent_id: agent.id })
    const ticketView = await ok(svc.call(`/ticket/tickets/${row!.id}`))
    expect(ticketView.fields).toMatchObject({ order_no: 'A-100', bought_at: 'store', privacy_consent: true })
    expect(ticketView.requester).toMatchObject({ email: 'ada@example.com', name: 'Ada' })
    expect(await tp.db.query("SELECT file_name FROM ticket_attachments WHERE ticket_id = $1", [row!.id])).toEqual([{ file_name: 'receipt.png' }])
  })

  it('shows a member their inquiries (signed in either way), one of them with its answer, and takes their reply', async () => {
    const usercode = `member-${Math.random().toString(36).slice(2)}`
    const fields = { service: 'desk', usercode, username: 'Grace', email: 'grace@example.com', time: String(Date.now()) }
    const signIn = await tp.fetch(new Request(url(`${base}/v2/enduser/remote.json`), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, token: await signMemberToken(KEY, fields) }).toString() }))
    const member = cookiesOf(signIn).join('; ')
    expect(member).toContain('oc_hc_session=')
    const { res } = await send({ f_title: 'Broken lid', f_content: 'The lid broke.', f_order_no: 'B-7', consent: 'yes' }, { cookie: member })
    expect(res.status).toBe(303)
    const history = await (await get(`${base}/inquiries?lang=en`, { cookie: member })).text()
    expect(history).toContain('Broken lid')
    expect(history).not.toContain('Late parcel')
    const detailUrl = /href="([^"]*\/inquiries\/[^"?]+\?lang=en)"/.exec(history)![1]!.replace(/&amp;/g, '&')
    const [ticketRow] = await tp.db.query<{ id: string }>("SELECT id FROM tickets WHERE title = 'Broken lid'")
    await ok(svc.call(`/ticket/tickets/${ticketRow!.id}/agent-replies`, { body: { content: 'A new lid is on its way.' } }), 201)
    const detail = await (await get(detailUrl, { cookie: member })).text()
    expect(detail).toContain('The lid broke.')
    expect(detail).toContain('A new lid is on its way.')
    expect(detail).toContain('B-7')
    const reply = await tp.fetch(new Request(url(`${detailUrl.replace('?lang=en', '')}/replies?lang=en`), { method: 'POST', headers: { cookie: member, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(detail), content: 'Thank you!' }).toString() }))
    expect(reply.status).toBe(303)
    expect(await (await get(detailUrl, { cookie: member })).text()).toContain('Thank you!')
    // The same member through the JWT hand-off sees the same history.
    const jwt = await new SignJWT({ name: 'Grace' }).setProtectedHeader({ alg: 'HS256' }).setSubject(usercode).setIssuedAt().setAudience('help').setJti(crypto.randomUUID()).sign(new TextEncoder().encode(SECRET))
    const handoff = await get(`${base}/sign-in/jwt?jwt=${jwt}&returnUrl=${encodeURIComponent(`${base}/inquiries`)}`)
    expect(handoff.status).toBe(303)
    expect(await (await get(`${base}/inquiries?lang=en`, { cookie: cookiesOf(handoff).join('; ') })).text()).toContain('Broken lid')
    // The layout's sign-out form ends the session.
    const signOut = /<form class="hc-sign-out" method="post" action="([^"]+)"><input type="hidden" name="csrf" value="([^"]+)">/.exec(history)!
    const out = await tp.fetch(new Request(url(signOut[1]!), { method: 'POST', headers: { cookie: member, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ csrf: signOut[2]! }).toString() }))
    expect(out.status).toBe(303)
    expect(await (await get(`${base}/inquiries?lang=en`, { cookie: member })).text()).toContain('Please sign in')
    // Anonymous: the sign-in page; another member's inquiry: not found.
    expect(await (await get(`${base}/inquiries?lang=en`)).text()).toContain('Please sign in')
    expect((await get(`${base}/inquiries/${(await tp.db.query<{ id: string }>("SELECT id FROM tickets WHERE title = 'Late parcel'"))[0]!.id}?lang=en`, { cookie: cookiesOf(handoff).join('; ') })).status).toBe(404)
  })

  it('answers 404 for the inquiry and history pages while their menus are switched off', async () => {
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { memberIntegration: true, memberTokenKey: KEY, jwtSecret: SECRET, jwtAudience: 'help', inquiry: false, inquiryHistory: false } }))
    expect((await get(`${base}/inquiry?lang=en`)).status).toBe(404)
    expect((await get(`${base}/inquiries?lang=en`)).status).toBe(404)
    const home = await (await get(`${base}?lang=en`)).text()
    expect(home).not.toContain(`${base}/inquiry?`)
    expect(home).not.toContain(`${base}/inquiries?`)
  })
})
