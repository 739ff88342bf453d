/**
 * Who did something to a ticket: as stored in history, entries and `created_by`
 * ({@link TicketActor}), and how a tickets-service actor ({@link TicketsActor}) becomes that, the
 * audit trail's actor, and the kind of form it fills.
 */
import { actorOf, type ActorRef, type AuditActor, type Principal } from '../../../core/mod.ts'
import type { TicketsActor } from '../api.ts'
import type { Filler } from './checks.ts'

export type TicketActor =
  | ActorRef
  | { readonly type: 'agent'; readonly id: string; readonly label: string }
  /** A ticket trigger (T4) changing a ticket: id is the trigger's id, label its title. Triggers never react to these changes. */
  | { readonly type: 'trigger'; readonly id: string; readonly label: string }

export function ticketActor(principal: Principal): TicketActor {
  // The agent id, when there is one, is what assignment and reports join on.
  if (principal.kind === 'member' && principal.agent) return { type: 'agent', id: principal.agent.agentId, label: principal.email }
  return actorOf(principal)
}

/** The actor of a request: its principal, address and request id. */
export function requestTicketsActor(c: { get(key: 'principal'): Principal; get(key: 'clientAddress'): string | undefined; get(key: 'requestId'): string }): TicketsActor {
  return { kind: 'request', principal: c.get('principal'), ip: c.get('clientAddress'), requestId: c.get('requestId') }
}

/** How history, entries and `created_by` name the actor. Customers and mail senders are no principal: `anonymous`, with their label. */
export function storedActor(actor: TicketsActor): TicketActor {
  switch (actor.kind) {
    case 'request':
      return ticketActor(actor.principal)
    case 'customer':
    case 'mail':
      return { type: 'anonymous', id: null, label: actor.label }
    case 'trigger':
      return { type: 'trigger', id: actor.id, label: actor.title }
    default: {
      const unreachable: never = actor
      return unreachable
    }
  }
}

const NOBODY: Principal = { kind: 'anonymous' }

/** The audit trail's actor: a request's principal and address; the others are no principal (see {@link auditBy}). */
export function auditActor(actor: TicketsActor): AuditActor {
  return actor.kind === 'request' ? { principal: actor.principal, ip: actor.ip, requestId: actor.requestId } : { principal: NOBODY, ip: undefined, requestId: undefined }
}

/** For an actor without a principal, `{ by }` naming it in the audit entry's `after` (the trail's actor columns say only `anonymous`). */
export function auditBy(actor: TicketsActor): { by?: { type: string; id: string | null; label: string | null; kind: TicketsActor['kind'] } } {
  if (actor.kind === 'request') return {}
  const stored = storedActor(actor)
  return { by: { kind: actor.kind, type: stored.type, id: stored.id, label: stored.label } }
}

/**
 * The form the actor fills: service keys file on behalf of customers; agents on the phone see
 * phone fields; mail has a form of its own (see `fieldSpecFor`).
 */
export function fillerOf(actor: TicketsActor, channel: string): Filler {
  switch (actor.kind) {
    case 'request':
      return actor.principal.kind === 'service-key' || actor.principal.kind === 'anonymous' ? 'customer' : channel === 'phone' ? 'phone' : 'agent'
    case 'customer':
      return 'customer'
    case 'mail':
      return 'mail'
    case 'trigger':
      return 'agent'
    default: {
      const unreachable: never = actor
      return unreachable
    }
  }
}
