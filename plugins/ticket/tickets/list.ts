/**
 * The ticket list: filters, sort and keyset pagination. The cursor is opaque to clients
 * (base64url JSON of the sort, the last row's exact timestamp and number); the next page starts
 * strictly after that (timestamp, number) pair, so rows inserted meanwhile never shift a page
 * and a ticket is never returned twice when sorting by creation time. (Sorting by update time,
 * a ticket updated between pages moves, as in any keyset list over a changing key.)
 */
import { errors, type Queryable } from '../../../core/mod.ts'
import { TICKET_COLUMNS, type TicketRow } from './store.ts'
import type { TicketListQuery, TicketSort } from './schemas.ts'
import { prefixQuery } from './search.ts'

interface Cursor {
  s: TicketSort
  t: string
  n: number
}

export function encodeCursor(sort: TicketSort, row: TicketRow): string {
  const cursor: Cursor = { s: sort, t: sort.startsWith('created') ? row.created_key : row.updated_key, n: Number(row.number) }
  return btoa(JSON.stringify(cursor)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(text: string, sort: TicketSort): Cursor {
  const bad = () => errors.invalid([{ path: 'query.cursor', message: 'is not a cursor from this list; start again without it', code: 'invalid_cursor' }])
  let cursor: Cursor
  try {
    cursor = JSON.parse(atob(text.replace(/-/g, '+').replace(/_/g, '/')))
  } catch {
    throw bad()
  }
  if (!cursor || typeof cursor.t !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(cursor.t) || !Number.isSafeInteger(cursor.n)) throw bad()
  if (cursor.s !== sort) throw errors.invalid([{ path: 'query.cursor', message: `was made for sort '${cursor.s}'; send the same sort or start again without a cursor`, code: 'invalid_cursor' }])
  return cursor
}

export interface ListFilter extends Omit<TicketListQuery, 'fieldCode' | 'fieldValue'> {
  /** Exact match on a plain field value. */
  plainField?: { code: string; value: string }
  /** Blind-index entries any of which matches (a personal-info field). */
  secretTokens?: string[]
  /** The requester's address (the `email` system field): plain, case-insensitive, or sealed by any of `tokens`. */
  requesterEmail?: { address: string; tokens: string[] }
}

export async function listTickets(tx: Queryable, filter: ListFilter): Promise<{ rows: TicketRow[]; nextCursor: string | null }> {
  const where: string[] = []
  const params: unknown[] = []
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  if (filter.number?.length) where.push(`number IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.number))}::jsonb)::bigint)`)
  if (filter.status?.length) where.push(`status IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.status))}::jsonb))`)
  if (filter.channel?.length) where.push(`channel IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.channel))}::jsonb))`)
  if (filter.assigneeAgentId) where.push(`assignee_agent_id = ${p(filter.assigneeAgentId)}`)
  if (filter.assigneeGroupId) where.push(`assignee_group_id = ${p(filter.assigneeGroupId)}`)
  if (filter.intakeCategoryId) where.push(`intake_category_id = ${p(filter.intakeCategoryId)}`)
  if (filter.processingCategoryId) where.push(`processing_category_id = ${p(filter.processingCategoryId)}`)
  if (filter.usercode) where.push(`requester_usercode = ${p(filter.usercode)}`)
  if (filter.createdFrom) where.push(`created_at >= ${p(filter.createdFrom)}::timestamptz`)
  if (filter.createdTo) where.push(`created_at < ${p(filter.createdTo)}::timestamptz`)
  if (filter.updatedFrom) where.push(`updated_at >= ${p(filter.updatedFrom)}::timestamptz`)
  if (filter.updatedTo) where.push(`updated_at < ${p(filter.updatedTo)}::timestamptz`)
  if (filter.q) {
    const query = prefixQuery(filter.q)
    // A search of nothing but punctuation finds nothing, as a search for a word in no ticket would.
    // The index is read as the owner within the tenant (see `ticket_search` in migrations.ts).
    where.push(query ? `id = ANY(ticket_search(${p(query)}))` : 'false')
  }
  if (filter.plainField) {
    // Candidates by index (see `ticket_field_match` in migrations.ts), then the exact condition.
    const code = p(filter.plainField.code)
    const value = p(filter.plainField.value)
    where.push(`id = ANY(ticket_field_match(${code}, ${value}))`, `fields ->> ${code} = ${value}`)
  }
  // Exact lookups find their few matches by index first (see `ticket_lookup` in migrations.ts);
  // the page is then read by key, under the tenant's policies, and sorted.
  const lookup = (address: string | null, tokens: readonly string[]) => where.push(`id = ANY(ticket_lookup(${p(address)}, ARRAY(SELECT jsonb_array_elements_text(${p(JSON.stringify(tokens))}::jsonb))))`)
  if (filter.requesterEmail) lookup(filter.requesterEmail.address.toLowerCase(), filter.requesterEmail.tokens)
  if (filter.secretTokens) lookup(null, filter.secretTokens)
  const column = filter.sort.startsWith('created') ? 'created_at' : 'updated_at'
  const descending = filter.sort.endsWith('desc')
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor, filter.sort)
    // Sent as text: postgres.js would turn a timestamptz parameter into a Date and drop the microseconds.
    where.push(`(${column}, number) ${descending ? '<' : '>'} (${p(cursor.t)}::text::timestamptz, ${p(cursor.n)}::bigint)`)
  }
  const direction = descending ? 'DESC' : 'ASC'
  const rows = await tx.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${column} ${direction}, number ${direction} LIMIT ${p(filter.limit + 1)}`,
    params,
  )
  const page = rows.slice(0, filter.limit).map((row) => ({ ...row, fields: typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields, secret_fields: typeof row.secret_fields === 'string' ? JSON.parse(row.secret_fields) : row.secret_fields }))
  return { rows: page, nextCursor: rows.length > filter.limit ? encodeCursor(filter.sort, page[page.length - 1]!) : null }
}
