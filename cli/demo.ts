/**
 * `opencontact serve --demo`: a ready-to-try organization for a newcomer. It is built through
 * the platform's own HTTP API (in process, no socket), as a person would, so it stays correct as
 * the API changes: the operator API for the organization, the service and its members, then the
 * service API signed in as the demo administrator for agents, categories, fields, a trigger and
 * tickets with a reply. A setup operator token is made for the operator calls and revoked after.
 *
 * The text returned is what was made, read back from the answers (numbers, names, the generated
 * passwords). On a database that already has the demo organization nothing is made again: the
 * text says what exists and how to get in.
 */
import type { Platform } from '../core/platform.ts'
import { createOperatorToken, revokeOperatorToken } from '../core/identity/operator-tokens.ts'

export const DEMO_ORG = 'demo'
export const DEMO_SERVICE = 'support'
export const DEMO_ADMIN_EMAIL = 'admin@demo.example.com'
export const DEMO_AGENT_EMAIL = 'agent@demo.example.com'

interface Answer {
  status: number
  body: any
}

/** JSON calls against the platform in process; throws naming the call when the answer is not `expected`. */
function api(platform: Platform, token: () => string) {
  return async (method: string, path: string, body?: unknown, expected = method === 'POST' ? 201 : 200): Promise<any> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token()}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await platform.fetch(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }))
    const answer: Answer = { status: response.status, body: await response.json().catch(() => null) }
    if (answer.status !== expected) throw new Error(`demo: ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`)
    return answer.body
  }
}

/** A password to print once: 18 random bytes, base64url (24 characters). */
function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_')
}

const CATEGORIES = [
  { key: 'shipping', names: { ko: '배송', en: 'Shipping' } },
  { key: 'refund', names: { ko: '환불', en: 'Refund' } },
  { key: 'account', names: { ko: '계정', en: 'Account' } },
] as const

const FIELDS = [
  { code: 'order_number', audience: 'agent', type: 'text', names: { ko: '주문 번호', en: 'Order number' } },
  { code: 'phone', audience: 'agent', type: 'text', names: { ko: '전화번호', en: 'Phone number' }, personalInfo: true },
] as const

const TICKETS = [
  { category: 'shipping', title: 'Where is my parcel?', content: 'I ordered a week ago and nothing has arrived yet.', requester: { email: 'minji@customer.example.com', name: 'Minji Kim' }, fields: { order_number: 'A-1001', phone: '010-1234-5678' }, reply: 'Sorry for the wait: your parcel left our warehouse yesterday and arrives tomorrow.' },
  { category: 'refund', title: 'Refund for a damaged item', content: 'The mug arrived broken. Can I get my money back?', requester: { email: 'jun@customer.example.com', name: 'Jun Park' }, fields: { order_number: 'A-1002' } },
  { category: 'account', title: 'Cannot sign in', content: 'The password reset mail never reaches me.', requester: { email: 'sora@customer.example.com', name: 'Sora Lee' }, fields: {} },
] as const

const TRIGGER_TITLE = 'Refund requests go to the demo administrator'

/** Sets up the demo organization (or describes the one there is); returns the text to print. */
export async function demo(platform: Platform, baseUrl: string): Promise<string> {
  const setup = await createOperatorToken(platform.db, 'demo setup')
  try {
    let token = setup.token
    const call = api(platform, () => token)
    const service = `/o/${DEMO_ORG}/${DEMO_SERVICE}/api/v1`
    const orgs: Array<{ slug: string }> = (await call('GET', '/operator/v1/organizations')).organizations
    if (orgs.some((o) => o.slug === DEMO_ORG)) return await existing(call, baseUrl)

    const plugins: string[] = (await call('GET', '/operator/v1/plugins')).plugins.map((p: { id: string }) => p.id)
    await call('POST', '/operator/v1/organizations', { slug: DEMO_ORG, name: 'Demo organization' })
    await call('POST', `/operator/v1/organizations/${DEMO_ORG}/services`, {
      code: DEMO_SERVICE,
      name: 'Demo support',
      defaultLanguage: 'ko',
      languages: ['ko', 'en'],
      timezone: 'Asia/Seoul',
      contract: { plugins: Object.fromEntries(plugins.map((id) => [id, {}])) },
    })
    const adminPassword = generatePassword()
    const agentPassword = generatePassword()
    await call('POST', `/operator/v1/organizations/${DEMO_ORG}/members`, { email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', orgRole: 'owner', password: adminPassword })
    await call('POST', `/operator/v1/organizations/${DEMO_ORG}/members`, { email: DEMO_AGENT_EMAIL, name: 'Demo Agent', orgRole: 'member', password: agentPassword })

    // From here on as the administrator, through the sign-in the text prints.
    token = (await call('POST', `/o/${DEMO_ORG}/org/v1/auth/login`, { email: DEMO_ADMIN_EMAIL, password: adminPassword }, 200)).accessToken
    const permissions = ['ticket']
    const admin = await call('POST', `${service}/agents`, { email: DEMO_ADMIN_EMAIL, role: 'admin', permissions })
    await call('POST', `${service}/agents`, { email: DEMO_AGENT_EMAIL, role: 'agent', permissions })

    const lines = [
      `Demo: organization '${DEMO_ORG}', service '${DEMO_SERVICE}', contracted plugins: ${plugins.join(', ') || 'none'}`,
      `  Admin sign-in: ${DEMO_ADMIN_EMAIL} password ${adminPassword} (organization owner, service admin)`,
      `  Agent sign-in: ${DEMO_AGENT_EMAIL} password ${agentPassword} (service agent)`,
      `  Sign in: curl -X POST ${baseUrl}/o/${DEMO_ORG}/org/v1/auth/login -H 'content-type: application/json' -d '{"email":"${DEMO_ADMIN_EMAIL}","password":"${adminPassword}"}'`,
      '  (passwords are stored hashed and shown only now)',
    ]
    if (plugins.includes('ticket')) lines.push(...(await ticketDemo(call, service, admin.id)))
    lines.push(`  Service API docs: ${baseUrl}${service}/docs`)
    return lines.join('\n')
  } finally {
    await revokeOperatorToken(platform.db, setup.id)
  }
}

/** Categories, fields, a trigger and tickets with a reply; returns their lines. */
async function ticketDemo(call: ReturnType<typeof api>, service: string, adminAgentId: string): Promise<string[]> {
  const categoryIds = new Map<string, string>()
  for (const category of CATEGORIES) categoryIds.set(category.key, (await call('POST', `${service}/ticket/intake-categories`, { names: category.names })).id)
  for (const field of FIELDS) await call('POST', `${service}/ticket/fields`, field)
  const trigger = await call('POST', `${service}/ticket/triggers`, {
    title: TRIGGER_TITLE,
    conditions: { all: [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'intakeCategory', operator: 'is', value: categoryIds.get('refund') }] },
    results: [{ type: 'assign', groupId: null, mode: 'agent', agentId: adminAgentId }],
  })
  // Every ticket carries the customer's consent: `privacy_consent` is a required system field.
  const tickets: string[] = []
  for (const t of TICKETS) {
    const made = await call('POST', `${service}/ticket/tickets`, { title: t.title, content: t.content, channel: 'email', requester: t.requester, intakeCategoryId: categoryIds.get(t.category), fields: { privacy_consent: true, ...t.fields } })
    if ('reply' in t) await call('POST', `${service}/ticket/tickets/${made.id}/agent-replies`, { content: t.reply })
    tickets.push(`#${made.number} "${made.title}"${'reply' in t ? ' (with a reply)' : ''}`)
  }
  const fieldLine = (f: (typeof FIELDS)[number]) => `${f.code} (${f.names.en}${'personalInfo' in f ? ', personal info: encrypted' : ''})`
  return [
    `  Intake categories: ${CATEGORIES.map((c) => c.names.en).join(', ')}`,
    `  Fields: ${FIELDS.map(fieldLine).join(', ')}`,
    `  Tickets: ${tickets.join(', ')}`,
    `  Trigger: "${trigger.title}"`,
  ]
}

/** What a database made by an earlier demo holds, and how to get in. */
async function existing(call: ReturnType<typeof api>, baseUrl: string): Promise<string> {
  const members: Array<{ email: string; orgRole: string }> = (await call('GET', `/operator/v1/organizations/${DEMO_ORG}/members`)).members
  const services: Array<{ code: string }> = (await call('GET', `/operator/v1/organizations/${DEMO_ORG}/services`)).services
  return [
    `Demo: this database already has the organization '${DEMO_ORG}' (services: ${services.map((s) => s.code).join(', ') || 'none'}); nothing was created.`,
    `  Members: ${members.map((m) => `${m.email} (${m.orgRole})`).join(', ') || 'none'}`,
    `  Sign in with the password printed when the demo was created: POST ${baseUrl}/o/${DEMO_ORG}/org/v1/auth/login {"email","password"}`,
    '  (passwords are stored hashed; to start afresh, stop the server and delete the data folder, OC_DATA_DIR)',
    '  A new operator token: stop the server (the embedded database is locked while it runs), run',
    '    node --import tsx cli/main.ts operator-token create',
    '  and start the server again.',
  ].join('\n')
}
