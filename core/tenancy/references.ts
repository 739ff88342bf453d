/**
 * Ids a request body uses to name records of its tenant (a member, an agent, a group, a category,
 * a field, a template, a file): each must name a record the tenant has, or the request is refused
 * with 422 `unknown_reference` at the field that carried it, before anything is written.
 *
 * The check runs in the tenant transaction, where row-level security hides every other tenant's
 * rows, so "not found here" is the whole test: another organization's id reads exactly like one
 * that never existed (and the answer says nothing about whether it exists elsewhere). Members
 * belong to the organization, not to a service, so tenant transactions read them through the
 * `oc_tenant_members` view, which shows the ids of the current organization's members only.
 * One query per kind of record, however many ids the body names.
 */
import { errors, type FieldIssue } from '../http/errors.ts'
import type { Queryable } from '../storage/db.ts'
import { isUuid } from '../uuid.ts'

/** A kind of record a body may name, and how to tell which ids the tenant has. */
export interface ReferenceKind {
  /** What the id must name, as the message says it: `a member of this organization`. */
  readonly noun: string
  /** What to send instead: `send the id of one of its members (GET /o/{org}/org/v1/members)`. */
  readonly fix: string
  /** The subset of `ids` (uuids, each once) the tenant has. */
  known(tx: Queryable, ids: readonly string[]): Promise<ReadonlySet<string>>
}

/** One id a body carries: where (`body.requester.memberId`), what it must name, and the id (nothing to check when absent). */
export interface Reference {
  readonly path: string
  readonly kind: ReferenceKind
  readonly id: string | null | undefined
}

/**
 * The kind of record kept in `table` (a constant of the caller's, read under the tenant's
 * row-level security), optionally narrowed by `where` (constant SQL over the table's columns).
 *
 * @example
 * const processingCategory = tableReference('ticket_categories', "kind = 'processing'", 'a processing category of this service', 'send the id of one (GET /ticket/processing-categories)')
 */
export function tableReference(table: string, where: string | null, noun: string, fix: string): ReferenceKind {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`tableReference: '${table}' is not a table name`)
  const text = `SELECT id::text AS id FROM ${table} WHERE id = ANY($1::uuid[])${where ? ` AND (${where})` : ''}`
  return {
    noun,
    fix,
    async known(tx, ids) {
      return new Set((await tx.query<{ id: string }>(text, [ids])).map((r) => r.id))
    },
  }
}

/** The core's records a plugin's bodies may name. */
export const coreReferences = {
  member: tableReference('oc_tenant_members', null, 'a member of this organization', 'send the id of one of its members (GET /o/{org}/org/v1/members), or leave it out'),
  agent: tableReference('oc_agents', null, 'an agent of this service', 'send the id of one of its agents (GET /agents); to add a member as an agent, POST /agents'),
  group: tableReference('oc_agent_groups', null, 'an agent group of this service', 'send the id of one of its groups (GET /groups)'),
} as const

/** The issue of an id the tenant does not have (for callers that found it missing themselves). */
export function unknownReference(path: string, kind: Pick<ReferenceKind, 'noun' | 'fix'>, id: string): FieldIssue {
  return { path, message: `'${id}' is not ${kind.noun}; ${kind.fix}`, code: 'unknown_reference' }
}

/**
 * Refuses the request (422, every unknown id named at its path) unless each id names a record
 * of the tenant of `tx`. Absent ids (null, undefined) are skipped.
 *
 * @example
 * await checkReferences(tx, [
 *   { path: 'body.requester.memberId', kind: coreReferences.member, id: input.requester.memberId },
 *   ...input.agentIds.map((id, i) => ({ path: `body.agentIds.${i}`, kind: coreReferences.agent, id })),
 * ])
 */
export async function checkReferences(tx: Queryable, references: readonly Reference[]): Promise<void> {
  const byKind = new Map<ReferenceKind, Set<string>>()
  for (const ref of references) {
    // A malformed id cannot be the tenant's; zod refuses it first on every route that declares a uuid.
    if (ref.id == null || !isUuid(ref.id)) continue
    let ids = byKind.get(ref.kind)
    if (!ids) byKind.set(ref.kind, (ids = new Set()))
    ids.add(ref.id)
  }
  const known = new Map<ReferenceKind, ReadonlySet<string>>()
  for (const [kind, ids] of byKind) known.set(kind, await kind.known(tx, [...ids]))
  const issues = references.filter((ref) => ref.id != null && !known.get(ref.kind)?.has(ref.id)).map((ref) => unknownReference(ref.path, ref.kind, ref.id!))
  if (issues.length) throw errors.invalid(issues)
}
