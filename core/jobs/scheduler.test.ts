/**
 * The cluster-wide scheduler (C11): instances sharing one database run each tick of a job
 * once in total, a job carries on elsewhere when its instance stops or its lease lapses, and
 * cron triggers (Workers) run each tick at most once through `runDue`.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { definePlugin, type Plugin } from '../mod.ts'
import { createLogger } from '../log.ts'
import type { Db } from '../storage/db.ts'
import { postgresDb } from '../storage/postgres.ts'
import { freshPostgresUrl } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { until } from '../../test/support/events.ts'
import { eventsAreaOf } from '../events/area.ts'
import { createScheduler } from './scheduler.ts'
import type { Job } from '../api/jobs.ts'

/** A plugin whose every-second job writes one row per run, naming the instance that ran it. */
function ticker(instance: string, extra: Partial<Job> = {}): Plugin {
  return definePlugin({
    id: 'ticker',
    version: '1.0.0',
    core: '^1',
    migrations: [{ id: '0001_runs', sql: 'CREATE TABLE ticker_runs (tick timestamptz NOT NULL, instance text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())' }],
    jobs: [
      {
        id: 'tick',
        cron: '* * * * * *',
        async run(ctx, tick) {
          await ctx.db.query('INSERT INTO ticker_runs (tick, instance) VALUES ($1, $2)', [tick.scheduledAt.toISOString(), instance])
        },
        ...extra,
      },
    ],
  })
}

interface Run {
  tick: Date
  instance: string
}
const runs = (db: Db) => db.query<Run>('SELECT tick, instance FROM ticker_runs ORDER BY tick')
const seconds = (rows: readonly Run[]) => rows.map((r) => new Date(r.tick).getTime() / 1000)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Every tick from the first to the last, once: no gaps, no duplicates. */
function expectConsecutive(rows: readonly Run[]) {
  const s = seconds(rows)
  expect(new Set(s).size).toBe(s.length)
  expect(s.at(-1)! - s[0]!).toBe(s.length - 1)
}

describe('scheduler on postgres, two instances', () => {
  const open: TestPlatform[] = []
  afterAll(async () => {
    for (const t of open) {
      await t.platform.stop()
      await t.db.close()
    }
  })

  it('runs each tick of an every-second job once in total, and carries on when an instance stops', async () => {
    const url = await freshPostgresUrl()
    const a = await testPlatform({ db: postgresDb(url), plugins: [ticker('a')] })
    const b = await testPlatform({ db: postgresDb(url), plugins: [ticker('b')] })
    open.push(a, b)
    await sleep(3_200)
    await a.platform.stop()
    const stoppedAt = Date.now()
    await sleep(2_600)
    await b.platform.stop()

    const all = await runs(a.db)
    expect(all.length).toBeGreaterThanOrEqual(5)
    expectConsecutive(all)
    const after = all.filter((r) => new Date(r.tick).getTime() > stoppedAt)
    expect(after.length).toBeGreaterThanOrEqual(2)
    expect(new Set(after.map((r) => r.instance))).toEqual(new Set(['b']))
    const [lease] = await a.db.query<{ runs: string | number; failures: string | number; lease_owner: string }>("SELECT runs, failures, lease_owner FROM oc_jobs WHERE id = 'ticker:tick'")
    expect(Number(lease!.runs)).toBe(all.length)
    expect(Number(lease!.failures)).toBe(0)
    expect(lease!.lease_owner).toBe(eventsAreaOf(b.platform).scheduler.instanceId)
  }, 20_000)

  it('waits out the lease of an instance that died mid-run, then takes the job over', async () => {
    const url = await freshPostgresUrl()
    const b = await testPlatform({ db: postgresDb(url), plugins: [ticker('b')] })
    open.push(b)
    await until('a first run', async () => (await runs(b.db)).length > 0)
    // As if another instance claimed a tick and was then killed: its lease stands for two more seconds.
    await b.db.query("UPDATE oc_jobs SET lease_owner = 'killed', leased_until = now() + interval '2 seconds', last_tick = date_trunc('second', now()) WHERE id = 'ticker:tick'")
    const killedAt = Date.now()
    await sleep(3_300)
    const later = (await runs(b.db)).filter((r) => new Date(r.tick).getTime() > killedAt)
    const firstAfter = Math.min(...later.map((r) => new Date(r.tick).getTime()))
    expect(firstAfter - killedAt).toBeGreaterThanOrEqual(1_000)
    expect(later.length).toBeGreaterThanOrEqual(1)
  }, 20_000)
})

describe('scheduler on pglite', () => {
  it('runs the same jobs in one process, one run per tick', async () => {
    const t = await testPlatform({ driver: 'pglite', plugins: [ticker('solo')] })
    try {
      await until('three runs', async () => (await runs(t.db)).length >= 3, 8_000, 100)
    } finally {
      await t.close()
    }
  }, 20_000)
})

describe('scheduler runNow (commands run by hand)', () => {
  it('runs the chosen jobs at once with their lines, reports failures, and leaves a job running elsewhere alone', async () => {
    const db = postgresDb(await freshPostgresUrl())
    const t = await testPlatform({ db, plugins: [], ...({ events: { background: false } } as object) })
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    try {
      const jobs: Job<unknown>[] = [
        { id: 'reseal', cron: '0 0 * * *', keyRotation: true, run: async () => 're-sealed 3 things' },
        { id: 'broken', cron: '0 0 * * *', keyRotation: true, run: async () => Promise.reject(new Error('the vault is shut')) },
        { id: 'slow', cron: '0 0 * * *', keyRotation: true, run: () => held },
        { id: 'other', cron: '0 0 * * *', run: async () => 'not chosen' },
      ]
      const make = (instanceId: string) => createScheduler({ db, log: createLogger('silent'), jobs: jobs.map((job) => ({ key: `test:${job.id}`, job: job as Job<never>, ctx: {} })), instanceId })
      const [one, two] = [make('one'), make('two')]
      // `slow` is running on instance two when one is asked.
      const elsewhere = two.runNow((key) => key === 'test:slow')
      await until('instance two holds the lease of slow', async () => (await db.query<{ lease_owner: string }>(`SELECT lease_owner FROM oc_jobs WHERE id = 'test:slow'`))[0]?.lease_owner === 'two')
      const runs = await one.runNow((_key, job) => job.keyRotation === true)
      expect(runs).toEqual([
        { key: 'test:reseal', outcome: 'done', summary: 're-sealed 3 things' },
        { key: 'test:broken', outcome: 'failed', error: 'the vault is shut' },
        { key: 'test:slow', outcome: 'busy' },
      ])
      release()
      expect(await elsewhere).toEqual([{ key: 'test:slow', outcome: 'done', summary: null }])
    } finally {
      release()
      await t.close()
      await db.close()
    }
  })
})

describe('scheduler runDue (cron triggers)', () => {
  it('runs the latest tick of each job once, whichever instance asks', async () => {
    const db = postgresDb(await freshPostgresUrl())
    const t = await testPlatform({ db, plugins: [ticker('boot')], ...({ events: { background: false } } as object) })
    try {
      const ran: Date[] = []
      const job: Job<unknown> = { id: 'minutely', cron: '0 * * * * *', run: async (_ctx, tick) => void ran.push(tick.scheduledAt) }
      const make = (instanceId: string) => createScheduler({ db, log: createLogger('silent'), jobs: [{ key: 'test:minutely', job: job as Job<never>, ctx: {} }], instanceId })
      const one = make('one')
      const two = make('two')
      expect(await one.runDue(new Date('2030-01-01T12:00:30Z'))).toEqual(['test:minutely'])
      expect(await two.runDue(new Date('2030-01-01T12:00:45Z'))).toEqual([])
      expect(await two.runDue(new Date('2030-01-01T12:01:00.000Z'))).toEqual(['test:minutely'])
      expect(await one.runDue(new Date('2030-01-01T12:01:59Z'))).toEqual([])
      expect(ran.map((d) => d.toISOString())).toEqual(['2030-01-01T12:00:00.000Z', '2030-01-01T12:01:00.000Z'])
      // Without background work the platform's own scheduler started no timers.
      expect(await runs(db)).toEqual([])
    } finally {
      await t.close()
      await db.close()
    }
  })

  it('refuses a job with an invalid pattern or a duplicate id, naming it', () => {
    const db = {} as Db
    const log = createLogger('silent')
    const job = (cron: string): Job<never> => ({ id: 'x', cron, run: async () => {} })
    expect(() => createScheduler({ db, log, jobs: [{ key: 'ticker:x', job: job('every minute'), ctx: {} }] })).toThrow(/job 'ticker:x': cron 'every minute' is not a valid pattern/)
    expect(() =>
      createScheduler({
        db,
        log,
        jobs: [
          { key: 'ticker:x', job: job('* * * * *'), ctx: {} },
          { key: 'ticker:x', job: job('* * * * *'), ctx: {} },
        ],
      }),
    ).toThrow(/job 'ticker:x' is declared twice/)
  })
})
