/**
 * Key rotation of stored values: re-encrypts, in batches, every value of one table column still
 * under an older master key version than the keyring's current one, while the application
 * keeps writing. Each batch is its own transaction that locks the rows it takes
 * (`FOR UPDATE SKIP LOCKED`), so it never waits on, nor overwrites, a row a request is changing;
 * rows it skipped are picked up by a later pass. Progress lives in the data itself (the version
 * inside each value), so a run that stops can simply be started again.
 *
 * The order of a rotation across a cluster: (1) every node gets the new key version while the
 * current stays the old one (`OC_MASTER_KEY_CURRENT`), (2) every node makes the new version
 * current, (3) `rotateColumn` for each encrypted column, (4) once it reports `complete`, the
 * old version leaves the configuration. A node that does not hold a version cannot read values
 * written under it, so no step may start before the previous one reached every node.
 */
import type { Db, Queryable, Row, TenantScope } from '../storage/db.ts'
import { CryptoError } from './errors.ts'
import { type FieldCrypto, requireKeyring, type TenantCrypto } from './tenant-crypto.ts'

export interface RotateColumnSpec {
  /** A tenant table (with `org_id` and `service_id`), optionally schema-qualified. */
  readonly table: string
  /** The text column holding encrypted values (NULLs are left alone). */
  readonly column: string
  /**
   * Columns that identify a row, in the order of an index on them (usually the primary key,
   * e.g. `['service_id', 'id']`): batches walk the table in this order.
   */
  readonly keyColumns: readonly string[]
  /** The context each value was encrypted with, read from its row (every column is there). */
  readonly context: (row: Row) => string
  /** Also rewrite a blind-index column computed from the same value, under the current key. */
  readonly blindIndex?: { readonly column: string; readonly fieldCode: (row: Row) => string }
  /**
   * Only this tenant, in tenant transactions under its row-level security. Without it, every
   * tenant, as the owner role, with keys derived from each row's `org_id` and `service_id`.
   */
  readonly scope?: TenantScope
  /** Rows per transaction (default 200). */
  readonly batchSize?: number
  /** Passes over the table before giving up on rows that stay locked (default 10). */
  readonly maxPasses?: number
  /** Stops between batches; what was committed stays. */
  readonly signal?: AbortSignal
  readonly onBatch?: (progress: { readonly pass: number; readonly batches: number; readonly rotated: number }) => void
}

export interface RotationFailure {
  /** The row's key column values, in `keyColumns` order. */
  readonly key: readonly unknown[]
  /** `OC_CRYPTO_TAMPERED`, `OC_CRYPTO_KEY_UNKNOWN`, ...: such rows are left as they are. */
  readonly code: string
}

export interface RotationResult {
  /** Rows rewritten under the current version. */
  readonly rotated: number
  readonly batches: number
  readonly passes: number
  /** Rows that could not be decrypted (first 100 listed); fix or remove them, then run again. */
  readonly failed: number
  readonly failures: readonly RotationFailure[]
  /** Rows still under an older version when the run ended (failures included). */
  readonly remaining: number
  /** True when no row is left under an older version. */
  readonly complete: boolean
}

/**
 * The end of a rotation job's one-line summary (`Job.run` returns it for `opencontact keys
 * rotate`): how many values could not be opened and, where listed, which.
 * @example `re-sealed ${result.rotated} service keys${unopenedSummary(result.failed, result.failures, (f) => `key ${f.key[1]}: ${f.code}`)}`
 */
export function unopenedSummary<T>(failed: number, listed: readonly T[] = [], describe: (failure: T) => string = String): string {
  if (!failed) return ''
  return `; ${failed} could not be opened${listed.length ? `: ${listed.map(describe).join('; ')}` : ''}`
}

const MAX_BATCH = 5000
const MAX_LISTED_FAILURES = 100

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`

interface ColumnInfo {
  readonly name: string
  readonly type: string
}

/** Resolves the table and checks the columns exist, so nothing the caller passed reaches SQL unchecked. */
async function describeTable(q: Queryable, spec: RotateColumnSpec): Promise<{ table: string; types: Map<string, string> }> {
  const [found] = await q.query<{ name: string | null }>('SELECT to_regclass($1)::text AS name', [spec.table])
  if (!found?.name) throw new CryptoError('OC_CRYPTO_CONTEXT_INVALID', `rotateColumn: table '${spec.table}' does not exist`)
  const columns = await q.query<ColumnInfo>(
    'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped',
    [spec.table],
  )
  const types = new Map(columns.map((c) => [c.name, c.type]))
  const needed = [spec.column, ...spec.keyColumns, ...(spec.blindIndex ? [spec.blindIndex.column] : []), ...(spec.scope ? [] : ['org_id', 'service_id'])]
  for (const name of needed) {
    if (!types.has(name)) throw new CryptoError('OC_CRYPTO_CONTEXT_INVALID', `rotateColumn: table '${spec.table}' has no column '${name}'`)
  }
  if (spec.keyColumns.length === 0) throw new CryptoError('OC_CRYPTO_CONTEXT_INVALID', 'rotateColumn: keyColumns must name the columns that identify a row')
  return { table: found.name, types }
}

/** `version < current` for values of format `prefix`; the CASE keeps the cast away from text that is not one. */
function olderThan(column: string, prefix: 'oc1' | 'bi1', currentParam: string): string {
  return `(CASE WHEN ${column} ~ '^${prefix}\\.[1-9][0-9]{0,5}\\.' THEN split_part(${column}, '.', 2)::int END) < ${currentParam}`
}

/**
 * Re-encrypts every value of `spec.column` under an older key version than the keyring's current
 * one. Safe while the application writes; resumable (run it again after a stop); returns counts.
 * `encryption` is the keyring, or `ctx.crypto` in a plugin (e.g. in a job after a key rotation).
 * @example
 * // every tenant, as the owner role (e.g. from the CLI after adding key version 2)
 * const result = await rotateColumn(db, {
 *   table: 'ticket_field_values', column: 'value', keyColumns: ['service_id', 'ticket_id', 'field_code'],
 *   context: (row) => `field:${row.field_code}`,
 *   blindIndex: { column: 'value_index', fieldCode: (row) => String(row.field_code) },
 * }, keyring)
 * if (!result.complete) console.warn(`${result.remaining} values still under old keys`, result.failures)
 */
export async function rotateColumn(db: Db, spec: RotateColumnSpec, encryption: FieldCrypto): Promise<RotationResult> {
  const keyring = requireKeyring(encryption)
  const batchSize = Math.min(Math.max(1, spec.batchSize ?? 200), MAX_BATCH)
  const maxPasses = Math.max(1, spec.maxPasses ?? 10)
  const inTransaction = <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => (spec.scope ? db.tenantTransaction(spec.scope, fn) : db.transaction(fn))

  const { table, types } = await inTransaction((q) => describeTable(q, spec))
  const column = quoteIdent(spec.column)
  const keys = spec.keyColumns.map(quoteIdent)
  const castKey = (i: number, param: number) => `$${param}::${types.get(spec.keyColumns[i]!)}`
  const indexColumn = spec.blindIndex ? quoteIdent(spec.blindIndex.column) : undefined
  const stale = `((${olderThan(column, 'oc1', '$1')})${indexColumn ? ` OR (${column} IS NOT NULL AND ${olderThan(indexColumn, 'bi1', '$1')})` : ''})`

  const tenants = new Map<string, TenantCrypto>()
  const cryptoOf = (row: Row): TenantCrypto => {
    const scope = spec.scope ?? { orgId: String(row.org_id), serviceId: String(row.service_id) }
    const id = `${scope.orgId}/${scope.serviceId}`
    let found = tenants.get(id)
    if (!found) tenants.set(id, (found = keyring.forTenant(scope)))
    return found
  }

  const failures = new Map<string, RotationFailure>()
  let rotated = 0
  let batches = 0
  let passes = 0
  let remaining = 0

  const runBatch = (after: readonly unknown[] | undefined) =>
    inTransaction(async (q) => {
      const params: unknown[] = [keyring.current]
      let where = stale
      if (after) {
        where += ` AND (${keys.join(', ')}) > (${after.map((_, i) => castKey(i, i + 2)).join(', ')})`
        params.push(...after)
      }
      params.push(batchSize)
      const rows = await q.query(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${keys.join(', ')} LIMIT $${params.length} FOR UPDATE SKIP LOCKED`, params)

      // WebCrypto work runs off the main thread: re-encrypt the whole batch at once.
      const rewritten = await Promise.all(
        rows.map(async (row) => {
          const key = spec.keyColumns.map((k) => row[k])
          const old = row[spec.column] as string
          try {
            const tenant = cryptoOf(row)
            const context = spec.context(row)
            const plaintext = await tenant.decrypt(old, context)
            const value = tenant.needsRotation(old) ? await tenant.encrypt(plaintext, context) : old
            const update = [...key, old, value]
            if (spec.blindIndex) update.push(await tenant.blindIndex(spec.blindIndex.fieldCode(row), plaintext))
            return update
          } catch (error) {
            const code = error instanceof CryptoError ? error.code : 'OC_INTERNAL'
            const id = JSON.stringify(key)
            if (!failures.has(id)) failures.set(id, { key, code })
            return undefined
          }
        }),
      )
      const updates = rewritten.filter((update) => update !== undefined)
      let updated = 0
      if (updates.length) {
        // One statement per batch; every parameter cast to its column's type, so VALUES is typed.
        const width = updates[0]!.length
        const valueType = types.get(spec.column)!
        const tuples = updates.map((_, r) => {
          const base = r * width
          const cells = spec.keyColumns.map((_, i) => castKey(i, base + i + 1))
          cells.push(`$${base + keys.length + 1}::${valueType}`, `$${base + keys.length + 2}::${valueType}`)
          if (indexColumn) cells.push(`$${base + keys.length + 3}::${types.get(spec.blindIndex!.column)}`)
          return `(${cells.join(', ')})`
        })
        const names = [...keys.map((_, i) => `k${i}`), 'old_value', 'new_value', ...(indexColumn ? ['new_index'] : [])]
        const done = await q.query(
          `UPDATE ${table} AS t SET ${column} = v.new_value${indexColumn ? `, ${indexColumn} = v.new_index` : ''}
             FROM (VALUES ${tuples.join(', ')}) AS v(${names.join(', ')})
            WHERE ${keys.map((k, i) => `t.${k} = v.k${i}`).join(' AND ')} AND t.${column} = v.old_value
           RETURNING 1`,
          updates.flat(),
        )
        updated = done.length
      }
      const last = rows.at(-1)
      return { taken: rows.length, updated, last: last ? spec.keyColumns.map((k) => last[k]) : undefined }
    })

  const countStale = () => inTransaction(async (q) => (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${stale}`, [keyring.current]))[0]!.n)

  run: for (passes = 1; passes <= maxPasses; passes++) {
    let cursor: readonly unknown[] | undefined
    let progressed = 0
    for (;;) {
      if (spec.signal?.aborted) break run
      const batch = await runBatch(cursor)
      batches++
      rotated += batch.updated
      progressed += batch.updated
      spec.onBatch?.({ pass: passes, batches, rotated })
      if (batch.taken < batchSize || !batch.last) break
      cursor = batch.last
    }
    remaining = await countStale()
    // What is left is either known to be undecryptable, or was locked by a writer: try again soon.
    if (remaining <= failures.size) break
    if (progressed === 0) await new Promise((resolve) => setTimeout(resolve, 25 * passes))
  }
  if (passes > maxPasses) passes = maxPasses
  if (spec.signal?.aborted) remaining = await countStale()
  return { rotated, batches, passes, failed: failures.size, failures: [...failures.values()].slice(0, MAX_LISTED_FAILURES), remaining, complete: remaining === 0 }
}
