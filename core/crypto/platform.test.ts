/**
 * The platform hands plugins `ctx.crypto`: with a keyring from `PlatformOptions`, a plugin
 * encrypts into its own tenant table and reads back; without one, using it answers a coded
 * error that names the setting, and nothing is encrypted under a throwaway key.
 */
import { describe, expect, it } from 'vitest'
import { definePlugin, json, jsonBody, route, z } from '../mod.ts'
import { testPlatform } from '../../test/support/platform.ts'
import { generateMasterKey, parseKeyring } from './keyring.ts'
import type { Keyring } from '../api/crypto.ts'

/** A plugin keeping one personal-info field, written the way a plugin author would. */
const vault = definePlugin({
  id: 'vault',
  version: '1.0.0',
  core: '^1',
  migrations: [{ id: 'vault:0001', sql: "CREATE TABLE vault_items (org_id uuid NOT NULL, service_id uuid NOT NULL, id uuid PRIMARY KEY DEFAULT gen_random_uuid(), phone text NOT NULL, phone_index text NOT NULL); SELECT oc_tenant_table('vault_items');" }],
  routes(app, ctx) {
    const tenantCrypto = (c: { var: { tenant: { org: { id: string }; service: { id: string } } } }) => ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id })
    app.openapi(
      route({ method: 'post', path: '/items', access: 'public', request: jsonBody(z.object({ phone: z.string() })), responses: { 201: json(z.object({ id: z.string() }), 'Stored') } }),
      async (c) => {
        const { phone } = c.req.valid('json')
        const fields = tenantCrypto(c)
        const [stored, index] = [await fields.encrypt(phone, 'vault:phone'), await fields.blindIndex('phone', phone)]
        const [row] = await c.var.db.tx((tx) => tx.sql<{ id: string }>`INSERT INTO vault_items (phone, phone_index) VALUES (${stored}, ${index}) RETURNING id`)
        return c.json({ id: row!.id }, 201)
      },
    )
    app.openapi(
      route({ method: 'get', path: '/items', access: 'public', request: { query: z.object({ phone: z.string() }) }, responses: { 200: json(z.object({ phones: z.array(z.string()) }), 'Found') } }),
      async (c) => {
        const fields = tenantCrypto(c)
        const search = await fields.blindIndexSearch('phone', c.req.valid('query').phone)
        const rows = await c.var.db.tx((tx) => tx.sql<{ phone: string }>`SELECT phone FROM vault_items WHERE phone_index = ANY(${search})`)
        return c.json({ phones: await Promise.all(rows.map((r) => fields.decrypt(r.phone, 'vault:phone'))) }, 200)
      },
    )
  },
})

async function vaultPlatform(keyring: Keyring | undefined) {
  const t = await testPlatform({ driver: 'postgres', plugins: [vault], keyring })
  await t.createService('acme', 'support', ['vault'])
  return t
}

describe('ctx.crypto', () => {
  it('encrypts into a plugin table and finds rows by exact value, through the request path', async () => {
    const t = await vaultPlatform(parseKeyring(generateMasterKey()))
    try {
      expect((await t.call('/o/acme/support/api/v1/vault/items', { body: { phone: '010-1234-5678' }, token: null })).status).toBe(201)
      const found = await t.call('/o/acme/support/api/v1/vault/items?phone=01012345678', { token: null })
      expect(found.body).toEqual({ phones: ['010-1234-5678'] })
      const [raw] = await t.db.query<{ phone: string }>('SELECT phone FROM vault_items')
      expect(raw!.phone).toMatch(/^oc1\.1\./)
    } finally {
      await t.close()
    }
  })

  it('without a keyring, refuses with OC_CRYPTO_NOT_CONFIGURED naming OC_MASTER_KEYS and stores nothing', async () => {
    const t = await vaultPlatform(undefined)
    try {
      const answer = await t.call('/o/acme/support/api/v1/vault/items', { body: { phone: '010-1234-5678' }, token: null })
      expect(answer.status).toBe(500)
      expect(answer.body.error).toMatchObject({ code: 'OC_CRYPTO_NOT_CONFIGURED', message: expect.stringContaining('OC_MASTER_KEYS') })
      expect(await t.db.query('SELECT * FROM vault_items')).toEqual([])
    } finally {
      await t.close()
    }
  })
})
