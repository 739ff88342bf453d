/**
 * What the platform offers runtimes and commands without background work of their own (Workers'
 * cron trigger and `waitUntil`, the CLI): delivering pending events, running the jobs that are
 * due, and running chosen jobs now, without reaching into the events area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, type PluginContext, z } from '../mod.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { eventOptions } from '../../test/support/events.ts'

describe('a platform without background work', () => {
  const seen: string[] = []
  const ran: string[] = []
  let ctx: PluginContext | undefined
  const chores = definePlugin({
    id: 'chores',
    version: '1.0.0',
    core: '^1',
    events: { 'chores.done': z.object({ n: z.number() }) },
    subscribers: [{ id: 'note', event: 'chores.done', handle: async (event) => void seen.push(event.id) }],
    jobs: [
      { id: 'minutely', cron: '0 * * * * *', run: async (_ctx, tick) => void ran.push(`minutely ${tick.scheduledAt.toISOString()}`) },
      { id: 'reseal', cron: '0 0 1 1 *', keyRotation: true, run: async () => (ran.push('reseal'), 'resealed 0 rows') },
    ],
    onBoot: (booted) => void (ctx = booted),
  })
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform({ plugins: [chores], ...eventOptions({ events: { background: false } }) })
  })
  afterAll(() => t.close())

  it('delivers pending events when asked, and only then', async () => {
    const scope = await t.createService('acme', 'desk', ['chores'])
    const service = await ctx!.tenant(scope)
    const id = await service!.db.tx((tx) => tx.emit('chores.done', { n: 1 }))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seen).toEqual([])
    expect(await t.platform.drainEvents({ maxMs: 10_000 })).toBeGreaterThan(0)
    expect(seen).toEqual([id])
    expect(await t.platform.drainEvents()).toBe(0)
  })

  it('runs the chosen jobs now, whatever their schedule, and reports what each did', async () => {
    expect(await t.platform.runJobsNow((key) => key === 'chores:reseal')).toEqual([{ key: 'chores:reseal', outcome: 'done', summary: 'resealed 0 rows' }])
    expect(ran).toEqual(['reseal'])
  })

  // Last: its ticks are in 2030, and the leases they take would report the jobs busy to runJobsNow.
  it("runs each job's due tick once, as a cron trigger does", async () => {
    ran.length = 0
    const now = new Date('2030-01-01T12:00:30Z')
    expect(await t.platform.runDueJobs(now)).toContain('chores:minutely')
    expect(ran).toContain('minutely 2030-01-01T12:00:00.000Z')
    expect(await t.platform.runDueJobs(now)).not.toContain('chores:minutely')
  })
})
