/**
 * What the ticket work loads before validating a ticket's field values: the definitions that
 * apply to a ticket (its intake category's form, and the agent fields) and the intake categories
 * the intake-type field may name. Pass the result to `validateFieldValues`.
 */
import type { Queryable, Service } from '../../../core/mod.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { intakeFormFields } from './category-fields-store.ts'
import { listFields, systemFieldIsPersonal } from './store.ts'
import type { FieldDefinition } from './types.ts'

export interface TicketFieldSpec {
  /** In form order: the intake category's customer fields, then (if asked) the agent fields. */
  readonly definitions: FieldDefinition[]
  /** Ids the intake-type field accepts: the categories customers see, or every one for agents. */
  readonly intakeCategoryIds: ReadonlySet<string>
  /** The service keeps the requester's e-mail address sealed (its `email` system field is personal info), whatever the form. */
  readonly requesterEmailSealed: boolean
}

export interface TicketFieldScope {
  /** The ticket's intake category; null when it has none yet (then only agent fields apply). */
  readonly intakeCategoryId: string | null
  /** Who fills the form: customers see only active categories and no phone fields. */
  readonly filledBy: 'customer' | 'agent' | 'phone'
  /** Add the agent fields (for agents' writes). */
  readonly includeAgentFields: boolean
}

/**
 * @example
 * const spec = await ticketFieldSpec(tx, service, { intakeCategoryId, filledBy: 'customer', includeAgentFields: false })
 * const result = validateFieldValues(spec.definitions, body.fields, { timeZone: service.timezone, intakeCategoryIds: spec.intakeCategoryIds })
 */
export async function ticketFieldSpec(tx: Queryable, service: Pick<Service, 'languages'>, scope: TicketFieldScope): Promise<TicketFieldSpec> {
  // Issued together, so a driver that pipelines sends them in one round trip.
  const [tree, form, agentFields, requesterEmailSealed] = await Promise.all([
    loadCategoryTree(tx, 'intake'),
    scope.intakeCategoryId ? intakeFormFields(tx, service, scope.intakeCategoryId, { includePhoneFields: scope.filledBy === 'phone' }) : [],
    scope.includeAgentFields ? listFields(tx, service, 'agent') : [],
    systemFieldIsPersonal(tx, 'email'),
  ])
  const categories = tree.depthFirst().filter((c) => scope.filledBy !== 'customer' || c.visible)
  return { definitions: [...form.map((f) => f.field), ...agentFields], intakeCategoryIds: new Set(categories.map((c) => c.id)), requesterEmailSealed }
}
