/** The notified cache's synchronous read: a loaded value comes back as it is, an emptied cache loads again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDb } from './pglite.ts'
import type { Db } from './db.ts'
import { notifiedCache } from './notified-cache.ts'

describe('notifiedCache.read', () => {
  let db: Db
  beforeAll(async () => {
    db = await pgliteDb()
  })
  afterAll(() => db.close())

  it('answers a loaded value without a promise, and loads again once emptied', async () => {
    const cache = await notifiedCache<string | null>(db, 'oc_test_cache')
    let loads = 0
    const load = async () => `value ${++loads}`
    const first = cache.read('k', load)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toBe('value 1')
    expect(cache.read('k', load)).toBe('value 1')
    expect(await cache.get('k', load)).toBe('value 1')
    cache.clear()
    expect(await cache.read('k', load)).toBe('value 2')
    expect(cache.read('k', load)).toBe('value 2')
    await cache.stop()
  })

  it('keeps no failed load, and hands back a cached null as null', async () => {
    const cache = await notifiedCache<string | null>(db, 'oc_test_cache')
    await expect(cache.read('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await cache.read('bad', async () => 'recovered')).toBe('recovered')
    await cache.read('none', async () => null)
    expect(cache.read('none', async () => 'reloaded')).toBeNull()
    await cache.stop()
  })
})
