/**
 * Substitution codes in trigger mails and Dooray! messages: `#{ticket.title}` and the like are
 * replaced by the ticket's values when the effect runs. Unknown codes render empty, so a typo
 * shows as a gap rather than as raw syntax in a customer's inbox. In HTML mode every value is
 * HTML-escaped (the template itself is the administrator's HTML); in text mode values go in as
 * they are.
 *
 * Codes: ticket.id (public id, e.g. T1658199661153IXTfw), ticket.number, ticket.title,
 * ticket.content, ticket.status, ticket.channel, ticket.language, ticket.createdAt,
 * ticket.updatedAt, ticket.intakeCategory, ticket.processingCategory (names as "Parent > Child"
 * in the mail's language), customer.email, customer.name, agent.name, agent.email (the
 * assignee), group.name, service.name, trigger.title, field.CODE (any field by code, personal
 * information included: the administrator chose to put it in this message).
 */
import type { TriggerTicket } from '../api.ts'
import type { CategoryTree } from '../categories/tree.ts'
import { textIn } from '../shared/localized.ts'
import type { TicketRow } from '../tickets/store.ts'
import { iso } from '../tickets/store.ts'
import { ticketAttributes } from '../tickets/views.ts'

const CODE = /#\{([A-Za-z0-9_.-]+)\}/g

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export function substitute(template: string, values: ReadonlyMap<string, string>, mode: 'text' | 'html'): string {
  return template.replace(CODE, (_, code: string) => {
    const value = values.get(code) ?? ''
    return mode === 'html' ? escapeHtml(value) : value
  })
}

/** Everything a message about one ticket may mention, resolved once per effect. */
export interface RenderSubject {
  readonly ticket: TicketRow
  /** Every field value by code, personal-info values decrypted. */
  readonly fields: Readonly<Record<string, unknown>>
  /** The requester's address, opened where the service keeps it sealed (`ticket.requester_email` is then null). */
  readonly requesterEmail: string | null
  readonly service: { readonly name: string; readonly defaultLanguage: string }
  readonly intake: CategoryTree
  readonly processing: CategoryTree
  readonly assignee: { readonly name: string; readonly email: string } | null
  readonly group: { readonly name: string } | null
  readonly trigger: { readonly id: string; readonly title: string }
}

const fieldText = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object' && 'from' in value && 'to' in value) return `${(value as { from: string }).from} ~ ${(value as { to: string }).to}`
  return String(value)
}

function categoryPath(tree: CategoryTree, id: string | null, language: string, defaultLanguage: string): string {
  const node = id ? tree.get(id) : undefined
  if (!node) return ''
  return node.pathIds.map((pid) => textIn(tree.get(pid)!.names, language, defaultLanguage)).join(' > ')
}

/** The value of every code for this ticket, in `language` (category names). */
export function substitutionValues(subject: RenderSubject, language: string): Map<string, string> {
  const t = subject.ticket
  const { defaultLanguage } = subject.service
  const values = new Map<string, string>([
    ['ticket.id', t.public_id],
    ['ticket.number', String(Number(t.number))],
    ['ticket.title', t.title],
    ['ticket.content', t.content],
    ['ticket.status', t.status],
    ['ticket.channel', t.channel],
    ['ticket.language', t.language ?? ''],
    ['ticket.createdAt', iso(t.created_at)],
    ['ticket.updatedAt', iso(t.updated_at)],
    ['ticket.intakeCategory', categoryPath(subject.intake, t.intake_category_id, language, defaultLanguage)],
    ['ticket.processingCategory', categoryPath(subject.processing, t.processing_category_id, language, defaultLanguage)],
    ['customer.email', subject.requesterEmail ?? ''],
    ['customer.name', t.requester_name ?? ''],
    ['agent.name', subject.assignee?.name ?? ''],
    ['agent.email', subject.assignee?.email ?? ''],
    ['group.name', subject.group?.name ?? ''],
    ['service.name', subject.service.name],
    ['trigger.title', subject.trigger.title],
  ])
  for (const [code, value] of Object.entries(subject.fields)) values.set(`field.${code}`, fieldText(value))
  return values
}

/** The language a message goes out in: the ticket's, else the service's default, else any the trigger has. */
export function messageLanguage(available: readonly string[], ticketLanguage: string | null, defaultLanguage: string): string {
  if (ticketLanguage && available.includes(ticketLanguage)) return ticketLanguage
  if (available.includes(defaultLanguage)) return defaultLanguage
  return available[0] ?? defaultLanguage
}

/** The ticket as callbacks and plugin actions receive it (personal-info values left out). */
export const triggerTicket = (row: TicketRow): TriggerTicket => ticketAttributes(row)
