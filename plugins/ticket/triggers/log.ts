/**
 * The execution log (T4, beyond the guide): one row per trigger that matched an event, saying
 * what each of its results did. The runner writes the row in the event's transaction; each
 * outgoing effect then updates its own entry (`queued` -> `done`, or `failed` with the error of
 * the last attempt, which the dispatcher retries) so the log shows where an effect stands.
 */
import type { Queryable } from '../../../core/mod.ts'

/**
 * - `applied`: done in the event's transaction (the assignment).
 * - `superseded`: an assignment a later matching trigger overrode (the last one wins).
 * - `queued` / `done` / `failed`: an outgoing effect, waiting, performed, or failed (retried).
 * - `skipped`: nothing to do (e.g. no recipient: the ticket has no assignee).
 */
export type ResultStatus = 'applied' | 'superseded' | 'queued' | 'done' | 'failed' | 'skipped'

export interface RunResult {
  readonly index: number
  readonly type: string
  readonly status: ResultStatus
  /** What was done: the agent assigned, the recipients mailed, the URL called. */
  readonly detail?: Record<string, unknown>
  readonly error?: string
  readonly attempts?: number
}

export interface TriggerRun {
  readonly id: string
  readonly triggerId: string
  readonly ticketId: string
  readonly eventId: string
  readonly eventKind: string
  readonly ranAt: string
  readonly results: readonly RunResult[]
  readonly errors: readonly string[]
}

interface RunRow {
  id: string
  trigger_id: string
  ticket_id: string
  event_id: string
  event_kind: string
  ran_at: Date | string
  ran_key: string
  results: RunResult[] | string
  errors: string[] | string
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)
const toRun = (r: RunRow): TriggerRun => ({
  id: r.id,
  triggerId: r.trigger_id,
  ticketId: r.ticket_id,
  eventId: r.event_id,
  eventKind: r.event_kind,
  ranAt: new Date(r.ran_at).toISOString(),
  results: json(r.results),
  errors: json(r.errors),
})

/** Whether any trigger already ran for this event (a redelivery then does nothing). */
export async function eventAlreadyRan(tx: Queryable, eventId: string): Promise<boolean> {
  return (await tx.sql`SELECT 1 FROM ticket_trigger_runs WHERE event_id = ${eventId} LIMIT 1`).length > 0
}

/** Null when this (event, trigger) pair was logged already. */
export async function insertRun(tx: Queryable, run: { triggerId: string; ticketId: string; eventId: string; eventKind: string; results: readonly RunResult[]; errors: readonly string[] }): Promise<string | null> {
  const [row] = await tx.sql<{ id: string }>`
    INSERT INTO ticket_trigger_runs (trigger_id, ticket_id, event_id, event_kind, results, errors)
    VALUES (${run.triggerId}, ${run.ticketId}, ${run.eventId}, ${run.eventKind}, ${JSON.stringify(run.results)}::jsonb, ${JSON.stringify(run.errors)}::jsonb)
    ON CONFLICT (service_id, event_id, trigger_id) DO NOTHING RETURNING id`
  return row?.id ?? null
}

export async function findRunResult(tx: Queryable, runId: string, index: number): Promise<RunResult | null> {
  const [row] = await tx.sql<{ result: RunResult | string | null }>`SELECT results -> ${index}::int AS result FROM ticket_trigger_runs WHERE id = ${runId}`
  return row?.result ? json(row.result) : null
}

/** Merges `patch` into the run's entry for result `index`. */
export async function updateRunResult(tx: Queryable, runId: string, index: number, patch: Partial<RunResult>): Promise<void> {
  await tx.sql`UPDATE ticket_trigger_runs SET results = jsonb_set(results, ARRAY[${String(index)}], (results -> ${index}::int) || ${JSON.stringify(patch)}::jsonb) WHERE id = ${runId}`
}

/** One page of a trigger's runs, newest first; `before` is the cursor the previous page returned. */
export async function listRuns(tx: Queryable, triggerId: string, limit: number, before: { at: string; id: string } | null): Promise<{ runs: TriggerRun[]; next: { at: string; id: string } | null }> {
  // The cursor's time goes as text: postgres.js would turn a timestamptz parameter into a Date
  // and drop the microseconds, skipping runs within the same millisecond.
  const rows = await tx.query<RunRow>(
    `SELECT id, trigger_id, ticket_id, event_id, event_kind, ran_at, results, errors,
       to_char(ran_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ran_key
     FROM ticket_trigger_runs WHERE trigger_id = $1 AND ($2::text IS NULL OR (ran_at, id) < ($2::text::timestamptz, $3::uuid))
     ORDER BY ran_at DESC, id DESC LIMIT $4`,
    [triggerId, before?.at ?? null, before?.id ?? null, limit + 1],
  )
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { runs: page.map(toRun), next: rows.length > limit && last ? { at: last.ran_key, id: last.id } : null }
}
