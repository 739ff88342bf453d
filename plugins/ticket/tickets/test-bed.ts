/**
 * What the ticket tests share: a platform with the ticket plugin and a keyring (personal-info
 * fields are encrypted), a service in Korean and English with an intake category whose form has
 * three custom fields (one personal-info), an inactive intake category, a processing category, a
 * group, an agent with the ticket permission, one without, a service key, and another
 * organization's service with its own category and ticket (to show those ids answer 404).
 */
import ticket from '../mod.ts'
import { createKeyring, generateMasterKey, type Keyring, type Plugin } from '../../../core/mod.ts'
import { createLogger } from '../../../core/log.ts'
import type { Driver } from '../../../test/support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../../test/support/identity.ts'
import { ok } from '../test-support.ts'

export interface TicketBed {
  t: TestPlatform
  call: Call
  api: string
  otherApi: string
  scope: { orgId: string; serviceId: string }
  intake: { billing: string; retired: string; other: string }
  processing: string
  group: string
  agent: { id: string; token: string }
  /** A signed-in agent of the service without the ticket permission. */
  noTicketToken: string
  serviceKey: string
  /** Fields on the billing form: order_no (text, required), quantity (number), resident_no (personal info). */
  fieldIds: Record<'order_no' | 'quantity' | 'resident_no', string>
}

/** `extraPlugins` are installed beside the ticket plugin (not contracted: tests contract them). */
export async function ticketBed(driver: Driver, org: string, keyring: Keyring = createKeyring([{ version: 1, key: generateMasterKey() }]), extraPlugins: readonly Plugin[] = []): Promise<TicketBed> {
  const t = await testPlatform({
    driver,
    plugins: [ticket, ...extraPlugins],
    keyring,
    ...identityOptions(),
    // TICKET_TEST_LOG=1 shows the server's error log (the stack behind a 500).
    ...(process.env.TICKET_TEST_LOG ? { log: createLogger('error') } : {}),
  })
  const scope = await t.createService(org, 'desk', ['ticket'])
  await ok(t.call(`/operator/v1/organizations/${org}/services/desk`, { method: 'PATCH', body: { languages: ['ko', 'en'], defaultLanguage: 'ko' } }))
  await t.createService(`${org}-other`, 'desk', ['ticket'])
  const api = `/o/${org}/desk/api/v1`
  const otherApi = `/o/${org}-other/desk/api/v1`
  const call = t.call
  const billing = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '결제', en: 'Billing' } } }), 201)).id
  const retired = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '옛것' }, active: false } }), 201)).id
  const other = (await ok(call(`${otherApi}/ticket/intake-categories`, { body: { names: { ko: '남의 것' } } }), 201)).id
  const processing = (await ok(call(`${api}/ticket/processing-categories`, { body: { names: { ko: '처리' } } }), 201)).id
  const field = async (body: Record<string, unknown>) => (await ok(call(`${api}/ticket/fields`, { body: { audience: 'customer', names: { ko: String(body.code) }, ...body } }), 201)).id as string
  const fieldIds = {
    order_no: await field({ code: 'order_no', type: 'text', required: true, details: { maxLength: 20 } }),
    quantity: await field({ code: 'quantity', type: 'number', details: { integer: true } }),
    resident_no: await field({ code: 'resident_no', type: 'text', personalInfo: true }),
  }
  await ok(call(`${api}/ticket/intake-categories/${billing}/fields`, { method: 'PUT', body: { fieldIds: Object.values(fieldIds) } }))
  const group = (await ok(call(`${api}/groups`, { body: { name: '1차 상담' } }), 201)).id
  const agentWith = async (email: string, permissions: string[]) => {
    const member = await addMember(t, org, email)
    const agent = await ok(call(`${api}/agents`, { body: { email, role: 'agent', permissions } }), 201)
    return { id: agent.id as string, token: (await signIn(t, org, member)).accessToken }
  }
  const agent = await agentWith(`ticket-agent@${org}.test`, ['ticket'])
  const noTicket = await agentWith(`no-ticket-agent@${org}.test`, [])
  await ok(call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } }))
  const serviceKey = (await ok(call(`${api}/open-api/keys`, { body: { name: 'help center' } }), 201)).token as string
  return { t, call, api, otherApi, scope, intake: { billing, retired, other }, processing, group, agent, noTicketToken: noTicket.token, serviceKey, fieldIds }
}
