/**
 * The ticket list: filters, sort and keyset pagination. The cursor is opaque to clients
 * (base64url JSON of the sort, the last row's exact timestamp and number); the next page starts
 * strictly after that (timestamp, number) pair, so rows inserted meanwhile never shift a page
 * and a ticket is never returned twice when sorting by creation time. (Sorting by update time,
 * a ticket updated between pages moves, as in any keyset list over a changing key.)
 */
import { errors, searchQuery, type Queryable } from '../../../core/mod.ts'
import { TICKET_COLUMNS, type TicketRow } from './store.ts'
import type { TicketListQuery, TicketSort } from './schemas.ts'

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
  const column = filter.sort.startsWith('created') ? 'created_at' : 'updated_at'
  const direction = filter.sort.endsWith('desc') ? 'DESC' : 'ASC'
  const spec = pageSpec(filter)
  // A search of nothing but punctuation finds nothing, as a search for a word in no ticket would.
  if (spec === null) return { rows: [], nextCursor: null }
  // The page's ids come from `ticket_page` (see page-query.ts); its tickets are read here by key,
  // under the tenant's policies, and put back in the page's order.
  const rows = await tx.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ANY(ticket_page($1::jsonb)) ORDER BY ${column} ${direction}, number ${direction}`, [JSON.stringify(spec)])
  const page = rows.slice(0, filter.limit).map((row) => ({ ...row, fields: typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields, secret_fields: typeof row.secret_fields === 'string' ? JSON.parse(row.secret_fields) : row.secret_fields }))
  return { rows: page, nextCursor: rows.length > filter.limit ? encodeCursor(filter.sort, page[page.length - 1]!) : null }
}

/** The `spec` of `ticket_page` for a filter (one row more than the page, to tell whether another follows); null when the search has no word. */
export function pageSpec(filter: ListFilter): Record<string, unknown> | null {
  const spec: Record<string, unknown> = { sort: filter.sort, limit: filter.limit + 1 }
  const given = {
    numbers: filter.number,
    statuses: filter.status,
    channels: filter.channel,
    assigneeAgentId: filter.assigneeAgentId,
    assigneeGroupId: filter.assigneeGroupId,
    intakeCategoryId: filter.intakeCategoryId,
    processingCategoryId: filter.processingCategoryId,
    usercode: filter.usercode,
    createdFrom: filter.createdFrom,
    createdTo: filter.createdTo,
    updatedFrom: filter.updatedFrom,
    updatedTo: filter.updatedTo,
    field: filter.plainField,
  }
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) spec[key] = value
  }
  if (filter.q !== undefined) {
    const query = searchQuery(filter.q)
    if (query === null) return null
    spec.search = query
  }
  if (filter.requesterEmail) {
    spec.address = filter.requesterEmail.address.toLowerCase()
    spec.tokens = filter.requesterEmail.tokens
  }
  // Tokens of a personal-info value: an empty list matches nothing (the value has no blind index).
  if (filter.secretTokens) spec.tokens = filter.secretTokens
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor, filter.sort)
    // As text: a timestamp as a JSON Date would lose the microseconds the cursor keeps.
    spec.after = { at: cursor.t, number: cursor.n }
  }
  return spec
}
