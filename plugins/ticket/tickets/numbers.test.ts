/**
 * Ticket numbers shared out to concurrent creates (numbers.ts), on both drivers: every create
 * gets its own number, in the order it asked, from fewer counter statements than creates; each
 * service counts alone; a failed statement fails only the creates it was for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TenantScope } from '../../../core/mod.ts'
import type { Db } from '../../../core/storage/db.ts'
import { tenantDb } from '../../../core/storage/tenant-db.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../../test/support/platform.ts'
import ticket from '../mod.ts'
import { ticketNumbers } from './numbers.ts'

describe.each(DRIVERS)('ticket numbers on %s', (driver) => {
  let t: TestPlatform
  let desk: TenantScope
  let other: TenantScope
  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [ticket] })
    desk = await t.createService('num-org', 'desk', ['ticket'])
    other = await t.createService('num-org', 'other', ['ticket'])
  }, 60_000)
  afterAll(() => t.close())

  /** The platform database, counting the counter statements and failing the next `failNext` of them. */
  const counting = () => {
    const seen = { statements: 0, failNext: 0 }
    const fail = () => {
      seen.statements++
      if (seen.failNext > 0) {
        seen.failNext--
        throw new Error('counter statement failed on purpose')
      }
    }
    const db: Db = {
      ...t.db,
      tenantTransaction: (scope, fn) => t.db.tenantTransaction(scope, (tx) => (fail(), fn(tx))),
      tenantStatement: t.db.tenantStatement && (async (scope, statement) => (fail(), t.db.tenantStatement!(scope, statement))),
    }
    return { db, seen }
  }
  /** A tenant handle on `db`, as requests get one (the counter statements emit no events). */
  const tenant = (db: Db, scope: TenantScope) => tenantDb(db, scope, new Map())

  it('hands concurrent creates consecutive numbers in the order they asked, from few statements', async () => {
    const { db, seen } = counting()
    const take = ticketNumbers(db)
    const first = await take(tenant(db, desk))
    const asked: number[] = []
    const numbers = await Promise.all(Array.from({ length: 40 }, (_, i) => take(tenant(db, desk)).then((n) => (asked.push(i), n))))
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => first + 1 + i))
    expect(asked).toEqual([...asked].sort((a, b) => a - b))
    // The first asked alone; the other 39 waited for it and went together.
    expect(seen.statements).toBeLessThanOrEqual(3)
    expect(await take(tenant(db, desk))).toBe(first + 41)
  })

  it('takes one number per statement where the database has no LISTEN (request-scoped connections, Workers)', async () => {
    const { db, seen } = counting()
    const { listen: _listen, ...withoutListen } = db
    const take = ticketNumbers(withoutListen)
    const numbers = await Promise.all(Array.from({ length: 5 }, () => take(tenant(withoutListen, desk))))
    expect(new Set(numbers).size).toBe(5)
    expect(seen.statements).toBe(5)
  })

  it('counts each service on its own', async () => {
    const { db } = counting()
    const take = ticketNumbers(db)
    const [a, b] = await Promise.all([take(tenant(db, desk)), take(tenant(db, other))])
    const [a2, b2] = await Promise.all([take(tenant(db, desk)), take(tenant(db, other))])
    expect([a2 - a, b2 - b]).toEqual([1, 1])
    const [row] = await t.db.tenantTransaction(other, (tx) => tx.query<{ last_number: string }>('SELECT last_number FROM ticket_counters'))
    expect(Number(row!.last_number)).toBe(b2)
  })

  it('fails only the creates of a failed statement; the next ones get numbers again', async () => {
    const { db, seen } = counting()
    const take = ticketNumbers(db)
    const before = await take(tenant(db, desk))
    seen.failNext = 1
    const failed = take(tenant(db, desk))
    const after = take(tenant(db, desk))
    await expect(failed).rejects.toThrow('counter statement failed on purpose')
    // The failed statement took nothing: the next number follows the last one handed out.
    expect(await after).toBe(before + 1)
  })
})
