/**
 * The facts of one event that conditions test: which kind of event, what it changed, and the
 * ticket's values, built once per event from the ticket row. Personal-info field values are
 * decrypted only for the codes some condition reads.
 */
import type { EventEnvelope, TenantCrypto } from '../../../core/mod.ts'
import { fieldContext } from '../tickets/field-values.ts'
import type { TicketRow } from '../tickets/store.ts'
import type { TicketFacts } from './compile.ts'
import type { EventKind } from './model.ts'
import { withRequesterEmail } from '../tickets/requester-email.ts'

/** What a ticket event means to triggers; null for events triggers ignore (see the rule in run.ts). */
export interface EventMeaning {
  readonly kind: EventKind
  readonly changed: readonly string[]
  readonly ticketId: string
  readonly actorType: string
}

export function eventMeaning(event: EventEnvelope): EventMeaning | null {
  const payload = event.payload as { id: string; changed?: string[]; kind?: string; actor?: { type: string } }
  const actorType = payload.actor?.type ?? 'unknown'
  switch (event.type) {
    case 'ticket.created':
      return { kind: 'created', changed: [], ticketId: payload.id, actorType }
    case 'ticket.updated':
      return { kind: 'updated', changed: payload.changed ?? [], ticketId: payload.id, actorType }
    case 'ticket.replied':
      if (payload.kind !== 'customer-reply' && payload.kind !== 'agent-reply' && payload.kind !== 'note') return null
      return { kind: payload.kind, changed: payload.changed ?? [], ticketId: payload.id, actorType }
    default:
      return null
  }
}

export async function ticketFacts(sealed: TicketRow, kind: EventKind, changed: readonly string[], secretCodes: ReadonlySet<string>, crypto: () => TenantCrypto): Promise<TicketFacts> {
  const row = await withRequesterEmail(sealed, crypto)
  let fields: Record<string, unknown> = row.fields
  const wanted = [...secretCodes].filter((code) => code in row.secret_fields)
  if (wanted.length) {
    fields = { ...row.fields }
    const sealed = crypto()
    for (const code of wanted) fields[code] = JSON.parse(await sealed.decrypt(row.secret_fields[code]!, fieldContext(code)))
  }
  const email = (row.requester_email ?? '').toLowerCase()
  return {
    kind,
    changed: new Set(changed),
    channel: row.channel,
    status: row.status,
    intakeCategoryId: row.intake_category_id,
    processingCategoryId: row.processing_category_id,
    requesterEmail: email,
    requesterDomain: email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '',
    title: row.title,
    content: row.content,
    titleLower: row.title.toLowerCase(),
    contentLower: row.content.toLowerCase(),
    assigneeAgentId: row.assignee_agent_id,
    assigneeGroupId: row.assignee_group_id,
    fields,
  }
}
