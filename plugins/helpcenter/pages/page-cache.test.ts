/**
 * The page cache without the database: a warm anonymous page is answered with no transaction and
 * no statement (counted through a wrapper of the platform's database), read counts gathered in
 * memory and written in one statement, a scheduled entry shown when it comes due, and a change
 * through one instance shown on the next request of another on the same PostgreSQL database.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestDatabase, createTestPlatform, ok, type TestPlatform } from '../../../core/testing.ts'
import type { Db } from '../../../core/storage/db.ts'
import { postgresDb } from '../../../core/storage/postgres.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { pageStates } from './page-state.ts'
import { readCountsFor } from './read-counts.ts'

const base = '/o/cache/desk/hc'
const get = (tp: TestPlatform, path: string, headers: Record<string, string> = {}) => tp.fetch(new Request(`http://opencontact.test${path}`, { headers }))

/** `db`, counting every statement and transaction asked of it while `counting.on`. */
function countingDb(db: Db): { db: Db; counting: { on: boolean; seen: string[] } } {
  const counting = { on: false, seen: [] as string[] }
  const counted = new Set(['sql', 'query', 'transaction', 'tenantTransaction', 'tenantStatement'])
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function' || !counted.has(String(prop))) return value
      return Object.assign((...args: unknown[]) => {
        if (counting.on) counting.seen.push(String(prop))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }, value)
    },
  })
  return { db: wrapped, counting }
}

/** Waits until the page state of the service is kept (its first read's transaction committed and listening is up). */
async function warm(tp: TestPlatform, serviceId: string, path: string) {
  await expect
    .poll(async () => {
      await (await get(tp, path)).text()
      return pageStates(tp.db).kept(serviceId) !== undefined
    }, { timeout: 5000 })
    .toBe(true)
  await (await get(tp, path)).text()
}

describe('the page cache on PostgreSQL', () => {
  let url: string
  let counted: ReturnType<typeof countingDb>
  let one: TestPlatform
  let two: TestPlatform
  let serviceId: string
  let svc: Awaited<ReturnType<TestPlatform['service']>>

  beforeAll(async () => {
    url = await createTestDatabase(inject('pgUrl'))
    one = await createTestPlatform({ plugins: [ticket, helpcenter], driver: { postgresUrl: url }, events: { background: false }, baseDomain: 'oc.test' })
    svc = await one.service('cache', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['en'], defaultLanguage: 'en' })
    serviceId = svc.serviceId
    counted = countingDb(postgresDb(url))
    two = await createTestPlatform({ plugins: [ticket, helpcenter], db: counted.db, events: { background: false }, baseDomain: 'oc.test' })
  }, 60_000)
  afterAll(async () => {
    await two?.close()
    await counted?.db.close()
    await one?.close()
  })

  it('answers a warm anonymous page, and its 304, with no transaction and no statement', async () => {
    await ok(svc.call('/helpcenter/notices', { body: { published: true, translations: { en: { title: 'Warm notice', html: '<p>w</p>' } } } }), 201)
    await warm(two, serviceId, `${base}/notices`)
    counted.counting.on = true
    const hit = await get(two, `${base}/notices`)
    const etag = hit.headers.get('etag')!
    const cookie = hit.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    expect(await hit.text()).toContain('Warm notice')
    expect((await get(two, `${base}/notices`, { cookie, 'if-none-match': etag })).status).toBe(304)
    counted.counting.on = false
    expect(counted.counting.seen).toEqual([])
  })

  it('shows a change made through another instance on the next request', async () => {
    await warm(two, serviceId, `${base}/notices`)
    await ok(svc.call('/helpcenter/notices', { body: { published: true, translations: { en: { title: 'Made on instance one', html: '<p>1</p>' } } } }), 201)
    await expect.poll(async () => (await (await get(two, `${base}/notices`)).text()).includes('Made on instance one'), { timeout: 5000 }).toBe(true)
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { notices: false } }))
    await expect.poll(async () => (await get(two, `${base}/notices`)).status, { timeout: 5000 }).toBe(404)
    await ok(svc.call('/settings/helpcenter', { method: 'PUT', body: { notices: true } }))
    await expect.poll(async () => (await get(two, `${base}/notices`)).status, { timeout: 5000 }).toBe(200)
  })

  it('shows a scheduled entry once it comes due, with no write in between', async () => {
    const due = new Date(Date.now() + 2500)
    await ok(svc.call('/helpcenter/notices', { body: { published: true, publishAt: due.toISOString(), translations: { en: { title: 'Scheduled notice', html: '<p>s</p>' } } } }), 201)
    await warm(two, serviceId, `${base}/notices`)
    expect(await (await get(two, `${base}/notices`)).text()).not.toContain('Scheduled notice')
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now()) + 200))
    expect(await (await get(two, `${base}/notices`)).text()).toContain('Scheduled notice')
  })

  it('counts reads of cached detail pages in memory and writes them in one statement', async () => {
    const notice = await ok(svc.call('/helpcenter/notices', { body: { published: true, translations: { en: { title: 'Read me', html: '<p>r</p>' } } } }), 201)
    const path = `${base}/notices/${notice.number}`
    await warm(two, serviceId, path)
    await readCountsFor(two.db)?.flush()
    const before = (await ok(svc.call(`/helpcenter/notices/${notice.id}`))).readCount as number
    counted.counting.on = true
    for (let i = 0; i < 3; i++) await (await get(two, path)).text()
    await readCountsFor(two.db)?.flush()
    counted.counting.on = false
    // The three views and their flush (this one, or the periodic one if it came first): one transaction, one statement.
    expect(counted.counting.seen).toEqual(['tenantTransaction'])
    expect((await ok(svc.call(`/helpcenter/notices/${notice.id}`))).readCount).toBe(before + 3)
  })
})
