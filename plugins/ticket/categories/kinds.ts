/**
 * The two category trees of a service (T2, T3) and what tells them apart: customers pick an
 * intake category in the help center, so only intake categories can be switched off; agents
 * pick a processing category when they handle a ticket.
 */

export type CategoryKind = 'intake' | 'processing'

export interface CategoryKindInfo {
  readonly kind: CategoryKind
  /** The resource segment of the routes, under the plugin's prefix (`/api/v1/ticket/`). */
  readonly resource: 'intake-categories' | 'processing-categories'
  /** For messages: "intake category 'Billing' ...". */
  readonly label: string
  /** Prefix of audit actions and OpenAPI schema names. */
  readonly auditType: string
  readonly schemaPrefix: string
  /** Only intake categories are activated and deactivated (they are what customers see). */
  readonly switchable: boolean
}

export const CATEGORY_KINDS: Readonly<Record<CategoryKind, CategoryKindInfo>> = {
  intake: { kind: 'intake', resource: 'intake-categories', label: 'intake category', auditType: 'ticket-intake-category', schemaPrefix: 'TicketIntakeCategory', switchable: true },
  processing: { kind: 'processing', resource: 'processing-categories', label: 'processing category', auditType: 'ticket-processing-category', schemaPrefix: 'TicketProcessingCategory', switchable: false },
}

/** The guide allows 1–5 levels for both trees. */
export const MAX_CATEGORY_DEPTH = 5

/** A ceiling per tree, so that loading a whole tree into memory (which every change does) stays cheap. */
export const MAX_CATEGORIES_PER_TREE = 3000
