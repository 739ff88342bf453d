/** The postgres.js driver's pipelined transactions keep every promise a transaction makes. */
import { describe, expect, it } from 'vitest'
import { freshDb } from '../../test/support/databases.ts'

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
})
