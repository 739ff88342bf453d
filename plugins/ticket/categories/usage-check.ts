/**
 * The shape of one check of what keeps a category from being deleted (see usage.ts, which runs
 * them all). Apart from usage.ts, so the stores that contribute a check depend on this and not
 * on the list that imports them.
 */
import type { Queryable } from '../../../core/mod.ts'
import type { CategoryKind } from './kinds.ts'

export interface CategoryUsage {
  /** A short key for the issue path, e.g. `children`, `fields`, `tickets`. */
  readonly key: string
  readonly count: number
  /** Plural noun phrase for the message, e.g. `child categories`. */
  readonly what: string
  /** How to free the category from this use, for the message. */
  readonly fix: string
}

export interface CategoryRef {
  readonly kind: CategoryKind
  readonly id: string
}

/** One kind of use; returns null when the category is free of it. Runs in the deleting transaction. */
export type CategoryUsageCheck = (tx: Queryable, category: CategoryRef) => Promise<CategoryUsage | null>
