/** Re-sealing service keys under a new master key: the key opens to the same token afterwards, and a second run finds nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../test/support/identity.ts'
import { createKeyring, generateMasterKey } from '../crypto/keyring.ts'
import { rotateServiceKeySeals } from './rotate-service-keys.ts'
import { serviceKeyContext } from './service-keys.ts'

describe.each(DRIVERS)('service key seal rotation on %s', (driver) => {
  const first = generateMasterKey()
  const second = generateMasterKey()
  let t: TestPlatform
  let owner: string
  const api = '/o/seal/desk/api/v1'

  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [ticket, hello], keyring: createKeyring([{ version: 1, key: first }]), ...identityOptions() })
    await t.createService('seal', 'desk', ['ticket', 'hello'])
    owner = (await signIn(t, 'seal', await addMember(t, 'seal', 'owner@seal.test', 'owner'))).accessToken
  })
  afterAll(() => t.close())

  it('re-seals every key under the current version and each still opens to its token', async () => {
    const tokens: string[] = []
    for (const name of ['crm', 'erp', 'bot']) tokens.push((await t.call(`${api}/open-api/keys`, { token: owner, body: { name } })).body.token)
    const sealedUnder = async () => (await t.db.query<{ id: string; org_id: string; service_id: string; name: string; sealed_key: string }>('SELECT id, org_id, service_id, name, sealed_key FROM oc_service_keys ORDER BY created_at'))
    expect((await sealedUnder()).map((r) => r.sealed_key.split('.').slice(0, 2).join('.'))).toEqual(['oc1.1', 'oc1.1', 'oc1.1'])

    const rotated = createKeyring([{ version: 1, key: first }, { version: 2, key: second }])
    const result = await rotateServiceKeySeals(t.db, rotated)
    expect(result).toMatchObject({ rotated: 3, failed: 0, complete: true })
    expect(await rotateServiceKeySeals(t.db, rotated)).toMatchObject({ rotated: 0, complete: true })

    const rows = await sealedUnder()
    for (const [i, row] of rows.entries()) {
      expect(row.sealed_key.startsWith('oc1.2.')).toBe(true)
      expect(row.sealed_key).not.toContain(tokens[i]!)
      const opened = await rotated.forTenant({ orgId: row.org_id, serviceId: row.service_id }).decrypt(row.sealed_key, serviceKeyContext(row.id))
      expect(opened).toBe(tokens[i])
    }
    // The version-1 key alone can no longer open them.
    const old = createKeyring([{ version: 1, key: first }])
    await expect(old.forTenant({ orgId: rows[0]!.org_id, serviceId: rows[0]!.service_id }).decrypt(rows[0]!.sealed_key, serviceKeyContext(rows[0]!.id))).rejects.toMatchObject({ code: 'OC_CRYPTO_KEY_UNKNOWN' })
  })
})
