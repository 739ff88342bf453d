/** Reading and writing trigger rows, the configuration version, round-robin cursors and the execution log. */
import type { Queryable } from '../../../core/mod.ts'
import { lockServiceResource } from '../shared/locks.ts'
import type { Conditions, Trigger, TriggerResult } from './model.ts'

interface TriggerRow {
  id: string
  position: number
  title: string
  active: boolean
  conditions: Conditions | string
  results: TriggerResult[] | string
  version: number
  created_at: Date | string
  updated_at: Date | string
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

const toTrigger = (row: TriggerRow): Trigger => ({
  id: row.id,
  position: row.position,
  title: row.title,
  active: row.active,
  conditions: json(row.conditions),
  results: json(row.results),
  version: row.version,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
})

const COLUMNS = 'id, position, title, active, conditions, results, version, created_at, updated_at'

/** Serialises changes to the list (positions, the ceiling). */
export const lockTriggers = (tx: Queryable) => lockServiceResource(tx, 'triggers')

/** Every trigger of the service, in order. */
export async function listTriggers(tx: Queryable): Promise<Trigger[]> {
  return (await tx.query<TriggerRow>(`SELECT ${COLUMNS} FROM ticket_triggers ORDER BY position, created_at, id`)).map(toTrigger)
}

export async function findTrigger(tx: Queryable, id: string): Promise<Trigger | null> {
  const [row] = await tx.query<TriggerRow>(`SELECT ${COLUMNS} FROM ticket_triggers WHERE id = $1`, [id])
  return row ? toTrigger(row) : null
}

export async function countTriggers(tx: Queryable): Promise<number> {
  const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_triggers`
  return row?.count ?? 0
}

export interface TriggerWrite {
  title: string
  active: boolean
  conditions: Conditions
  results: readonly TriggerResult[]
}

/** Appends the trigger at the end of the list. */
export async function insertTrigger(tx: Queryable, t: TriggerWrite): Promise<Trigger> {
  const [row] = await tx.query<TriggerRow>(
    `INSERT INTO ticket_triggers (position, title, active, conditions, results)
     VALUES ((SELECT coalesce(max(position) + 1, 0) FROM ticket_triggers), $1, $2, $3::jsonb, $4::jsonb) RETURNING ${COLUMNS}`,
    [t.title, t.active, JSON.stringify(t.conditions), JSON.stringify(t.results)],
  )
  return toTrigger(row!)
}

export async function updateTrigger(tx: Queryable, id: string, t: TriggerWrite): Promise<Trigger> {
  const [row] = await tx.query<TriggerRow>(
    `UPDATE ticket_triggers SET title = $2, active = $3, conditions = $4::jsonb, results = $5::jsonb, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, t.title, t.active, JSON.stringify(t.conditions), JSON.stringify(t.results)],
  )
  return toTrigger(row!)
}

export async function setTriggerActive(tx: Queryable, id: string, active: boolean): Promise<Trigger> {
  const [row] = await tx.query<TriggerRow>(`UPDATE ticket_triggers SET active = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id, active])
  return toTrigger(row!)
}

export async function deleteTrigger(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM ticket_triggers WHERE id = ${id}`
  // Close the gap so positions stay 0..n-1.
  await tx.sql`UPDATE ticket_triggers t SET position = o.rank FROM (SELECT id, (row_number() OVER (ORDER BY position, created_at, id) - 1)::int AS rank FROM ticket_triggers) o WHERE t.id = o.id AND t.position <> o.rank`
}

/** Positions 0..n-1 in the order of `orderedIds` (a permutation of every trigger's id, checked by the caller). */
export async function reorderTriggers(tx: Queryable, orderedIds: readonly string[]): Promise<void> {
  await tx.sql`UPDATE ticket_triggers t SET position = o.ord - 1 FROM (SELECT id::uuid AS id, ord::int FROM jsonb_array_elements_text(${JSON.stringify(orderedIds)}::jsonb) WITH ORDINALITY AS x(id, ord)) o
    WHERE t.id = o.id AND t.position <> o.ord - 1`
}

/** The configuration version compiled triggers are keyed by (1 before anything was ever saved). */
export async function configVersion(tx: Queryable): Promise<number> {
  const [row] = await tx.sql<{ version: string | number }>`SELECT version FROM ticket_trigger_state`
  return row ? Number(row.version) : 1
}

/**
 * The next round-robin slot of a trigger. With `lock` (a real run) the cursor row is created if
 * needed and stays locked until the transaction ends, so concurrent tickets queue here and each
 * sees the slot the previous one left; without it (the dry run) it is only read.
 */
export async function readCursor(tx: Queryable, triggerId: string, lock: boolean): Promise<number> {
  if (lock) {
    const [row] = await tx.sql<{ next_slot: string | number }>`
      INSERT INTO ticket_trigger_cursors (trigger_id, next_slot) VALUES (${triggerId}, 0)
      ON CONFLICT (service_id, trigger_id) DO UPDATE SET next_slot = ticket_trigger_cursors.next_slot
      RETURNING next_slot`
    return Number(row!.next_slot)
  }
  const [row] = await tx.sql<{ next_slot: string | number }>`SELECT next_slot FROM ticket_trigger_cursors WHERE trigger_id = ${triggerId}`
  return row ? Number(row.next_slot) : 0
}

/** Moves the cursor past the slot just used (skipped agents included); the row is locked by {@link readCursor}. */
export async function writeCursor(tx: Queryable, triggerId: string, nextSlot: number): Promise<void> {
  await tx.sql`UPDATE ticket_trigger_cursors SET next_slot = ${nextSlot} WHERE trigger_id = ${triggerId}`
}

/** Open tickets (not completed) held by each of these agents. */
export async function openTicketCounts(tx: Queryable, agentIds: readonly string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map()
  const rows = await tx.sql<{ agent: string; open: number }>`
    SELECT assignee_agent_id::text AS agent, count(*)::int AS open FROM tickets
    WHERE status <> 'completed' AND assignee_agent_id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(agentIds)}::jsonb)) GROUP BY 1`
  return new Map(rows.map((r) => [r.agent, r.open]))
}
