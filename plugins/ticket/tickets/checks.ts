/**
 * The checks a ticket write shares: the ids it names (requester member, assignees, categories,
 * files) are the tenant's (core/tenancy/references.ts: row-level security makes another tenant's
 * ids look absent, so they are refused like unknown ones, 422 at the field), and field values
 * pass the form that applies.
 */
import { checkReferences, coreReferences, errors, type FieldIssue, type Queryable, type Service } from '../../../core/mod.ts'
import { ticketReferences } from '../shared/references.ts'
import { ticketFieldSpec, type TicketFieldSpec } from '../fields/ticket-fields.ts'
import { validateFieldValues, type FieldValue } from '../fields/validate-values.ts'

/** System fields the request carries as top-level attributes, and where their issues point. */
export const TOP_LEVEL_FIELDS: Readonly<Record<string, string>> = {
  title: 'body.title',
  content: 'body.content',
  email: 'body.requester.email',
  intake_type: 'body.intakeCategoryId',
}

/** The ids a ticket body may carry (create and change alike); each must be the service's (the member: the organization's). */
export interface TicketReferences {
  requester?: { memberId?: string | null } | undefined
  assigneeAgentId?: string | null
  assigneeGroupId?: string | null
  intakeCategoryId?: string | null
  processingCategoryId?: string | null
  attachmentIds?: readonly string[] | undefined
}

/** Refuses (422 `unknown_reference`, at each field) every id of `input` this tenant does not have, before anything is written. */
export async function checkTicketReferences(tx: Queryable, input: TicketReferences): Promise<void> {
  await checkReferences(tx, [
    { path: 'body.requester.memberId', kind: coreReferences.member, id: input.requester?.memberId },
    { path: 'body.assigneeAgentId', kind: coreReferences.agent, id: input.assigneeAgentId },
    { path: 'body.assigneeGroupId', kind: coreReferences.group, id: input.assigneeGroupId },
    { path: 'body.intakeCategoryId', kind: ticketReferences.intakeCategory, id: input.intakeCategoryId },
    { path: 'body.processingCategoryId', kind: ticketReferences.processingCategory, id: input.processingCategoryId },
    ...(input.attachmentIds ?? []).map((id, i) => ({ path: `body.attachmentIds.${i}`, kind: ticketReferences.attachment, id })),
  ])
}

/** Who fills the form: service keys file on behalf of customers; agents on the phone see phone fields; `mail`: a mail taken in. */
export type Filler = 'customer' | 'agent' | 'phone' | 'mail'

/**
 * The form a ticket's values are checked against. A mail is no filled-in form: it gets the
 * customer form of the intake category it names (usually none, then only the title and content
 * limits apply) with nothing required, so the web form's required fields (privacy consent
 * included) never refuse a mail, while every value it does carry (category, field values, the
 * sender's address where the form has the `email` field) is checked as a customer's would be.
 */
export async function fieldSpecFor(tx: Queryable, service: Service, intakeCategoryId: string | null, filler: Filler): Promise<TicketFieldSpec> {
  if (filler === 'mail') {
    const form = await ticketFieldSpec(tx, service, { intakeCategoryId, filledBy: 'customer', includeAgentFields: false })
    return { ...form, definitions: form.definitions.map((d) => (d.required ? { ...d, required: false } : d)) }
  }
  return ticketFieldSpec(tx, service, { intakeCategoryId, filledBy: filler, includeAgentFields: filler !== 'customer' })
}

/** Where a field's issue points: its top-level attribute, or its place among the fields. */
const fieldPath = (code: string) => TOP_LEVEL_FIELDS[code] ?? `body.fields.${code}`

function topLevelIssues(fields: Record<string, unknown>): FieldIssue[] {
  return Object.keys(fields)
    .filter((code) => code in TOP_LEVEL_FIELDS)
    .map((code) => ({ path: `body.fields.${code}`, message: `'${code}' is sent as ${TOP_LEVEL_FIELDS[code]}, not among the fields`, code: 'misplaced_field' }))
}

/**
 * Validates a new ticket's values: the form's fields plus the top-level system values.
 * Returns the normalized values of the `fields` part only (top-level ones live in columns).
 */
export function validateNewTicketFields(spec: TicketFieldSpec, service: Service, top: Record<string, unknown>, fields: Record<string, unknown>): Record<string, FieldValue> {
  const misplaced = topLevelIssues(fields)
  const defined = new Set(spec.definitions.map((d) => d.code))
  const values: Record<string, unknown> = { ...fields }
  for (const [code, value] of Object.entries(top)) if (defined.has(code)) values[code] = value
  const result = validateFieldValues(spec.definitions, values, { timeZone: service.timezone, intakeCategoryIds: spec.intakeCategoryIds, pathOf: fieldPath })
  const issues = [...misplaced, ...(result.ok ? [] : result.issues)]
  if (issues.length) throw errors.invalid(issues)
  const out = { ...(result.ok ? result.values : {}) }
  for (const code of Object.keys(TOP_LEVEL_FIELDS)) delete out[code]
  return out
}

/** Validates the codes a change sends; null (or empty) clears an optional field. */
export function validateFieldChange(spec: TicketFieldSpec, service: Service, fields: Record<string, unknown>): Record<string, FieldValue | null> {
  const byCode = new Map(spec.definitions.map((d) => [d.code, d]))
  const issues = topLevelIssues(fields)
  for (const code of Object.keys(fields)) {
    if (!byCode.has(code) && !(code in TOP_LEVEL_FIELDS)) issues.push({ path: `body.fields.${code}`, message: `there is no field '${code}' on this ticket's form; remove it or use one of ${[...byCode.keys()].join(', ')}`, code: 'unknown_field' })
  }
  if (issues.length) throw errors.invalid(issues)
  const sent = spec.definitions.filter((d) => d.code in fields)
  const result = validateFieldValues(sent, fields, { timeZone: service.timezone, intakeCategoryIds: spec.intakeCategoryIds })
  if (!result.ok) throw errors.invalid(result.issues)
  const cleared = Object.fromEntries(sent.filter((d) => !(d.code in result.values)).map((d) => [d.code, null]))
  return { ...cleared, ...result.values }
}

/** Title and content when the form has no such field (an agent's ticket without an intake category). */
export function checkTitleAndContent(title: string, content: string): void {
  const issues: FieldIssue[] = []
  if (!title.trim()) issues.push({ path: 'body.title', message: "'title' is required; send a value", code: 'required' })
  else if ([...title.trim()].length > 255) issues.push({ path: 'body.title', message: "'title' is longer than 255 characters", code: 'too_long' })
  if (!content.trim()) issues.push({ path: 'body.content', message: "'content' is required; send a value", code: 'required' })
  else if ([...content].length > 20_000) issues.push({ path: 'body.content', message: "'content' is longer than 20000 characters", code: 'too_long' })
  if (issues.length) throw errors.invalid(issues)
}
