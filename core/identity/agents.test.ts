/**
 * Agents, groups and permissions on both drivers: permissions that plugins declare, normalized by
 * their rules through the API, per-agent plugin settings, access per role and permission through
 * real routes (the hello example plugin's `{ permission: 'hello' }`, `'authenticated'` and
 * `'public'` routes, settings' admin routes), changes applying at once on a second instance,
 * group membership, and audit entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import { definePlugin, z } from '../mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { caller, testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { type AddedMember, addMember, identityOptions, signIn } from '../../test/support/identity.ts'

// The admin guide's permission rules, declared the way a chat and a phone plugin declare them.
const chat = definePlugin({
  id: 'chat',
  version: '1.0.0',
  core: '^1',
  permissions: { chat: { title: { ko: '채팅', en: 'Chats' } } },
  agentSettings: z.object({ assignment: z.boolean().default(true), cap: z.number().int().min(0).nullable().default(null) }),
})
const phone = definePlugin({
  id: 'phone',
  version: '1.0.0',
  core: '^1',
  dependsOn: ['hello'],
  permissions: {
    phone: { title: { ko: '전화', en: 'Calls' }, implies: ['hello'] },
    'phone.callback': { title: { ko: '콜백', en: 'Callbacks' }, requires: ['phone'], admins: true },
  },
})

describe.each(DRIVERS)('agents, groups and permissions on %s', (driver) => {
  let t: TestPlatform
  const api = '/o/acme/desk/api/v1'
  const otherApi = '/o/acme/other/api/v1'
  const people: Record<'owner' | 'admin' | 'ticket' | 'chat' | 'phone' | 'plain', AddedMember> = {} as never
  const tokens: Record<string, string> = {}
  const agentIds: Record<string, string> = {}

  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [ticket, hello, chat, phone], ...identityOptions() })
    await t.createService('acme', 'desk', ['ticket', 'hello', 'chat', 'phone'])
    await t.createService('acme', 'other', ['ticket', 'hello'])
    people.owner = await addMember(t, 'acme', 'owner@acme.test', 'owner')
    for (const name of ['admin', 'ticket', 'chat', 'phone', 'plain'] as const) people[name] = await addMember(t, 'acme', `${name}@acme.test`)
    for (const [name, person] of Object.entries(people)) tokens[name] = (await signIn(t, 'acme', person)).accessToken
  })
  afterAll(() => t.close())

  it("adds agents with permissions normalized by their plugins' rules (phone brings hello, admins hold phone.callback)", async () => {
    const add = (body: Record<string, unknown>, token = tokens.owner) => t.call(`${api}/agents`, { body, token })
    const admin = await add({ memberId: people.admin.id, role: 'admin' })
    expect(admin.status).toBe(201)
    expect(admin.body).toMatchObject({ email: 'admin@acme.test', role: 'admin', permissions: ['phone.callback'], settings: { chat: { assignment: true, cap: null } }, groupIds: [] })
    const ticket = await add({ email: 'TICKET@acme.test', role: 'agent', permissions: ['hello'], settings: { chat: { cap: 5, assignment: false } } }, tokens.admin)
    expect(ticket.body).toMatchObject({ permissions: ['hello'], settings: { chat: { assignment: false, cap: 5 } } })
    const chat = await add({ memberId: people.chat.id, role: 'agent', permissions: ['chat', 'chat'] })
    expect(chat.body.permissions).toEqual(['chat'])
    const phone = await add({ memberId: people.phone.id, role: 'agent', permissions: ['phone.callback', 'phone'] })
    expect(phone.body.permissions).toEqual(['hello', 'phone', 'phone.callback'])
    Object.assign(agentIds, { admin: admin.body.id, ticket: ticket.body.id, chat: chat.body.id, phone: phone.body.id })
  })

  it('refuses invalid agents with 422 or 409 naming the field', async () => {
    const add = (body: Record<string, unknown>) => t.call(`${api}/agents`, { body, token: tokens.owner })
    const callback = await add({ memberId: people.plain.id, role: 'agent', permissions: ['hello', 'phone.callback'] })
    expect(callback.status).toBe(422)
    expect(callback.body.error.issues).toEqual([expect.objectContaining({ path: 'body.permissions', code: 'permission_requires' })])
    expect(callback.body.error.message).toMatch(/'phone.callback' only with 'phone'/)
    const unknown = await add({ memberId: people.plain.id, role: 'agent', permissions: ['hello', 'sms'] })
    expect(unknown.body.error.issues).toEqual([expect.objectContaining({ path: 'body.permissions.1', code: 'unknown_permission' })])
    expect(unknown.body.error.issues[0].message).toMatch(/'ticket', 'hello', 'chat', 'phone', 'phone.callback'/)
    expect((await add({ email: 'nobody@acme.test', role: 'agent' })).body.error.issues[0].path).toBe('body.email')
    expect((await add({ memberId: people.plain.id, email: 'plain@acme.test', role: 'agent' })).body.error.issues[0].path).toBe('body.memberId')
    expect((await add({ memberId: people.plain.id, role: 'agent', settings: { chat: { cap: -1 } } })).body.error.issues[0].path).toBe('body.settings.chat.cap')
    expect((await add({ memberId: people.plain.id, role: 'agent', settings: { nope: {} } })).body.error.issues[0].path).toBe('body.settings.nope')
    expect((await add({ memberId: people.plain.id, role: 'agent', settings: { chat: { colour: 'red' } } })).body.error.issues[0].path).toBe('body.settings.chat.colour')
    expect((await add({ memberId: people.plain.id, role: 'agent', extra: 1 })).body.error.issues[0].path).toBe('body.extra')
    const twice = await add({ memberId: people.ticket.id, role: 'agent' })
    expect(twice.status).toBe(409)
  })

  it('changes agents: a demoted admin loses the phone.callback only the role gave; settings merge', async () => {
    const patch = (id: string, body: Record<string, unknown>) => t.call(`${api}/agents/${id}`, { method: 'PATCH', body, token: tokens.owner })
    const promoted = await patch(agentIds.chat!, { role: 'admin' })
    expect(promoted.body.permissions).toEqual(['chat', 'phone.callback'])
    const demoted = await patch(agentIds.chat!, { role: 'agent' })
    expect(demoted.body.permissions).toEqual(['chat'])
    expect((await patch(agentIds.chat!, { permissions: ['phone.callback'] })).status).toBe(422)
    // A phone agent demoted from admin keeps the callback: it holds what the callback requires.
    const phoneAgent = agentIds.phone!
    await patch(phoneAgent, { role: 'admin' })
    expect((await patch(phoneAgent, { role: 'agent' })).body.permissions).toEqual(['hello', 'phone', 'phone.callback'])
    const cap = await patch(agentIds.ticket!, { settings: { chat: { cap: null } } })
    expect(cap.body).toMatchObject({ settings: { chat: { cap: null, assignment: false } }, permissions: ['hello'] })
    expect((await patch(crypto.randomUUID(), { role: 'agent' })).status).toBe(404)
  })

  it('enforces route permissions per role on a plugin route ({ permission: "hello" })', async () => {
    const greet = (token: string | null) => t.call(`${api}/hello/greetings`, { body: { name: 'Ada' }, token })
    expect((await greet(tokens.ticket!)).status).toBe(201)
    expect((await greet(tokens.phone!)).status).toBe(201) // phone brought hello
    expect((await greet(tokens.owner!)).status).toBe(201) // owners count as admins with every permission
    const chat = await greet(tokens.chat!)
    expect(chat.status).toBe(403)
    expect(chat.body.error.message).toMatch(/'hello' permission/)
    expect((await greet(tokens.admin!)).status).toBe(403) // admins get permissions individually too
    const plain = await greet(tokens.plain!)
    expect(plain.status).toBe(403)
    expect(plain.body.error.message).toMatch(/not an agent of this service/)
    expect((await greet(null)).status).toBe(401)
    // An agent of one service is nobody in another.
    expect((await t.call(`${otherApi}/hello/greetings`, { token: tokens.ticket })).status).toBe(403)
  })

  it("enforces 'authenticated', 'public' and admin routes per role", async () => {
    for (const name of ['ticket', 'chat', 'admin', 'owner']) expect((await t.call(`${api}/hello/greetings`, { token: tokens[name] })).status, name).toBe(200)
    expect((await t.call(`${api}/hello/greetings`, { token: tokens.plain })).status).toBe(403)
    expect((await t.call(`${api}/hello/ping`, { token: null })).status).toBe(200)
    // Settings and agent administration: admins and owners only.
    const settings = (token: string) => t.call(`${api}/settings/hello`, { method: 'PUT', body: { greeting: 'Hi' }, token })
    expect((await settings(tokens.admin!)).status).toBe(200)
    expect((await settings(tokens.owner!)).status).toBe(200)
    const refused = await settings(tokens.ticket!)
    expect(refused.status).toBe(403)
    expect(refused.body.error.message).toMatch(/administrators of the service/)
    expect((await t.call(`${api}/agents`, { token: tokens.admin })).status).toBe(200)
    expect((await t.call(`${api}/agents`, { token: tokens.phone })).status).toBe(403)
    // Organization-owner routes stay closed to service admins.
    expect((await t.call('/o/acme/org/v1/members', { token: tokens.admin })).status).toBe(403)
  })

  it("lists the permissions of the service's contracted plugins with their rules (GET /permissions)", async () => {
    const listed = await t.call(`${api}/permissions`, { token: tokens.chat })
    expect(listed.status).toBe(200)
    expect(listed.body.permissions).toEqual([
      { name: 'ticket', plugin: 'ticket', title: { ko: '티켓', en: 'Tickets' }, implies: [], requires: [], admins: false },
      { name: 'hello', plugin: 'hello', title: { ko: '인사하기', en: 'Greet people' }, implies: [], requires: [], admins: false },
      { name: 'chat', plugin: 'chat', title: { ko: '채팅', en: 'Chats' }, implies: [], requires: [], admins: false },
      { name: 'phone', plugin: 'phone', title: { ko: '전화', en: 'Calls' }, implies: ['hello'], requires: [], admins: false },
      { name: 'phone.callback', plugin: 'phone', title: { ko: '콜백', en: 'Callbacks' }, implies: [], requires: ['phone'], admins: true },
    ])
    // A plugin the contract leaves out shows none of its permissions.
    expect((await t.call(`${otherApi}/permissions`, { token: tokens.owner })).body.permissions.map((p: { name: string }) => p.name)).toEqual(['ticket', 'hello'])
  })

  it('tells each caller its own grant (GET /me)', async () => {
    expect((await t.call(`${api}/me`, { token: tokens.phone })).body).toEqual({
      kind: 'member',
      memberId: people.phone.id,
      orgRole: 'member',
      keyId: null,
      agent: { agentId: agentIds.phone, role: 'agent', permissions: ['hello', 'phone', 'phone.callback'] },
    })
    expect((await t.call(`${api}/me`, { token: tokens.owner })).body).toMatchObject({ kind: 'member', orgRole: 'owner', agent: null })
    expect((await t.call(`${api}/me`, { token: tokens.plain })).status).toBe(403)
    const orgMe = await t.call('/o/acme/org/v1/me', { token: tokens.phone })
    expect(orgMe.body.services).toEqual([{ serviceId: expect.any(String), serviceCode: 'desk', agentId: agentIds.phone, role: 'agent', permissions: ['hello', 'phone', 'phone.callback'] }])
  })

  it('applies a permission change at once, on this instance and on another one (NOTIFY)', async () => {
    const second = await testPlatform({ db: t.db, plugins: [ticket, hello, chat, phone], ...identityOptions() })
    try {
      const onSecond = caller(second.platform.fetch, 'http://x', null)
      const greetOnSecond = () => onSecond(`${api}/hello/greetings`, { body: { name: 'Bo' }, token: tokens.ticket })
      expect((await greetOnSecond()).status).toBe(201) // now cached on the second instance
      await t.call(`${api}/agents/${agentIds.ticket}`, { method: 'PATCH', body: { permissions: ['chat'] }, token: tokens.owner })
      expect((await t.call(`${api}/hello/greetings`, { body: { name: 'Bo' }, token: tokens.ticket })).status).toBe(403)
      const deadline = Date.now() + 2_000
      let status = 201
      while (status !== 403 && Date.now() < deadline) {
        status = (await greetOnSecond()).status
        if (status !== 403) await new Promise((r) => setTimeout(r, 10))
      }
      expect(status).toBe(403)
      await t.call(`${api}/agents/${agentIds.ticket}`, { method: 'PATCH', body: { permissions: ['hello'] }, token: tokens.owner })
    } finally {
      await second.close()
    }
  })

  it('manages groups and their membership, within the service only', async () => {
    const call = (path: string, options: Parameters<typeof t.call>[1] = {}) => t.call(`${api}${path}`, { token: tokens.admin, ...options })
    const created = await call('/groups', { body: { name: 'Tier 1', agentIds: [agentIds.ticket, agentIds.chat] } })
    expect(created.status).toBe(201)
    expect(created.body.agentIds).toEqual([agentIds.ticket, agentIds.chat].sort())
    expect((await call('/groups', { body: { name: 'Tier 1' } })).status).toBe(409)
    const bad = await call('/groups', { body: { name: 'Tier 2', agentIds: [agentIds.phone, crypto.randomUUID()] } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.agentIds.1'])
    expect((await call('/groups', { body: { name: '' } })).body.error.issues[0].path).toBe('body.name')

    const id = created.body.id
    const renamed = await call(`/groups/${id}`, { method: 'PATCH', body: { name: 'First line', agentIds: [agentIds.phone] } })
    expect(renamed.body).toMatchObject({ name: 'First line', agentIds: [agentIds.phone] })
    expect((await call(`/groups/${id}/agents/${agentIds.chat}`, { method: 'PUT' })).body.agentIds).toHaveLength(2)
    expect((await call(`/groups/${id}/agents/${agentIds.chat}`, { method: 'DELETE' })).body.agentIds).toEqual([agentIds.phone])
    expect((await call(`/groups/${id}/agents/${agentIds.chat}`, { method: 'DELETE' })).status).toBe(404)
    expect((await call(`/agents/${agentIds.phone}`)).body.groupIds).toEqual([id])

    // Row-level security: the other service sees none of this service's groups or agents.
    expect((await t.call(`${otherApi}/groups`, { token: tokens.owner })).body.groups).toEqual([])
    expect((await t.call(`${otherApi}/groups/${id}`, { token: tokens.owner })).status).toBe(404)
    expect((await t.call(`${otherApi}/agents`, { token: tokens.owner })).body.agents).toEqual([])
    const foreign = await t.call(`${otherApi}/groups`, { body: { name: 'X', agentIds: [agentIds.phone] }, token: tokens.owner })
    expect(foreign.status).toBe(422)

    expect((await call('/groups', { token: tokens.ticket })).status).toBe(403)
    expect((await call(`/groups/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(`/groups/${id}`)).status).toBe(404)
  })

  it('removes an agent (with its group places), and all of them when the member leaves', async () => {
    const group = await t.call(`${api}/groups`, { body: { name: 'Leavers', agentIds: [agentIds.chat] }, token: tokens.admin })
    expect((await t.call(`${api}/agents/${agentIds.chat}`, { method: 'DELETE', token: tokens.admin })).status).toBe(204)
    expect((await t.call(`${api}/groups/${group.body.id}`, { token: tokens.admin })).body.agentIds).toEqual([])
    expect((await t.call(`${api}/hello/greetings`, { token: tokens.chat })).status).toBe(403)

    await t.call(`${otherApi}/agents`, { body: { memberId: people.phone.id, role: 'agent', permissions: ['hello'] }, token: tokens.owner })
    expect((await t.call(`/o/acme/org/v1/members/${people.phone.id}`, { method: 'DELETE', token: tokens.owner })).status).toBe(204)
    expect(await t.db.query('SELECT id FROM oc_agents WHERE member_id = $1', [people.phone.id])).toEqual([])
  })

  it('records a service-level audit entry for every kind of agent and group change', async () => {
    const entries = await t.call(`${api}/audit?limit=200`, { token: tokens.owner })
    const actions = new Set(entries.body.entries.map((e: { action: string }) => e.action))
    for (const action of ['agent.created', 'agent.updated', 'agent.removed', 'group.created', 'group.updated', 'group.deleted', 'group.agent-added', 'group.agent-removed']) {
      expect(actions, action).toContain(action)
    }
    const created = entries.body.entries.find((e: { action: string; target: { id: string } }) => e.action === 'agent.created' && e.target.id === agentIds.ticket)
    expect(created).toMatchObject({ actor: { type: 'member', label: 'admin@acme.test' }, after: { permissions: ['hello'] } })
  })
})
