/** Who did something to a ticket, as stored in history, entries and `created_by`. */
import { actorOf, type ActorRef, type Principal } from '../../../core/mod.ts'

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
