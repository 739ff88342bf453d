/**
 * The audit trail (C15): who changed what, when, from which address. An entry is written in
 * the same transaction as the change it records, so neither exists without the other.
 */
import type { Queryable } from '../storage/db.ts'
import { pendingRecordsOf } from '../storage/pending-records.ts'
import type { Principal } from '../identity/principal.ts'

export interface AuditEntry {
  /** What changed, as `<area or plugin>.<thing>.<verb>`, e.g. `settings.updated`, `agent.created`. */
  action: string
  /** The kind of record and its id, e.g. `agent` / `3f2…`. */
  target: { type: string; id: string }
  /** For settings and other documents: the state before and after (secrets already removed). */
  before?: unknown
  after?: unknown
}

export interface AuditActor {
  principal: Principal
  /** The client address after trusted-proxy handling. */
  ip: string | undefined
  requestId: string | undefined
}

/** Who did something, as trails and histories store it. */
export interface ActorRef {
  readonly type: Principal['kind']
  readonly id: string | null
  readonly label: string | null
}

/** A short, stable description of the actor for the trail. */
export function actorOf(principal: Principal): ActorRef {
  switch (principal.kind) {
    case 'operator':
      return { type: 'operator', id: principal.tokenId, label: null }
    case 'member':
      return { type: 'member', id: principal.memberId, label: principal.email }
    case 'service-key':
      return { type: 'service-key', id: principal.keyId, label: null }
    case 'anonymous':
      return { type: 'anonymous', id: null, label: null }
    default: {
      const unreachable: never = principal
      return unreachable
    }
  }
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value))

/**
 * Records one change. In a tenant transaction the entry belongs to that service and joins the
 * transaction's pending records (one statement with its events, see
 * storage/pending-records.ts); in an owner transaction pass `scope` (organization-level changes
 * have no service).
 */
export async function recordAudit(tx: Queryable, actor: AuditActor, entry: AuditEntry, scope?: { orgId: string; serviceId: string | null }): Promise<void> {
  const who = actorOf(actor.principal)
  const pending = scope ? undefined : pendingRecordsOf(tx)
  if (pending) {
    pending.audit({
      actor_type: who.type, actor_id: who.id, actor_label: who.label, ip: actor.ip ?? null, request_id: actor.requestId ?? null,
      action: entry.action, target_type: entry.target.type, target_id: entry.target.id,
      ...(entry.before === undefined ? {} : { before: JSON.stringify(entry.before) }),
      ...(entry.after === undefined ? {} : { after: JSON.stringify(entry.after) }),
    })
  } else if (scope) {
    await tx.sql`INSERT INTO oc_audit (org_id, service_id, actor_type, actor_id, actor_label, ip, request_id, action, target_type, target_id, before, after)
      VALUES (${scope.orgId}, ${scope.serviceId}, ${who.type}, ${who.id}, ${who.label}, ${actor.ip ?? null}, ${actor.requestId ?? null}, ${entry.action}, ${entry.target.type}, ${entry.target.id}, ${jsonOrNull(entry.before)}::jsonb, ${jsonOrNull(entry.after)}::jsonb)`
  } else {
    await tx.sql`INSERT INTO oc_audit (actor_type, actor_id, actor_label, ip, request_id, action, target_type, target_id, before, after)
      VALUES (${who.type}, ${who.id}, ${who.label}, ${actor.ip ?? null}, ${actor.requestId ?? null}, ${entry.action}, ${entry.target.type}, ${entry.target.id}, ${jsonOrNull(entry.before)}::jsonb, ${jsonOrNull(entry.after)}::jsonb)`
  }
}

/** The actor of the request in `c`: its principal, address and request id. */
export function requestActor(c: { get(key: 'principal'): Principal; get(key: 'clientAddress'): string | undefined; get(key: 'requestId'): string }): AuditActor {
  return { principal: c.get('principal'), ip: c.get('clientAddress'), requestId: c.get('requestId') }
}
