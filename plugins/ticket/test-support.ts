/**
 * What the ticket configuration tests share: a platform with the ticket plugin, a service in
 * Korean and English, a second organization's service (to show its ids answer 404), and signed-in
 * agents for permission tests.
 */
import ticket from './mod.ts'
import type { Driver } from '../../test/support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../test/support/identity.ts'

export interface TicketTestBed {
  t: TestPlatform
  call: Call
  /** The API prefix of the service under test (languages ko, en; default ko). */
  api: string
  /** The service under test, for running store functions in a tenant transaction. */
  scope: { orgId: string; serviceId: string }
  /** Another organization's service with the ticket plugin. */
  otherApi: string
  /** Signs in a new member of the organization who is an agent of the service with this role and these permissions. */
  agentToken(role: 'admin' | 'agent', permissions: string[]): Promise<string>
}

let members = 0

export async function ticketTestBed(driver: Driver, org: string): Promise<TicketTestBed> {
  const t = await testPlatform({ driver, plugins: [ticket], ...identityOptions() })
  const scope = await t.createService(org, 'desk', ['ticket'])
  const patched = await t.call(`/operator/v1/organizations/${org}/services/desk`, { method: 'PATCH', body: { languages: ['ko', 'en'], defaultLanguage: 'ko' } })
  if (patched.status !== 200) throw new Error(`setting languages failed: ${JSON.stringify(patched.body)}`)
  await t.createService(`${org}-other`, 'desk', ['ticket'])
  const api = `/o/${org}/desk/api/v1`
  return {
    t,
    call: t.call,
    api,
    scope,
    otherApi: `/o/${org}-other/desk/api/v1`,
    async agentToken(role, permissions) {
      const member = await addMember(t, org, `agent${++members}-${role}@example.com`)
      const agent = await t.call(`${api}/agents`, { body: { email: member.email, role, permissions } })
      if (agent.status !== 201) throw new Error(`adding the agent failed: ${JSON.stringify(agent.body)}`)
      return (await signIn(t, org, member)).accessToken
    },
  }
}

/** The `body` of a successful call, or a thrown error that shows the whole answer. */
export async function ok<T = any>(answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await answer
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}
