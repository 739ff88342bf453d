/** Reading and writing ticket rows, their conversation, attachments and history. Rules live in the routes. */
import { type Queryable, queryWithRecords } from '../../../core/mod.ts'
import type { TicketActor } from './actor.ts'
import { newTicketId } from './ids.ts'
import type { TicketStatus } from './lifecycle.ts'
import type { Channel, EntryKind } from './schemas.ts'

export interface TicketRow {
  id: string
  number: string | number
  public_id: string
  title: string
  content: string
  status: TicketStatus
  channel: Channel
  language: string | null
  requester_email: string | null
  requester_name: string | null
  requester_member_id: string | null
  requester_usercode: string | null
  assignee_agent_id: string | null
  assignee_group_id: string | null
  intake_category_id: string | null
  processing_category_id: string | null
  fields: Record<string, unknown>
  secret_fields: Record<string, string>
  secret_index: string[]
  created_by_type: string
  created_by_id: string | null
  created_at: Date | string
  updated_at: Date | string
  /** Exact timestamps as text, for cursors (JavaScript dates drop the microseconds). */
  created_key: string
  updated_key: string
}

export const TICKET_COLUMNS = `id, number, public_id, title, content, status, channel, language, requester_email, requester_name, requester_member_id, requester_usercode,
  assignee_agent_id, assignee_group_id, intake_category_id, processing_category_id, fields, secret_fields, secret_index, created_by_type, created_by_id, created_at, updated_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key`

export const iso = (value: Date | string) => new Date(value).toISOString()
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

export interface NewTicket {
  /** Chosen by the caller when it issues the ticket's other writes together with the insert; random when absent. */
  id?: string
  number: number
  publicId: string
  title: string
  content: string
  channel: Channel
  language: string | null
  requester: { email: string | null; name: string | null; memberId: string | null; usercode: string | null }
  assigneeAgentId: string | null
  assigneeGroupId: string | null
  intakeCategoryId: string | null
  processingCategoryId: string | null
  fields: Record<string, unknown>
  secretFields: Record<string, string>
  secretIndex: string[]
  createdBy: TicketActor
}

/** What the database decides for a new row: its times, and their exact text (see {@link TICKET_COLUMNS}). */
const INSERTED_COLUMNS = `id, created_at, updated_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key`

/**
 * Inserts the ticket and, in the same statement, its first history entries (`history`, by the
 * ticket's creator) and the transaction's pending events and audit entries (`queryWithRecords`):
 * a create records those first and then costs one statement. The row comes back built from what
 * was inserted and the times the database gave it: reading every column back would cost the
 * server and the driver a conversion per column for values the caller holds already.
 */
export async function insertTicket(tx: Queryable, t: NewTicket, history: readonly HistoryChange[] = []): Promise<TicketRow> {
  const id = t.id ?? newTicketId()
  const [stamps] = await queryWithRecords<Pick<TicketRow, 'created_at' | 'updated_at' | 'created_key' | 'updated_key'>>(
    tx,
    `WITH ticket AS (
       INSERT INTO tickets (number, public_id, title, content, status, channel, language, requester_email, requester_name, requester_member_id, requester_usercode,
         assignee_agent_id, assignee_group_id, intake_category_id, processing_category_id, fields, secret_fields, secret_index, created_by_type, created_by_id, id)
       VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, ARRAY(SELECT jsonb_array_elements_text($17::jsonb)), $18, $19, $20)
       RETURNING ${INSERTED_COLUMNS}),
     history AS (${insertHistory('(SELECT id FROM ticket)', '$21', '$22', '$23', '$24')})
     SELECT created_at, updated_at, created_key, updated_key FROM ticket`,
    [t.number, t.publicId, t.title, t.content, t.channel, t.language, t.requester.email, t.requester.name, t.requester.memberId, t.requester.usercode,
      t.assigneeAgentId, t.assigneeGroupId, t.intakeCategoryId, t.processingCategoryId, JSON.stringify(t.fields), JSON.stringify(t.secretFields), JSON.stringify(t.secretIndex), t.createdBy.type, t.createdBy.id, id,
      historyRows(history), t.createdBy.type, t.createdBy.id, t.createdBy.label],
  )
  return {
    id,
    number: t.number,
    public_id: t.publicId,
    title: t.title,
    content: t.content,
    status: 'new',
    channel: t.channel,
    language: t.language,
    requester_email: t.requester.email,
    requester_name: t.requester.name,
    requester_member_id: t.requester.memberId,
    requester_usercode: t.requester.usercode,
    assignee_agent_id: t.assigneeAgentId,
    assignee_group_id: t.assigneeGroupId,
    intake_category_id: t.intakeCategoryId,
    processing_category_id: t.processingCategoryId,
    fields: { ...t.fields },
    secret_fields: { ...t.secretFields },
    secret_index: [...t.secretIndex],
    created_by_type: t.createdBy.type,
    created_by_id: t.createdBy.id,
    ...stamps!,
  }
}

function normalizeRow(row: TicketRow): TicketRow {
  return { ...row, fields: json(row.fields) ?? {}, secret_fields: json(row.secret_fields) ?? {} }
}

/** The ticket, locked for the rest of the transaction when `forUpdate` (every change takes it). */
export async function findTicket(tx: Queryable, id: string, forUpdate = false): Promise<TicketRow | null> {
  const [row] = await tx.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id])
  return row ? normalizeRow(row) : null
}

/** The ticket by one of its other identifiers (see ids.ts); each is unique per service. */
export async function findTicketBy(tx: Queryable, key: { number: number } | { publicId: string }): Promise<TicketRow | null> {
  const [where, value] = 'number' in key ? ['number = $1::bigint', key.number] : ['public_id = $1', key.publicId]
  const [row] = await tx.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE ${where}`, [value])
  return row ? normalizeRow(row) : null
}

/**
 * The tickets whose requester matches every key given, newest first. `email`: the address in
 * the plain column (any case) or, where it is sealed, any of its blind-index entries (`emailTokens`).
 */
export async function findTicketsByRequester(tx: Queryable, key: { email?: string; emailTokens?: readonly string[]; memberId?: string; usercode?: string }, limit: number): Promise<TicketRow[]> {
  const where: string[] = []
  const params: unknown[] = []
  const param = (value: unknown) => `$${params.push(value)}`
  if (key.email !== undefined) where.push(`(lower(requester_email) = ${param(key.email.toLowerCase())} OR secret_index && ${param(key.emailTokens ?? [])}::text[])`)
  if (key.memberId !== undefined) where.push(`requester_member_id = ${param(key.memberId)}`)
  if (key.usercode !== undefined) where.push(`requester_usercode = ${param(key.usercode)}`)
  if (!where.length) return []
  const rows = await tx.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${param(limit)}`, params)
  return rows.map(normalizeRow)
}

/** Column -> new value; only names from {@link UPDATABLE_COLUMNS} are accepted. */
export type TicketUpdate = Partial<Record<(typeof UPDATABLE_COLUMNS)[number], unknown>>
const UPDATABLE_COLUMNS = ['title', 'status', 'channel', 'intake_category_id', 'processing_category_id', 'assignee_agent_id', 'assignee_group_id', 'requester_email', 'requester_name', 'requester_member_id', 'requester_usercode', 'fields', 'secret_fields', 'secret_index'] as const

export async function updateTicket(tx: Queryable, id: string, change: TicketUpdate): Promise<TicketRow> {
  const sets: string[] = []
  const params: unknown[] = [id]
  for (const column of UPDATABLE_COLUMNS) {
    if (!(column in change)) continue
    const value = change[column]
    params.push(column === 'fields' || column === 'secret_fields' || column === 'secret_index' ? JSON.stringify(value) : value)
    const p = `$${params.length}`
    sets.push(column === 'secret_index' ? `${column} = ARRAY(SELECT jsonb_array_elements_text(${p}::jsonb))` : column === 'fields' || column === 'secret_fields' ? `${column} = ${p}::jsonb` : `${column} = ${p}`)
  }
  sets.push('updated_at = now()')
  const [row] = await tx.query<TicketRow>(`UPDATE tickets SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TICKET_COLUMNS}`, params)
  return normalizeRow(row!)
}

export async function touchTicket(tx: Queryable, id: string, status: TicketStatus): Promise<void> {
  await tx.sql`UPDATE tickets SET status = ${status}, updated_at = now() WHERE id = ${id}`
}

export interface HistoryChange {
  field: string
  from: unknown
  to: unknown
  redacted?: boolean
}

/** History rows as one JSON array. An absent key reads as SQL NULL (`e -> 'from'`), a JSON null as jsonb null: as one insert per change stored them. */
function historyRows(changes: readonly HistoryChange[]): string {
  return JSON.stringify(
    changes.map((change) => {
      const redacted = change.redacted ?? false
      return { field: change.field, redacted, ...(redacted || change.from === undefined ? {} : { from: change.from }), ...(redacted || change.to === undefined ? {} : { to: change.to }) }
    }),
  )
}

/** The history INSERT, its values given as SQL expressions (placeholders, or the ticket of a WITH). */
const insertHistory = (ticketId: string, rows: string, actorType: string, actorId: string, actorLabel: string) =>
  `INSERT INTO ticket_history (ticket_id, field, from_value, to_value, redacted, actor_type, actor_id, actor_label)
    SELECT ${ticketId}, e ->> 'field', e -> 'from', e -> 'to', (e ->> 'redacted')::boolean, ${actorType}, ${actorId}, ${actorLabel}
    FROM jsonb_array_elements(${rows}::jsonb) WITH ORDINALITY AS change(e, position) ORDER BY position`

/** All the changes in one statement, in order (history ids follow it). A redacted or undefined value is stored as SQL NULL. */
export async function recordHistory(tx: Queryable, ticketId: string, actor: TicketActor, changes: readonly HistoryChange[]): Promise<void> {
  if (!changes.length) return
  await tx.query(insertHistory('$1', '$2', '$3', '$4', '$5'), [ticketId, historyRows(changes), actor.type, actor.id, actor.label])
}

export async function listHistory(tx: Queryable, ticketId: string) {
  const rows = await tx.sql<{ id: string; field: string; from_value: unknown; to_value: unknown; redacted: boolean; actor_type: string; actor_id: string | null; actor_label: string | null; at: Date | string }>`
    SELECT id::text AS id, field, from_value, to_value, redacted, actor_type, actor_id, actor_label, at FROM ticket_history WHERE ticket_id = ${ticketId} ORDER BY ticket_history.id`
  return rows.map((r) => ({ id: r.id, field: r.field, from: r.from_value ?? null, to: r.to_value ?? null, redacted: r.redacted, actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label }, at: iso(r.at) }))
}

export async function insertEntry(tx: Queryable, ticketId: string, kind: EntryKind, body: string, author: TicketActor): Promise<{ id: string; createdAt: string }> {
  const [row] = await tx.sql<{ id: string; created_at: Date | string }>`
    INSERT INTO ticket_entries (ticket_id, kind, body, author_type, author_id, author_label) VALUES (${ticketId}, ${kind}, ${body}, ${author.type}, ${author.id}, ${author.label})
    RETURNING id, created_at`
  return { id: row!.id, createdAt: iso(row!.created_at) }
}

interface AttachmentRow {
  id: string
  ticket_id: string | null
  entry_id: string | null
  blob_key: string
  file_name: string
  content_type: string
  size: number
  created_at: Date | string
}
const toAttachment = (r: AttachmentRow) => ({ id: r.id, fileName: r.file_name, contentType: r.content_type, size: r.size, createdAt: iso(r.created_at) })

export async function listEntries(tx: Queryable, ticketId: string) {
  const entries = await tx.sql<{ id: string; kind: EntryKind; body: string; author_type: string; author_id: string | null; author_label: string | null; created_at: Date | string }>`
    SELECT id, kind, body, author_type, author_id, author_label, created_at FROM ticket_entries WHERE ticket_id = ${ticketId} ORDER BY created_at, id`
  const attachments = await tx.sql<AttachmentRow>`SELECT * FROM ticket_attachments WHERE ticket_id = ${ticketId} AND entry_id IS NOT NULL ORDER BY created_at`
  return entries.map((e) => ({
    id: e.id,
    kind: e.kind,
    content: e.body,
    author: { type: e.author_type, id: e.author_id, label: e.author_label },
    attachments: attachments.filter((a) => a.entry_id === e.id).map(toAttachment),
    createdAt: iso(e.created_at),
  }))
}

export async function insertAttachment(tx: Queryable, a: { blobKey: string; fileName: string; contentType: string; size: number; uploadedBy: TicketActor }) {
  const [row] = await tx.sql<AttachmentRow>`
    INSERT INTO ticket_attachments (blob_key, file_name, content_type, size, uploaded_by_type, uploaded_by_id)
    VALUES (${a.blobKey}, ${a.fileName}, ${a.contentType}, ${a.size}, ${a.uploadedBy.type}, ${a.uploadedBy.id}) RETURNING *`
  return toAttachment(row!)
}

export async function findAttachment(tx: Queryable, id: string): Promise<AttachmentRow | null> {
  const [row] = await tx.sql<AttachmentRow>`SELECT * FROM ticket_attachments WHERE id = ${id}`
  return row ?? null
}

/** Binds uploaded, unused attachments to a message; returns the ids that were not free to bind. */
export async function bindAttachments(tx: Queryable, ids: readonly string[], ticketId: string, entryId: string): Promise<string[]> {
  if (!ids.length) return []
  const bound = await tx.sql<{ id: string }>`
    UPDATE ticket_attachments SET ticket_id = ${ticketId}, entry_id = ${entryId}
    WHERE ticket_id IS NULL AND id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) RETURNING id`
  const ok = new Set(bound.map((b) => b.id))
  return ids.filter((id) => !ok.has(id))
}

export async function agentExists(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.sql`SELECT 1 FROM oc_agents WHERE id = ${id}`).length > 0
}
export async function groupExists(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.sql`SELECT 1 FROM oc_agent_groups WHERE id = ${id}`).length > 0
}
