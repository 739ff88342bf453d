/**
 * The test harness itself: a fresh PostgreSQL database per platform, services sharing an
 * organization, contract features, agents signed in with their own token and permissions,
 * setup failures that show the answer, and the HTTP part over a fetch function that is not the
 * platform's own.
 */
import { describe, expect, inject, it } from 'vitest'
import { definePlugin, route, z, type PluginApp } from '../mod.ts'
import { createTestPlatform, testClient } from '../testing.ts'

const echo = definePlugin({
  id: 'echo',
  version: '1.0.0',
  core: '^1',
  permissions: { echo: { title: { en: 'Echo' } } },
  contract: { features: { shout: z.boolean().default(false) } },
  routes(app: PluginApp, ctx) {
    const whoami = route({
      method: 'get',
      path: '/whoami',
      access: { permission: 'echo' },
      responses: { 200: { description: 'The principal', content: { 'application/json': { schema: z.object({ type: z.string(), shout: z.boolean() }) } } } },
    })
    app.openapi(whoami, (c) => c.json({ type: c.var.principal.kind, shout: Boolean(ctx.features(c).shout) }, 200))
  },
})

describe('the test harness', () => {
  it('gives each platform on PostgreSQL a fresh database of its own', async () => {
    const driver = { postgresUrl: inject('pgUrl'), freshDatabase: true }
    // One after the other: the first migration on a new cluster creates the cluster-wide app role.
    const a = await createTestPlatform({ plugins: [echo], driver })
    const b = await createTestPlatform({ plugins: [echo], driver })
    try {
      await a.service('only-in-a', 'desk')
      expect(a.db.driver).toBe('postgres')
      const names = async (db: typeof a.db) => (await db.query<{ n: string }>('SELECT current_database() AS n'))[0]!.n
      expect(await names(a.db)).not.toBe(await names(b.db))
      expect(await b.db.query("SELECT 1 FROM oc_organizations WHERE slug = 'only-in-a'")).toEqual([])
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('makes services in one organization, with contract features, and agents that sign in', async () => {
    const tp = await createTestPlatform({ plugins: [echo] })
    try {
      const quiet = await tp.service('acme', 'quiet', { plugins: ['echo'] })
      const loud = await tp.service('acme', 'loud', { plugins: { echo: { features: { shout: true } } } })
      expect(loud.orgId).toBe(quiet.orgId)
      expect(loud.api).toBe('/o/acme/loud/api/v1')
      expect((await quiet.call('/echo/whoami')).body).toEqual({ type: 'operator', shout: false })
      expect((await loud.call('/echo/whoami')).body).toEqual({ type: 'operator', shout: true })

      const agent = await quiet.agent({ permissions: ['echo'] })
      expect(agent.token).not.toBe(tp.operatorToken)
      expect((await agent.call('/echo/whoami')).body).toEqual({ type: 'member', shout: false })
      // The agent belongs to its service only, and a member without the permission is refused.
      expect((await loud.call('/echo/whoami', { token: agent.token })).status).toBe(403)
      expect((await (await quiet.agent()).call('/echo/whoami')).status).toBe(403)
      expect((await quiet.call('/echo/whoami', { token: null })).status).toBe(401)
    } finally {
      await tp.close()
    }
  })

  it('fails a setup step with the answer that refused it', async () => {
    const tp = await createTestPlatform({ plugins: [echo] })
    try {
      await tp.service('acme', 'desk')
      await expect(tp.service('acme', 'desk')).rejects.toThrow(/creating service acme\/desk failed: 409 .*OC_/)
      await expect(tp.service('acme', 'other', { plugins: ['nope'] })).rejects.toThrow(/creating service acme\/other failed: 4\d\d .*nope/)
      await expect(tp.signIn('acme', { email: 'nobody@acme.test', password: 'wrong password' })).rejects.toThrow(/signing in nobody@acme.test failed: 401/)
    } finally {
      await tp.close()
    }
  })

  it('drives any fetch function, with the host its base URL names', async () => {
    const tp = await createTestPlatform({ plugins: [echo] })
    try {
      const seen: string[] = []
      const client = testClient({
        fetch: (request) => {
          seen.push(new URL(request.url).host)
          return tp.fetch(request)
        },
        operatorToken: tp.operatorToken,
        baseUrl: 'http://remote.example:8080',
      })
      const svc = await client.service('far', 'desk', { plugins: ['echo'] })
      expect((await (await svc.agent({ permissions: ['echo'] })).call('/echo/whoami')).body.type).toBe('member')
      expect(new Set(seen)).toEqual(new Set(['remote.example:8080']))
    } finally {
      await tp.close()
    }
  })
})
