/** Plugin settings over the API (C9): validation, write-only secrets, JSON Schema, contract gating. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePlugin } from '../api/define.ts'
import { secret } from './secrets.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { createKeyring, generateMasterKey } from '../crypto/keyring.ts'
import type { PluginContextOf } from '../api/typed-plugin.ts'
import { rotateSettingsSecrets } from './area.ts'

const MailerSettings = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  password: secret(z.string().min(4)).optional(),
})
const mailer = definePlugin({ id: 'mailer', version: '1.0.0', core: '^1', settings: MailerSettings })

describe('plugin settings', () => {
  let t: TestPlatform
  const base = '/o/s-org/svc/api/v1/settings'
  beforeAll(async () => {
    t = await testPlatform({ plugins: [mailer] })
    await t.createService('s-org', 'svc', ['mailer'])
    await t.createService('s-org', 'other')
  })
  afterAll(() => t.close())

  it('reports required settings as not configured until saved', async () => {
    const res = await t.call(`${base}/mailer`)
    expect(res.body).toEqual({ plugin: 'mailer', configured: false, values: {}, secretsSet: [] })
  })

  it('validates a write and names each wrong or unknown field', async () => {
    const res = await t.call(`${base}/mailer`, { method: 'PUT', body: { port: 0, colour: 'red' } })
    expect(res.status).toBe(422)
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.colour', 'body.host', 'body.port'])
  })

  it('keeps secrets write-only, and keeps a stored secret when a write leaves it out', async () => {
    const saved = await t.call(`${base}/mailer`, { method: 'PUT', body: { host: 'smtp.example.com', password: 'hunter22' } })
    expect(saved.status).toBe(200)
    expect(saved.body).toEqual({ plugin: 'mailer', configured: true, values: { host: 'smtp.example.com', port: 587 }, secretsSet: ['password'] })
    const changed = await t.call(`${base}/mailer`, { method: 'PUT', body: { host: 'smtp2.example.com', port: 25 } })
    expect(changed.body.secretsSet).toEqual(['password'])
    const [row] = await t.db.query<{ value: Record<string, unknown> }>("SELECT value FROM oc_plugin_settings WHERE plugin_id = 'mailer'")
    expect(row!.value).toEqual({ host: 'smtp2.example.com', port: 25, password: 'hunter22' })
    const all = await t.call(base)
    expect(JSON.stringify(all.body)).not.toContain('hunter22')
  })

  it('publishes the JSON Schema with secrets marked write-only', async () => {
    const res = await t.call(`${base}/mailer/schema`)
    expect(res.body.properties.password).toMatchObject({ type: 'string', writeOnly: true })
    expect(res.body.required).toEqual(['host'])
  })

  it('hides settings of a plugin the service has not contracted', async () => {
    expect((await t.call('/o/s-org/other/api/v1/settings/mailer')).status).toBe(404)
    expect((await t.call('/o/s-org/other/api/v1/settings/mailer/schema')).status).toBe(404)
  })

  it('needs credentials', async () => {
    expect((await t.call(`${base}/mailer`, { token: null })).status).toBe(401)
  })
})

describe('plugin settings secrets with a master key', () => {
  const first = generateMasterKey()
  let t: TestPlatform
  let ctx: PluginContextOf<{ settings: typeof MailerSettings }> | undefined
  const base = '/o/sealed/svc/api/v1/settings'
  const sealedMailer = definePlugin({ ...mailer, onBoot: (booted) => void (ctx = booted) })
  const rows = () => t.db.query<{ value: Record<string, unknown>; sealed_secrets: string | null; org_id: string; service_id: string }>("SELECT value, sealed_secrets, org_id, service_id FROM oc_plugin_settings WHERE plugin_id = 'mailer'")
  beforeAll(async () => {
    t = await testPlatform({ plugins: [sealedMailer], keyring: createKeyring([{ version: 1, key: first }]) })
    await t.createService('sealed', 'svc', ['mailer'])
    await t.call('/healthz')
  })
  afterAll(() => t.close())

  it('seals secrets at rest, gives the plugin the plaintext, and keeps them across writes and a key rotation', async () => {
    await t.call(`${base}/mailer`, { method: 'PUT', body: { host: 'smtp.example.com', password: 'hunter22' } })
    const [row] = await rows()
    expect(row!.value).toEqual({ host: 'smtp.example.com', port: 587 })
    expect(row!.sealed_secrets).toMatch(/^oc1\.1\./)
    expect(JSON.stringify(row)).not.toContain('hunter22')
    const scope = { orgId: row!.org_id, serviceId: row!.service_id }
    const asPlugin = () => t.db.tenantTransaction(scope, (tx) => ctx!.settings(tx))
    expect(await asPlugin()).toEqual({ host: 'smtp.example.com', port: 587, password: 'hunter22' })

    // A write without the secret keeps it, still sealed; the API never shows it.
    const changed = await t.call(`${base}/mailer`, { method: 'PUT', body: { host: 'smtp2.example.com' } })
    expect(changed.body).toEqual({ plugin: 'mailer', configured: true, values: { host: 'smtp2.example.com', port: 587 }, secretsSet: ['password'] })
    expect((await rows())[0]!.sealed_secrets).toMatch(/^oc1\.1\./)
    expect((await asPlugin()).password).toBe('hunter22')

    // A new master key: the rotation re-seals under it, and the value still opens.
    const rotated = createKeyring([{ version: 1, key: first }, { version: 2, key: generateMasterKey() }])
    expect(await rotateSettingsSecrets(t.db, rotated)).toMatchObject({ rotated: 1, failed: 0, complete: true })
    const [after] = await rows()
    expect(after!.sealed_secrets).toMatch(/^oc1\.2\./)
    expect(JSON.parse(await rotated.forTenant(scope).decrypt(after!.sealed_secrets!, 'settings:mailer'))).toEqual({ password: 'hunter22' })
  })
})
