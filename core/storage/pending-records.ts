/**
 * The outbox events and audit entries of one tenant transaction, collected as they are recorded
 * and written together in one statement: just before the transaction's next statement (so every
 * statement still sees what was recorded before it), or, when none follows, as the last
 * statement before COMMIT, sent with it. A change that records an event and an audit entry
 * (every create and update) then costs the server one statement for both instead of one each,
 * and the client one answer to read.
 *
 * Recording never waits: `tx.emit` and `recordAudit` resolve at once, and a write that fails
 * fails the transaction (its statement is in the transaction like any other), with its own
 * error. Only tenant transactions collect (storage/tenant-db.ts); elsewhere each record is
 * written by a statement of its own.
 */
import type { Queryable } from './db.ts'

/** One `oc_outbox` row; org and service come from the transaction's tenant (column defaults). */
export interface PendingEvent {
  readonly event_id: string
  readonly type: string
  readonly payload: unknown
}

/** One `oc_audit` row; `before` and `after` are JSON text (or absent), so a JSON null stays a JSON null. */
export interface PendingAudit {
  readonly actor_type: string
  readonly actor_id: string | null
  readonly actor_label: string | null
  readonly ip: string | null
  readonly request_id: string | null
  readonly action: string
  readonly target_type: string
  readonly target_id: string
  readonly before?: string
  readonly after?: string
}

export interface PendingRecords {
  event(row: PendingEvent): void
  audit(row: PendingAudit): void
  /** Hands over what is pending, to be written by the caller's statement, and forgets it. */
  take(): { events: PendingEvent[]; audit: PendingAudit[] }
}

const PENDING = Symbol('pending records')

/** The collector of a tenant transaction, where `tx` is one; other transactions write each record at once. */
export function pendingRecordsOf(tx: Queryable): PendingRecords | undefined {
  return (tx as { [PENDING]?: PendingRecords })[PENDING]
}

// The rows travel as one JSON array each, so the statement's text (and its prepared plan) is
// the same however many rows a transaction records.
const insertEvents = (param: string) =>
  `INSERT INTO oc_outbox (event_id, type, payload) SELECT e.event_id, e.type, e.payload
    FROM jsonb_to_recordset(${param}::jsonb) AS e(event_id uuid, type text, payload jsonb)`
const insertAudit = (param: string) =>
  `INSERT INTO oc_audit (actor_type, actor_id, actor_label, ip, request_id, action, target_type, target_id, before, after)
    SELECT a.actor_type, a.actor_id, a.actor_label, a.ip, a.request_id, a.action, a.target_type, a.target_id, a.before::jsonb, a.after::jsonb
    FROM jsonb_to_recordset(${param}::jsonb) AS a(actor_type text, actor_id text, actor_label text, ip text, request_id text, action text, target_type text, target_id text, before text, after text)`
const LEADING_WITH = /^\s*WITH\s+/i

/**
 * The statement that writes `pending` (not both lists empty): its inserts as data-modifying WITH
 * entries before `own`, the caller's statement (its own WITH joined to theirs), or, without one,
 * before the last insert.
 */
function recordsStatement(pending: { events: PendingEvent[]; audit: PendingAudit[] }, own?: { text: string; params: readonly unknown[] }): { text: string; params: unknown[] } {
  const params = [...(own?.params ?? [])]
  const inserts: string[] = []
  if (pending.events.length) inserts.push(insertEvents(`$${params.push(JSON.stringify(pending.events))}`))
  if (pending.audit.length) inserts.push(insertAudit(`$${params.push(JSON.stringify(pending.audit))}`))
  const main = own?.text ?? inserts.pop()!
  if (!inserts.length) return { text: main, params }
  const entries = inserts.map((insert, i) => `oc_pending_${i} AS (${insert})`).join(', ')
  return { text: LEADING_WITH.test(main) ? `WITH ${entries}, ${main.replace(LEADING_WITH, '')}` : `WITH ${entries} ${main}`, params }
}

/**
 * Runs `text` (one INSERT, UPDATE, DELETE or SELECT, perhaps with its own WITH, not WITH
 * RECURSIVE) so that the same statement also writes the transaction's pending events and audit
 * entries: a change that records them first and then issues its write costs one statement in
 * all. Where nothing is pending, or `tx` collects nothing, it is the statement alone.
 *
 * @example
 *   await tx.emit('hello.greeted', payload)
 *   await recordAudit(tx, actor, entry)
 *   const [row] = await queryWithRecords(tx, 'INSERT INTO greetings (name) VALUES ($1) RETURNING *', [name])
 */
export function queryWithRecords<T = Record<string, unknown>>(tx: Queryable, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const pending = pendingRecordsOf(tx)?.take()
  if (!pending || (!pending.events.length && !pending.audit.length)) return tx.query<T>(text, params)
  if (/^\s*WITH\s+RECURSIVE\b/i.test(text)) throw new Error('queryWithRecords: a WITH RECURSIVE statement cannot carry the pending records; issue it with tx.query')
  const statement = recordsStatement(pending, { text, params })
  return tx.query<T>(statement.text, statement.params)
}

/**
 * What one transaction has pending, and the error of a write of them nobody awaited. A class,
 * and the transaction handed on an object of methods: a transaction then costs no function
 * made per helper (where the code runs through tsx, every named function made at run time is
 * also renamed, a runtime call of about a microsecond each).
 */
class Collector implements PendingRecords {
  events: PendingEvent[] = []
  audits: PendingAudit[] = []
  failure: unknown

  constructor(private readonly raw: Queryable) {}

  event(row: PendingEvent): void {
    this.events.push(row)
  }

  audit(row: PendingAudit): void {
    this.audits.push(row)
  }

  take(): { events: PendingEvent[]; audit: PendingAudit[] } {
    const taken = { events: this.events, audit: this.audits }
    this.events = []
    this.audits = []
    return taken
  }

  /** Writes what is pending, without waiting; undefined when nothing is. */
  flush(): Promise<unknown> | undefined {
    if (!this.events.length && !this.audits.length) return undefined
    const statement = recordsStatement(this.take())
    const written = this.raw.query(statement.text, statement.params)
    written.catch((error: unknown) => void (this.failure ??= error))
    return written
  }

  /** A statement after what is pending: both leave together; a failed write fails the statement with its own error. */
  after<R>(result: Promise<R>, written: Promise<unknown> | undefined): Promise<R> {
    return written ? Promise.all([written, result]).then(([, rows]) => rows) : result
  }
}

/**
 * `raw` with a collector: `tx` is the transaction handed on (its statements write what is
 * pending first), `flush()` writes what is left, without waiting, and `failure` is the error of
 * a write nobody awaited, once it failed.
 */
export function collectRecords(raw: Queryable): { tx: Queryable; flush(): Promise<unknown> | undefined; readonly failure: unknown } {
  const records = new Collector(raw)
  // Each statement flushes first (a `queryWithRecords` statement took what was pending into
  // itself, leaving nothing to write here), so it sees every record made before it.
  const tx: Queryable & { [PENDING]: PendingRecords } = {
    query(text, params) {
      const written = records.flush()
      return records.after(raw.query(text, params), written)
    },
    sql(strings, ...values) {
      const written = records.flush()
      return records.after(raw.sql(strings, ...values), written)
    },
    exec(script) {
      const written = records.flush()
      return records.after(raw.exec(script), written)
    },
    [PENDING]: records,
  }
  return {
    tx,
    flush() {
      return records.flush()
    },
    get failure() {
      return records.failure
    },
  }
}
