/** Who did something to a ticket, as stored in history, entries and `created_by`. */
import type { Principal } from '../../../core/mod.ts'

export interface TicketActor {
  readonly type: 'operator' | 'agent' | 'member' | 'service-key' | 'anonymous'
  readonly id: string | null
  readonly label: string | null
}

export function ticketActor(principal: Principal): TicketActor {
  switch (principal.kind) {
    case 'operator':
      return { type: 'operator', id: principal.tokenId, label: null }
    case 'member':
      // The agent id, when there is one, is what assignment and reports join on.
      return principal.agent ? { type: 'agent', id: principal.agent.agentId, label: principal.email } : { type: 'member', id: principal.memberId, label: principal.email }
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
