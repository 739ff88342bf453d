/**
 * The platform the compat client talks to, and the administrator's setup done through the
 * native API (as an operator would in the admin screens): organization `acme` with service
 * `desk` (ticket plugin, host names `{org}.oc.test`), a two-level intake tree, customer fields of
 * every documented value format (one personal-info field), the OPEN API switched on and a
 * service key. This file is the only one here that knows the server's code: it starts it.
 */
import ticket from '../../plugins/ticket/mod.ts'
import { createKeyring, generateMasterKey, type Keyring } from '../../core/mod.ts'
import type { Driver } from '../support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../support/platform.ts'
import { identityOptions } from '../support/identity.ts'
import { type ClientConfig, ocClient } from './client.ts'

export const BASE_DOMAIN = 'oc.test'
export const CLIENT_IP = '203.0.113.7'

export interface CompatBed {
  t: TestPlatform
  call: Call
  /** The native API of the service. */
  api: string
  scope: { orgId: string; serviceId: string }
  /** What the administrator reads off the admin API for the integration. */
  orgId: string
  securityKey: string
  keyId: string
  /** A fetch from a given client address (the socket peer, as a server sees it). */
  fetchFrom(ip: string): (request: Request) => Promise<Response>
  ids: { billing: string; refund: string; fields: Record<string, string> }
}

/** The integration's signed client for the bed's service (`acme`/`desk`, its key, calling from {@link CLIENT_IP}); `overrides` change any part. */
export function signedClient(bed: CompatBed, overrides: Partial<ClientConfig> = {}): ReturnType<typeof ocClient> {
  return ocClient({ origin: `https://acme.${BASE_DOMAIN}`, serviceId: 'desk', orgId: bed.orgId, securityKey: bed.securityKey, fetch: bed.fetchFrom(CLIENT_IP), ...overrides })
}

async function ok<T = any>(answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await answer
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

export async function compatBed(driver: Driver, options: { keyring?: Keyring | null } = {}): Promise<CompatBed> {
  const keyring = options.keyring === null ? undefined : (options.keyring ?? createKeyring([{ version: 1, key: generateMasterKey() }]))
  const t = await testPlatform({ driver, plugins: [ticket], keyring, baseDomain: BASE_DOMAIN, ...identityOptions() })
  const scope = await t.createService('acme', 'desk', ['ticket'])
  await t.createService('acme', 'plain', [])
  await ok(t.call('/operator/v1/organizations/acme/services/desk', { method: 'PATCH', body: { languages: ['ko', 'en'], defaultLanguage: 'ko', timezone: 'Asia/Seoul' } }))
  const api = '/o/acme/desk/api/v1'
  const call = t.call
  const billing = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '결제', en: 'Billing' } } }), 201)).id
  const refund = (await ok(call(`${api}/ticket/intake-categories`, { body: { parentId: billing, names: { ko: '환불', en: 'Refund' } } }), 201)).id
  const field = async (body: Record<string, unknown>) => (await ok(call(`${api}/ticket/fields`, { body: { audience: 'customer', names: { ko: String(body.code), en: String(body.code) }, ...body } }), 201)).id as string
  const option = (value: string) => ({ value, names: { ko: value, en: value } })
  const fields = {
    order_no: await field({ code: 'order_no', type: 'text', required: true, details: { maxLength: 20 } }),
    resident_no: await field({ code: 'resident_no', type: 'text', personalInfo: true }),
    colors: await field({ code: 'colors', type: 'checkbox', details: { options: [option('red'), option('blue'), option('green')] } }),
    visit_date: await field({ code: 'visit_date', type: 'date' }),
    period: await field({ code: 'period', type: 'datetime', details: { range: true } }),
    marketing: await field({ code: 'marketing', type: 'checkbox' }),
  }
  await ok(call(`${api}/ticket/intake-categories/${refund}/fields`, { method: 'PUT', body: { fieldIds: Object.values(fields) } }))
  await ok(call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } }))
  const key = await ok(call(`${api}/open-api/keys`, { body: { name: 'shop backend' } }), 201)
  const state = await ok(call(`${api}/open-api`))
  // As a server receives it: the socket peer, and the Host header a real client always sends.
  const fetchFrom = (ip: string) => async (request: Request) => {
    const headers = new Headers(request.headers)
    if (!headers.has('host')) headers.set('host', new URL(request.url).host)
    return t.platform.fetch(new Request(request, { headers }), { incoming: { socket: { remoteAddress: ip } } })
  }
  return { t, call, api, scope, orgId: state.orgId, securityKey: key.token, keyId: key.id, fetchFrom, ids: { billing, refund, fields } }
}
