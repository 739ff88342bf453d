/**
 * What a plugin reads of its services outside requests: the services that contract it
 * (`ctx.contractedServices()`, each with its database under its own row-level security) and
 * their contract features from a service handle, with the declared defaults where the contract
 * says nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, z, type PluginContext } from '../mod.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

describe('contracted services and their features outside requests', () => {
  let t: TestPlatform
  let context: PluginContext
  const loud = definePlugin({
    id: 'loud',
    version: '1.0.0',
    core: '^1',
    contract: { features: { loud: z.boolean().default(false), volume: z.number().int().default(3) } },
    onBoot(ctx) {
      context = ctx
    },
  })
  beforeAll(async () => {
    t = await testPlatform({ plugins: [loud] })
    await t.createService('feat-org', 'quiet', ['loud'])
    const o = await t.call('/operator/v1/organizations/feat-org/services', { body: { code: 'noisy', name: 'Noisy', contract: { plugins: { loud: { features: { loud: true } } } } } })
    expect(o.status, JSON.stringify(o.body)).toBe(201)
    await t.createService('feat-org', 'elsewhere', [])
  })
  afterAll(() => t.close())

  it('reads a service\'s features from a service handle, defaults applied', async () => {
    const services = await t.db.query<{ id: string; org_id: string; code: string }>("SELECT id, org_id, code FROM oc_services WHERE code IN ('quiet', 'noisy') ORDER BY code")
    const features = []
    for (const s of services) features.push(context.features(await context.tenant({ orgId: s.org_id, serviceId: s.id }).then((h) => h!)))
    expect(features).toEqual([{ loud: true, volume: 3 }, { loud: false, volume: 3 }])
  })

  it('lists the services that contract the plugin, each with a database bound to it', async () => {
    const seen: Array<[string, unknown]> = []
    for await (const service of context.contractedServices()) {
      const inside = await service.db.tx(async (tx) => (await tx.query<{ service: string }>("SELECT current_setting('app.service_id') AS service"))[0]!.service)
      expect(inside).toBe(service.tenant.service.id)
      seen.push([service.tenant.service.code, context.features(service)])
    }
    expect(seen.sort()).toEqual([['noisy', { loud: true, volume: 3 }], ['quiet', { loud: false, volume: 3 }]])
  })
})
