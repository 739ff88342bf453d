/** A ticket row as the API answers it, with personal-info values decrypted for the caller. */
import type { TenantCrypto } from '../../../core/mod.ts'
import { openFieldValues } from './field-values.ts'
import { withRequesterEmail } from './requester-email.ts'
import { iso, type TicketRow } from './store.ts'

/** `hidden`: field codes the caller may not see (admin-only agent fields for agents). */
export async function ticketView(sealed: TicketRow, crypto: () => TenantCrypto, hidden: ReadonlySet<string> = new Set()) {
  const row = await withRequesterEmail(sealed, crypto)
  return openedTicketView(row, await openFieldValues(crypto, { plain: without(row.fields, hidden), secret: without(row.secret_fields, hidden) }))
}

/**
 * The answer for a row whose requester address (in `requester_email`) and field values are
 * already open, e.g. one just created, whose values the creator holds in plain: no decryption.
 * `fields`: the values the caller may see.
 */
export function openedTicketView(row: TicketRow, fields: Record<string, unknown>) {
  const { fields: _plainOnly, ...attributes } = ticketAttributes(row)
  return {
    ...attributes,
    requester: { ...attributes.requester, memberId: row.requester_member_id, usercode: row.requester_usercode },
    fields,
    createdBy: { type: row.created_by_type, id: row.created_by_id, label: null },
  }
}

/**
 * The ticket's own attributes with its plain (not personal-info) field values: what leaves the
 * platform without decryption, e.g. to trigger callbacks (a sealed requester address is null here).
 */
export function ticketAttributes(row: TicketRow) {
  return {
    id: row.id,
    number: Number(row.number),
    ticketId: row.public_id,
    title: row.title,
    content: row.content,
    status: row.status,
    channel: row.channel,
    language: row.language,
    requester: { email: row.requester_email, name: row.requester_name },
    assigneeAgentId: row.assignee_agent_id,
    assigneeGroupId: row.assignee_group_id,
    intakeCategoryId: row.intake_category_id,
    processingCategoryId: row.processing_category_id,
    fields: { ...row.fields },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

const without = <T>(values: Record<string, T>, hidden: ReadonlySet<string>): Record<string, T> => (hidden.size ? Object.fromEntries(Object.entries(values).filter(([code]) => !hidden.has(code))) : values)

/** What events say about the ticket. */
export const ticketRef = (row: TicketRow) => ({ id: row.id, number: Number(row.number), ticketId: row.public_id })
