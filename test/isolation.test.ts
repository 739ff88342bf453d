/**
 * Cross-tenant isolation through the HTTP API, model-based: several tenants, each with its
 * own admin agent (a signed-in member) and service key, and random sequences of commands in
 * which any tenant's credentials aim at any tenant's URLs. Every piece of data a tenant
 * creates carries that tenant's marker, so a leak is visible in any response body.
 *
 * Properties, after every command:
 * - a response to tenant X's credentials never contains another tenant's marker;
 * - X's credentials never succeed on another tenant's URLs;
 * - what X lists of its own data is exactly what the model says X created.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../examples/hello-plugin/mod.ts'
import ticket from '../plugins/ticket/mod.ts'
import { testPlatform, type TestPlatform } from './support/platform.ts'
import { addMember, identityOptions, signIn } from './support/identity.ts'

interface Tenant {
  index: number
  org: string
  service: string
  marker: string
  credentials: { agent: string; key: string }
  created: { greetings: string[]; groups: string[]; categories: string[] }
}

const ORGS = ['iso-a', 'iso-b']
const SERVICES = ['one', 'two']

describe('tenant isolation through the API (model-based)', () => {
  let t: TestPlatform
  const tenants: Tenant[] = []

  beforeAll(async () => {
    t = await testPlatform({ driver: 'postgres', plugins: [hello, ticket], ...identityOptions() })
    for (const org of ORGS) {
      for (const service of SERVICES) {
        await t.createService(org, service, ['hello', 'ticket'])
        const index = tenants.length
        const marker = `mk${index}x${crypto.randomUUID().slice(0, 6)}`
        const member = await addMember(t, org, `admin-${service}@${org}.test`)
        const api = `/o/${org}/${service}/api/v1`
        expect((await t.call(`${api}/agents`, { body: { memberId: member.id, role: 'admin', permissions: ['ticket', 'hello'] } })).status).toBe(201)
        expect((await t.call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } })).status).toBe(200)
        const key = await t.call(`${api}/open-api/keys`, { body: { name: `key ${marker}` } })
        const agent = await signIn(t, org, member)
        tenants.push({ index, org, service, marker, credentials: { agent: agent.accessToken, key: key.body.token }, created: { greetings: [], groups: [], categories: [] } })
      }
    }
  }, 120_000)
  afterAll(() => t?.close())

  type Resource = 'greetings' | 'groups' | 'categories'
  type Command = { op: 'create' | 'list'; resource: Resource; actor: number; target: number; via: 'agent' | 'key'; seq: number }

  const api = (tenant: Tenant) => `/o/${tenant.org}/${tenant.service}/api/v1`
  const paths: Record<Resource, { path: string; body: (name: string) => unknown; names: (body: any) => string[] }> = {
    greetings: { path: '/hello/greetings', body: (name) => ({ name }), names: (b) => b.greetings.map((g: { name: string }) => g.name) },
    groups: { path: '/groups', body: (name) => ({ name }), names: (b) => b.groups.map((g: { name: string }) => g.name) },
    categories: { path: '/ticket/intake-categories', body: (name) => ({ names: { ko: name } }), names: (b) => collectNames(b) },
  }
  // Group and category writes need an admin: service keys are refused on them by design.
  const keyMayWrite = (resource: Resource) => resource === 'greetings'
  const keyMayList = (resource: Resource) => resource !== 'groups'

  let sequence = 0
  let crossTenantCalls = 0
  async function run(command: Command): Promise<void> {
    const actor = tenants[command.actor]!
    const target = tenants[command.target]!
    if (actor !== target) crossTenantCalls++
    const spec = paths[command.resource]
    const token = actor.credentials[command.via]
    const name = `${target.marker}-${command.resource}-${command.seq}`
    const res =
      command.op === 'create'
        ? await t.call(`${api(target)}${spec.path}`, { body: spec.body(name), token })
        : await t.call(`${api(target)}${spec.path}${command.resource === 'greetings' ? '?limit=100' : ''}`, { token })

    const text = JSON.stringify(res.body)
    for (const other of tenants) if (other !== actor) expect(text, `response to ${actor.marker} carried ${other.marker}`).not.toContain(other.marker)

    if (actor !== target) {
      expect(res.status, `${actor.marker} reached ${target.marker}`).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      return
    }
    const allowed = command.via === 'agent' || (command.op === 'create' ? keyMayWrite(command.resource) : keyMayList(command.resource))
    if (!allowed) {
      expect(res.status).toBe(403)
      return
    }
    if (command.op === 'create') {
      expect(res.status, text).toBe(201)
      actor.created[command.resource].push(name)
    } else {
      expect(res.status, text).toBe(200)
      expect(spec.names(res.body).sort()).toEqual([...actor.created[command.resource]].sort())
    }
  }

  it('never lets one tenant read or write another tenant’s data', async () => {
    // Every tenant starts with data of each kind, so a leak shows whatever the random runs do.
    for (const tenant of tenants) {
      for (const resource of ['greetings', 'groups', 'categories'] as const) {
        await run({ op: 'create', resource, actor: tenant.index, target: tenant.index, via: 'agent', seq: sequence++ })
      }
    }
    crossTenantCalls = 0
    const tenantIndex = fc.integer({ min: 0, max: ORGS.length * SERVICES.length - 1 })
    const command = fc.record({
      op: fc.constantFrom<'create' | 'list'>('create', 'list'),
      resource: fc.constantFrom<Resource>('greetings', 'groups', 'categories'),
      actor: tenantIndex,
      target: fc.oneof(tenantIndex, tenantIndex),
      via: fc.constantFrom<'agent' | 'key'>('agent', 'key'),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
        for (const c of commands) await run({ ...c, seq: sequence++ })
      }),
      { numRuns: 12, endOnFailure: true },
    )
    // The runs really aimed credentials across tenants (60+ random commands over 4 tenants).
    expect(crossTenantCalls).toBeGreaterThan(0)
  }, 240_000)
})

/** Names in a category tree answer, however deep: every `names.ko`. */
function collectNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(collectNames)
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const own = record.names && typeof record.names === 'object' && typeof (record.names as Record<string, unknown>).ko === 'string' ? [(record.names as { ko: string }).ko] : []
    return [...own, ...Object.entries(record).filter(([k]) => k !== 'names').flatMap(([, v]) => collectNames(v))]
  }
  return []
}
