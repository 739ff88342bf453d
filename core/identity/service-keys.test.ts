/**
 * Open API access on both drivers: service keys (shown once, only the hash stored, the switch,
 * own service only, revocation, rotation with its grace period), a mistyped key refused without
 * a database query, and the IP allowlist through real servers (the socket address comes from
 * the runtime): IPv4, IPv6, IPv4-mapped, and X-Forwarded-For ignored from an untrusted peer but
 * counted through a trusted proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { httpFetch } from '../../test/support/http.ts'
import { caller, testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../test/support/identity.ts'
import { type RunningServer, serveNode } from '../runtime/node.ts'
import type { Db } from '../storage/db.ts'
import { generateToken, hashToken } from './tokens.ts'

/** The same database, counting every statement the platform sends through it. */
function countingDb(inner: Db): Db & { statements: number } {
  const counted: Db & { statements: number } = {
    statements: 0,
    driver: inner.driver,
    query: (text, params) => (counted.statements++, inner.query(text, params)),
    sql: (strings, ...values) => (counted.statements++, inner.sql(strings, ...values)),
    exec: (script) => (counted.statements++, inner.exec(script)),
    transaction: (fn) => (counted.statements++, inner.transaction(fn)),
    tenantTransaction: (scope, fn) => (counted.statements++, inner.tenantTransaction(scope, fn)),
    listen: inner.listen?.bind(inner),
    close: async () => {},
  }
  return counted
}

describe.each(DRIVERS)('service keys and the IP allowlist on %s', (driver) => {
  let t: TestPlatform
  let owner: string
  let server: RunningServer
  let proxied: TestPlatform
  let proxiedServer: RunningServer
  const api = '/o/acme/desk/api/v1'
  const greet = (call: typeof t.call, token: string, headers: Record<string, string> = {}) => call(`${api}/hello/greetings`, { body: { name: 'Key' }, token, headers })
  const admin = (path: string, options: Parameters<typeof t.call>[1] = {}) => t.call(`${api}${path}`, { token: owner, ...options })
  const newKey = async (name = 'integration') => (await admin('/open-api/keys', { body: { name } })).body.token as string

  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [ticket, hello], ...identityOptions() })
    await t.createService('acme', 'desk', ['ticket', 'hello'])
    await t.createService('acme', 'other', ['ticket', 'hello'])
    owner = (await signIn(t, 'acme', await addMember(t, 'acme', 'owner@acme.test', 'owner'))).accessToken
    await admin('/open-api', { method: 'PUT', body: { enabled: true } })
    server = await serveNode(t.platform, { hostname: '127.0.0.1', port: 0 })
    // A second instance on the same database, behind a proxy it trusts (the loopback peer of these tests).
    proxied = await testPlatform({ db: t.db, plugins: [ticket, hello], ...identityOptions({ trustedProxies: ['127.0.0.1/32'] }) })
    proxiedServer = await serveNode(proxied.platform, { hostname: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await proxiedServer.close()
    await server.close()
    await proxied.close()
    await t.close()
  })

  it('shows a new key once and stores only its hash', async () => {
    const created = await admin('/open-api/keys', { body: { name: 'crm sync' } })
    expect(created.status).toBe(201)
    const token: string = created.body.token
    expect(token).toMatch(/^ocs_[0-9A-Za-z]{38}$/)
    expect(created.body).toMatchObject({ name: 'crm sync', status: 'active', hint: `${token.slice(0, 8)}…`, expiresAt: null })
    const listed = await admin('/open-api/keys')
    expect(JSON.stringify(listed.body)).not.toContain(token)
    const rows = await t.db.query<{ token_hash: string }>('SELECT * FROM oc_service_keys WHERE id = $1', [created.body.id])
    expect(rows[0]!.token_hash).toBe(await hashToken(token))
    expect(JSON.stringify(rows)).not.toContain(token.slice(4))
    expect(JSON.stringify(await t.db.query('SELECT * FROM oc_audit'))).not.toContain(token.slice(4))
  })

  it('works only while Open API is enabled, only for its own service, never on admin routes', async () => {
    const key = await newKey()
    await admin('/open-api', { method: 'PUT', body: { enabled: false } })
    const disabled = await greet(t.call, key)
    expect(disabled.status).toBe(403)
    expect(disabled.body.error.code).toBe('OC_OPEN_API_DISABLED')
    expect((await admin('/open-api', { method: 'PUT', body: { enabled: true } })).body.enabled).toBe(true)
    expect((await greet(t.call, key)).status).toBe(201)
    expect((await t.call(`${api}/me`, { token: key })).body).toMatchObject({ kind: 'service-key', keyId: expect.any(String) })
    const elsewhere = await t.call('/o/acme/other/api/v1/hello/greetings', { token: key })
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.error.message).toMatch(/another service/)
    expect((await t.call(`${api}/settings/hello`, { token: key })).status).toBe(403)
    expect((await t.call(`${api}/open-api/keys`, { token: key })).status).toBe(403)
    expect((await t.call('/o/acme/org/v1/me', { token: key })).status).toBe(403)
    await admin('/open-api', { method: 'PUT', body: { enabled: false } })
    expect((await greet(t.call, key)).status).toBe(403)
    await admin('/open-api', { method: 'PUT', body: { enabled: true } })
  })

  it('refuses a revoked key at once', async () => {
    const created = await admin('/open-api/keys', { body: { name: 'short-lived' } })
    expect((await greet(t.call, created.body.token)).status).toBe(201)
    expect((await admin(`/open-api/keys/${created.body.id}`, { method: 'DELETE' })).status).toBe(204)
    const refused = await greet(t.call, created.body.token)
    expect(refused.status).toBe(401)
    expect(refused.body.error.message).toMatch(/unknown or revoked/)
    expect((await admin(`/open-api/keys/${created.body.id}`, { method: 'DELETE' })).status).toBe(409)
    expect((await admin(`/open-api/keys/${crypto.randomUUID()}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('rotates a key: old and new both work during the grace period, then only the new one', async () => {
    const created = await admin('/open-api/keys', { body: { name: 'rotating' } })
    const old: string = created.body.token
    const rotated = await admin(`/open-api/keys/${created.body.id}/rotate`, { body: { graceSeconds: 1 } })
    expect(rotated.status).toBe(201)
    const successor: string = rotated.body.key.token
    expect(successor).not.toBe(old)
    expect(rotated.body.previous).toMatchObject({ id: created.body.id, status: 'rotating', replacedBy: rotated.body.key.id })
    expect((await greet(t.call, old)).status).toBe(201)
    expect((await greet(t.call, successor)).status).toBe(201)
    expect((await admin(`/open-api/keys/${created.body.id}/rotate`, { method: 'POST' })).status).toBe(409)
    await new Promise((r) => setTimeout(r, 1_100))
    const expired = await greet(t.call, old)
    expect(expired.status).toBe(401)
    expect(expired.body.error.message).toMatch(/grace period ended/)
    expect((await greet(t.call, successor)).status).toBe(201)
    const listed = (await admin('/open-api/keys')).body.keys
    expect(listed.find((k: { id: string }) => k.id === created.body.id).status).toBe('expired')

    // Without a body the grace period is the platform's (24 h).
    const another = await admin(`/open-api/keys/${rotated.body.key.id}/rotate`, { method: 'POST' })
    const grace = new Date(another.body.previous.expiresAt).getTime() - Date.now()
    expect(grace).toBeGreaterThan(86_400_000 - 60_000)
    expect(grace).toBeLessThanOrEqual(86_400_000)
  })

  it('refuses a mistyped key without a database query', async () => {
    const counted = countingDb(t.db)
    const instance = await testPlatform({ db: counted, plugins: [ticket, hello], ...identityOptions() })
    try {
      const key = await newKey()
      expect((await greet(instance.call, key)).status).toBe(201) // warms the tenant cache
      const flipped = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11)
      counted.statements = 0
      const refused = await greet(instance.call, flipped)
      expect(refused.status).toBe(401)
      expect(refused.body.error.message).toMatch(/checksum/)
      expect(counted.statements).toBe(0)
      // The control: a well-formed unknown key does reach the database.
      const wellFormedUnknown = generateToken('ocs')
      counted.statements = 0
      expect((await greet(instance.call, wellFormedUnknown)).status).toBe(401)
      expect(counted.statements).toBeGreaterThan(0)
    } finally {
      await instance.close()
    }
  })

  it('checks allowlist entries, refusing /0 and host bits with 422 naming the field', async () => {
    const put = (entries: unknown[]) => admin('/open-api/allowlist', { method: 'PUT', body: { entries } })
    for (const [cidr, reason] of [
      ['0.0.0.0/0', /allows every address/],
      ['::/0', /allows every address/],
      ['::ffff:0:0/96', /allows every address/],
      ['10.0.0.1/8', /did you mean 10.0.0.0\/8/],
      ['300.1.1.1', /not an IPv4 or IPv6 address/],
    ] as const) {
      const res = await put([{ cidr: '192.0.2.0/24' }, { cidr }])
      expect(res.status, cidr).toBe(422)
      expect(res.body.error.issues[0].path).toBe('body.entries.1.cidr')
      expect(res.body.error.issues[0].message).toMatch(reason)
    }
    const saved = await put([{ cidr: '2001:DB8::/32', note: 'office v6' }, { cidr: '192.0.2.7' }, { cidr: '::ffff:10.0.0.0/104' }])
    expect(saved.body.entries.map((e: { cidr: string }) => e.cidr)).toEqual(['2001:db8::/32', '192.0.2.7/32', '10.0.0.0/8'])
    expect((await put([])).body.entries).toEqual([])
  })

  it('refuses key calls from outside a non-empty allowlist, and ignores X-Forwarded-For from an untrusted peer (real server)', async () => {
    const key = await newKey()
    const direct = caller(httpFetch(server.url), server.url, null)
    const open = await greet(direct, key)
    expect(open.status, JSON.stringify(open.body)).toBe(201) // empty list: any address
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '10.0.0.0/8' }] } })
    const refused = await greet(direct, key)
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('OC_IP_NOT_ALLOWED')
    expect(refused.body.error.message).toMatch(/client address 127\.0\.0\.1 is not in this service's IP allowlist/)
    const spoofed = await greet(direct, key, { 'x-forwarded-for': '10.1.2.3' })
    expect(spoofed.status).toBe(403)
    expect(spoofed.body.error.message).toMatch(/127\.0\.0\.1/)
    // Members are not bound by the Open API allowlist.
    expect((await direct(`${api}/hello/greetings`, { token: owner })).status).toBe(200)
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '10.0.0.0/8' }, { cidr: '127.0.0.1' }] } })
    expect((await greet(direct, key)).status).toBe(201)
  })

  it('counts X-Forwarded-For through a trusted proxy, walking from the right (real server)', async () => {
    const key = await newKey()
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '10.0.0.0/8' }] } })
    const viaProxy = caller(httpFetch(proxiedServer.url), proxiedServer.url, null)
    expect((await greet(viaProxy, key, { 'x-forwarded-for': '10.1.2.3' })).status).toBe(201)
    // A client that sends its own X-Forwarded-For: the proxy appends the real address, which is what counts.
    const spoofed = await greet(viaProxy, key, { 'x-forwarded-for': '10.1.2.3, 198.51.100.7' })
    expect(spoofed.status).toBe(403)
    expect(spoofed.body.error.message).toMatch(/198\.51\.100\.7/)
    // No header: the proxy itself is the client.
    expect((await greet(viaProxy, key)).body.error.message).toMatch(/127\.0\.0\.1/)
    // The audit trail records the client address, not the proxy's.
    await viaProxy(`${api}/open-api`, { method: 'PUT', body: { enabled: true }, token: owner, headers: { 'x-forwarded-for': '203.0.113.50' } })
    const [entry] = await t.db.query<{ ip: string }>("SELECT ip FROM oc_audit WHERE action = 'open-api.updated' ORDER BY id DESC LIMIT 1")
    expect(entry!.ip).toBe('203.0.113.50')
  })

  it('matches IPv6 and IPv4-mapped peers (a real server on ::1, and runtime-reported addresses)', async () => {
    const key = await newKey()
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '2001:db8::/32' }, { cidr: '10.0.0.0/8' }] } })
    const v6 = await serveNode(t.platform, { hostname: '::1', port: 0 })
    try {
      const overV6 = (headers: Record<string, string> = {}) =>
        fetch(`http://[::1]:${v6.port}${api}/hello/greetings`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: '{"name":"v6"}' })
      const refused = await overV6()
      expect(refused.status).toBe(403)
      expect((await refused.json()).error.message).toMatch(/client address ::1 is not/)
      await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '2001:db8::/32' }, { cidr: '::1/128' }] } })
      expect((await overV6()).status).toBe(201)
    } finally {
      await v6.close()
    }
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [{ cidr: '2001:db8::/32' }, { cidr: '10.0.0.0/8' }] } })
    const from = (remoteAddress: string) => caller((request) => t.platform.fetch(request, { incoming: { socket: { remoteAddress } } }), 'http://x', null)
    expect((await greet(from('2001:db8:1::5'), key)).status).toBe(201)
    expect((await greet(from('2001:db9::5'), key)).status).toBe(403)
    expect((await greet(from('::ffff:10.20.30.40'), key)).status).toBe(201)
    expect((await greet(from('::ffff:11.20.30.40'), key)).status).toBe(403)
    await admin('/open-api/allowlist', { method: 'PUT', body: { entries: [] } })
  })

  it('records an audit entry for the switch, every key change and the allowlist', async () => {
    const rows = await t.db.query<{ action: string; service_id: string | null }>('SELECT DISTINCT action, service_id FROM oc_audit WHERE service_id IS NOT NULL')
    const actions = rows.map((r) => r.action)
    for (const action of ['open-api.updated', 'service-key.created', 'service-key.rotated', 'service-key.revoked', 'ip-allowlist.updated']) expect(actions, action).toContain(action)
    const [allowlist] = await t.db.query<{ before: unknown; after: unknown }>("SELECT before, after FROM oc_audit WHERE action = 'ip-allowlist.updated' ORDER BY id LIMIT 1")
    expect(allowlist).toEqual({ before: [], after: ['2001:db8::/32', '192.0.2.7/32', '10.0.0.0/8'] })
  })
})
