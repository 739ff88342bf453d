/**
 * Agent fields an administrator marked "admins only" (T5): agents with the `agent` role neither
 * see their values (in tickets and history) nor set them; administrators, organization owners,
 * operators and service keys do. The rule is read per request, inside its transaction.
 */
import { errors, type Principal, type Queryable, type Service } from '../../../core/mod.ts'
import type { TicketsActor } from '../api.ts'
import { listFields } from '../fields/store.ts'
import type { TicketFieldSpec } from '../fields/ticket-fields.ts'

export function seesAdminFields(principal: Principal): boolean {
  switch (principal.kind) {
    case 'member':
      return principal.orgRole === 'owner' || principal.agent?.role === 'admin'
    case 'operator':
    case 'service-key':
      return true
    case 'anonymous':
      return false
    default: {
      const unreachable: never = principal
      return unreachable
    }
  }
}

/** Codes of the fields this principal may not see or set; empty for administrators. */
export async function hiddenFieldCodes(tx: Queryable, service: Service, principal: Principal): Promise<ReadonlySet<string>> {
  if (seesAdminFields(principal)) return new Set()
  const agentFields = await listFields(tx, service, 'agent')
  return new Set(agentFields.filter((f) => f.visibility === 'admins').map((f) => f.code))
}

/** The codes hidden from a tickets-service actor: a request's principal's; customers, mail and triggers are not agents and see what their form shows. */
export function hiddenFrom(tx: Queryable, service: Service, actor: TicketsActor): Promise<ReadonlySet<string>> {
  return actor.kind === 'request' ? hiddenFieldCodes(tx, service, actor.principal) : Promise.resolve(new Set())
}

/** The spec without hidden fields; refuses values sent for them, naming each. */
export function withoutHidden(spec: TicketFieldSpec, hidden: ReadonlySet<string>, sent: Record<string, unknown>): TicketFieldSpec {
  if (!hidden.size) return spec
  const refused = Object.keys(sent).filter((code) => hidden.has(code))
  if (refused.length) throw errors.invalid(refused.map((code) => ({ path: `body.fields.${code}`, message: `'${code}' is an agent field only administrators may set; leave it out or ask an administrator`, code: 'admins_only' })))
  return { ...spec, definitions: spec.definitions.filter((d) => !hidden.has(d.code)) }
}
