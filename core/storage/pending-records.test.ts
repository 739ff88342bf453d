/**
 * A tenant transaction's events and audit entries (pending-records.ts), on both drivers: written
 * in one statement before COMMIT, before the next statement so it sees them, or by the caller's
 * own statement (queryWithRecords); a failed write fails the transaction with its own error;
 * outside tenant transactions each is written at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { TenantScope } from '../api/db.ts'
import { recordAudit, type AuditActor } from '../audit/record.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import type { Db, Queryable } from './db.ts'
import { queryWithRecords } from './pending-records.ts'
import { tenantDb } from './tenant-db.ts'

const catalogue = new Map([['test.pinged', z.object({ n: z.number() })]])
const actor: AuditActor = { principal: { kind: 'anonymous' }, ip: '192.0.2.1', requestId: 'r-1' }

describe.each(DRIVERS)('pending records on %s', (driver) => {
  let t: TestPlatform
  let scope: TenantScope
  beforeAll(async () => {
    t = await testPlatform({ driver })
    scope = await t.createService('pending-org', `desk-${driver}`)
  }, 60_000)
  afterAll(() => t.close())

  /** The platform database, keeping the text of every statement a tenant transaction issues. */
  const recording = () => {
    const statements: string[] = []
    const keep = (tx: Queryable): Queryable => ({
      query: (text, params) => (statements.push(text), tx.query(text, params)),
      sql: (strings, ...values) => (statements.push(strings.join('$')), tx.sql(strings, ...values)),
      exec: (script) => (statements.push(script), tx.exec(script)),
    })
    const db: Db = { ...t.db, tenantTransaction: (s, fn) => t.db.tenantTransaction(s, (tx) => fn(keep(tx))) }
    return { tenant: tenantDb(db, scope, catalogue), statements }
  }
  const owner = (text: string, params: unknown[]) => t.db.query<Record<string, unknown>>(text, params)

  it('writes the events and audit entries of a transaction in one statement, in the order recorded', async () => {
    const { tenant, statements } = recording()
    const target = crypto.randomUUID()
    const ids = await tenant.tx(async (tx) => {
      const first = await tx.emit('test.pinged', { n: 1 })
      const second = await tx.emit('test.pinged', { n: 2 })
      await recordAudit(tx, actor, { action: 'test.pinged', target: { type: 'test', id: target }, before: null, after: { n: 2 } })
      return [first, second]
    })
    expect(statements).toHaveLength(1)
    const events = await owner(`SELECT event_id, payload, org_id, service_id FROM oc_outbox WHERE event_id = ANY($1::uuid[]) ORDER BY id`, [ids])
    expect(events).toEqual([
      { event_id: ids[0], payload: { n: 1 }, org_id: scope.orgId, service_id: scope.serviceId },
      { event_id: ids[1], payload: { n: 2 }, org_id: scope.orgId, service_id: scope.serviceId },
    ])
    const [entry] = await owner(`SELECT actor_type, ip, request_id, before, after, service_id FROM oc_audit WHERE target_id = $1`, [target])
    // A JSON null before stays a JSON null, not a missing value.
    expect(entry).toEqual({ actor_type: 'anonymous', ip: '192.0.2.1', request_id: 'r-1', before: null, after: { n: 2 }, service_id: scope.serviceId })
    const [nulls] = await owner(`SELECT before IS NULL AS missing, jsonb_typeof(before) AS kind FROM oc_audit WHERE target_id = $1`, [target])
    expect(nulls).toEqual({ missing: false, kind: 'null' })
  })

  it('writes what is pending before the next statement, which sees it', async () => {
    const { tenant, statements } = recording()
    const seen = await tenant.tx(async (tx) => {
      const id = await tx.emit('test.pinged', { n: 3 })
      return tx.query<{ n: number }>(`SELECT (payload ->> 'n')::int AS n FROM oc_outbox WHERE event_id = $1`, [id])
    })
    expect(seen).toEqual([{ n: 3 }])
    expect(statements).toHaveLength(2)
  })

  it('fails the transaction when the write fails, with its own error, and keeps nothing', async () => {
    const { tenant } = recording()
    const target = crypto.randomUUID()
    // An audit action is NOT NULL: a write the caller never awaited fails the whole change.
    const attempt = tenant.tx(async (tx) => {
      await tx.query(`INSERT INTO oc_audit (actor_type, action, target_type, target_id) VALUES ('anonymous', 'test.kept', 'test', $1)`, [target])
      await recordAudit(tx, actor, { action: null as unknown as string, target: { type: 'test', id: target } })
      return 'done'
    })
    await expect(attempt).rejects.toThrow(/null value in column "action"/)
    expect(await owner(`SELECT 1 FROM oc_audit WHERE target_id = $1`, [target])).toEqual([])
  })

  it('lets a statement of the caller carry what is pending (queryWithRecords), its own WITH kept', async () => {
    const { tenant, statements } = recording()
    const target = crypto.randomUUID()
    const [row] = await tenant.tx(async (tx) => {
      await tx.emit('test.pinged', { n: 4 })
      await recordAudit(tx, actor, { action: 'test.carried', target: { type: 'test', id: target } })
      return queryWithRecords<{ n: number; text: string }>(tx, 'WITH four AS (SELECT $1::int AS n) SELECT n, $2::text AS text FROM four', [4, 'own'])
    })
    expect(row).toEqual({ n: 4, text: 'own' })
    expect(statements).toHaveLength(1)
    expect(await owner(`SELECT action FROM oc_audit WHERE target_id = $1`, [target])).toEqual([{ action: 'test.carried' }])
    expect(await owner(`SELECT count(*)::int AS n FROM oc_outbox WHERE service_id = $1 AND payload = '{"n": 4}'::jsonb`, [scope.serviceId])).toEqual([{ n: 1 }])
  })

  it('writes each record at once outside tenant transactions', async () => {
    const target = crypto.randomUUID()
    await t.db.transaction(async (tx) => {
      await recordAudit(tx, actor, { action: 'test.owner', target: { type: 'test', id: target } }, { orgId: scope.orgId, serviceId: null })
      expect(await tx.query(`SELECT action FROM oc_audit WHERE target_id = $1`, [target])).toEqual([{ action: 'test.owner' }])
    })
  })
})
