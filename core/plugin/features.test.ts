/**
 * Contract features are readable wherever a plugin works: in a route from the request, and in
 * subscribers and jobs from a service handle (`ctx.tenant(scope)`), with the declared defaults
 * where the contract says nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, z, type PluginContext } from '../mod.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

describe('contract features outside requests', () => {
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
  })
  afterAll(() => t.close())

  it('reads a service\'s features from a service handle, defaults applied', async () => {
    const services = await t.db.query<{ id: string; org_id: string; code: string }>("SELECT id, org_id, code FROM oc_services WHERE code IN ('quiet', 'noisy') ORDER BY code")
    const features = []
    for (const s of services) features.push(context.features(await context.tenant({ orgId: s.org_id, serviceId: s.id }).then((h) => h!)))
    expect(features).toEqual([{ loud: true, volume: 3 }, { loud: false, volume: 3 }])
  })
})
