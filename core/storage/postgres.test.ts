/**
 * The postgres.js driver's pipelined transactions keep every promise a transaction makes; behind
 * a transaction pooler, what needs a session goes to the direct URL.
 */
import { describe, expect, it } from 'vitest'
import { freshDb, freshPostgresUrl } from '../../test/support/databases.ts'
import { freePort } from '../../test/support/pg-cluster.ts'
import { until } from '../../test/support/events.ts'
import { coreMigrations } from './core-migrations.ts'
import { migrate, pendingMigrations } from './migrations.ts'
import { postgresDb } from './postgres.ts'

describe('postgres transactions', () => {
  it('commits statements issued together, in the order issued', async () => {
    const db = await freshDb('postgres')
    await db.exec('CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL UNIQUE)')
    await db.transaction((tx) => Promise.all(['a', 'b', 'c'].map((v) => tx.query('INSERT INTO t (v) VALUES ($1)', [v]))))
    expect((await db.query<{ v: string }>('SELECT v FROM t ORDER BY id')).map((r) => r.v)).toEqual(['a', 'b', 'c'])
    await db.close()
  })

  it('commits writes the function returned without awaiting, and resolves them', async () => {
    const db = await freshDb('postgres')
    await db.exec('CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL UNIQUE)')
    const left = await db.transaction(async (tx) => ({ rows: Promise.all(['a', 'b'].map((v) => tx.query<{ v: string }>('INSERT INTO t (v) VALUES ($1) RETURNING v', [v]))) }))
    expect(await left.rows).toEqual([[{ v: 'a' }], [{ v: 'b' }]])
    expect((await db.query<{ v: string }>('SELECT v FROM t ORDER BY id')).map((r) => r.v)).toEqual(['a', 'b'])
    await db.close()
  })

  it('rolls back when a statement fails, even one nobody awaited, and says which', async () => {
    const db = await freshDb('postgres')
    await db.exec('CREATE TABLE t (v text NOT NULL UNIQUE)')
    const attempt = db.transaction(async (tx) => {
      void tx.query('INSERT INTO t (v) VALUES ($1)', ['x'])
      void tx.query('INSERT INTO t (v) VALUES ($1)', ['x']).catch(() => {})
      return 'done'
    })
    await expect(attempt).rejects.toThrow(/duplicate key/)
    await expect(db.transaction((tx) => tx.query('SELECT 1/0'))).rejects.toThrow(/division by zero/)
    expect(await db.query('SELECT * FROM t')).toEqual([])
    await db.close()
  })

  it('reports the failed statement, not the aborted ones after it', async () => {
    const db = await freshDb('postgres')
    await db.exec('CREATE TABLE t (v text NOT NULL)')
    const attempt = db.transaction(async (tx) => {
      void tx.query('INSERT INTO t (v) VALUES ($1)', [null]).catch(() => {})
      await tx.query('INSERT INTO t (v) VALUES ($1)', ['after'])
    })
    await expect(attempt).rejects.toThrow(/null value/)
    await db.close()
  })

  it('refuses a statement issued after the transaction ended', async () => {
    const db = await freshDb('postgres')
    const kept = await db.transaction(async (tx) => tx)
    await expect(kept.query('SELECT 1')).rejects.toThrow(/has ended/)
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }])
    await db.close()
  })

  it('opens no transaction for a function that issues no statement, and opens one at the first', async () => {
    // One connection, held by a transaction that waits: a transaction that needed a connection
    // of its own could not finish before it is released.
    const db = postgresDb(await freshPostgresUrl(), { max: 1 })
    await db.exec('CREATE TABLE t (v text NOT NULL)')
    let release!: () => void
    const holding = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (v) VALUES ($1)', ['held'])
      await new Promise<void>((resolve) => (release = resolve))
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await db.tenantTransaction({ orgId: crypto.randomUUID(), serviceId: crypto.randomUUID() }, async () => 'answered from memory')).toBe('answered from memory')
    release()
    await holding
    // Statements issued before the connection is ready keep their order, COMMIT after them.
    await db.transaction(async (tx) => void Promise.all(['a', 'b'].map((v) => tx.query('INSERT INTO t (v) VALUES ($1)', [v]))))
    expect((await db.query<{ v: string }>('SELECT v FROM t')).map((r) => r.v)).toEqual(['held', 'a', 'b'])
    await db.close()
  })
})

describe('postgres behind a transaction pooler (directUrl)', () => {
  it('runs migrations and LISTEN on the direct URL, and every other statement through the pooler', async () => {
    const directUrl = await freshPostgresUrl()
    // A pooler that is not there: whatever reaches it fails, so what succeeds went direct.
    const pooled = new URL(directUrl)
    pooled.port = String(await freePort())
    const db = postgresDb(pooled.toString(), { directUrl })
    try {
      expect(db.direct?.driver).toBe('postgres')
      expect(await migrate(db, [coreMigrations])).toContain('core:0001_role_and_helpers')
      expect(await pendingMigrations(db, [coreMigrations])).toEqual([])
      const heard: string[] = []
      const unlisten = await db.listen!('oc_pooler_probe', (payload) => heard.push(payload))
      await db.direct!.query("SELECT pg_notify('oc_pooler_probe', 'direct')")
      await until('the notification', () => heard.length > 0)
      expect(heard).toEqual(['direct'])
      await unlisten()
      await expect(db.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      await db.close()
    }
  })
})
