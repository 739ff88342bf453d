/**
 * The assignment result: which agent (and group) a ticket goes to.
 *
 * The pool is the trigger's `agentIds` in the order given, else the group's members, else every
 * agent, in the order they were added to the service. An agent is eligible when they may handle
 * tickets (admin, or holding the `ticket` permission), their ticket assignment is on, and they
 * hold fewer open (not completed) tickets than their cap. Modes:
 * - `agent`: the named agent, if eligible;
 * - `random`: any eligible agent of the pool, uniformly;
 * - `round-robin`: the pool in order from the trigger's cursor, skipping ineligible agents; the
 *   cursor moves past the agent picked. The cursor row is locked until the ticket's transaction
 *   ends, so two tickets assigned at once get consecutive slots, never the same one.
 * With no eligible agent the ticket still goes to the group (if one is named) and the log says why.
 * Agents are read in the event's transaction (they are service rows under row-level security).
 */
import type { Queryable } from '../../../core/mod.ts'
import { TicketAgentSettings } from '../agents.ts'
import type { AssignResult } from './model.ts'
import { openTicketCounts, readCursor, writeCursor } from './store.ts'

export interface AssignableAgent {
  readonly id: string
  readonly canHandleTickets: boolean
  readonly ticketAssignment: boolean
  readonly assignmentCap: number | null
  readonly groupIds: readonly string[]
}

export async function assignableAgents(tx: Queryable): Promise<AssignableAgent[]> {
  const rows = await tx.sql<{ id: string; role: string; permissions: string[]; settings: unknown; group_ids: string[] | null }>`
    SELECT a.id, a.role, a.permissions, a.plugin_settings -> 'ticket' AS settings,
      (SELECT array_agg(m.group_id::text) FROM oc_agent_group_members m WHERE m.agent_id = a.id) AS group_ids
    FROM oc_agents a ORDER BY a.created_at, a.id`
  return rows.map((r) => {
    // As the agent API reads them: a value the schema no longer takes reads as the default.
    const parsed = TicketAgentSettings.safeParse(r.settings ?? {})
    const settings = parsed.success ? parsed.data : TicketAgentSettings.parse({})
    return {
      id: r.id,
      canHandleTickets: r.role === 'admin' || r.permissions.includes('ticket'),
      ticketAssignment: settings.assignment,
      assignmentCap: settings.assignmentCap,
      groupIds: r.group_ids ?? [],
    }
  })
}

export interface AssignmentOutcome {
  readonly agentId: string | null
  /** The group the ticket goes to; undefined leaves the ticket's group as it is. */
  readonly groupId: string | null | undefined
  /** Why no agent was picked, when none was. */
  readonly error?: string
}

/**
 * Resolves one assignment. `claim`: take the round-robin slot for good (the runner); without it
 * the cursor is only read (the dry run).
 */
export async function resolveAssignment(tx: Queryable, triggerId: string, result: AssignResult, claim: boolean): Promise<AssignmentOutcome> {
  const agents = await assignableAgents(tx)
  const byId = new Map(agents.map((a) => [a.id, a]))
  const groupId = result.groupId ?? undefined
  const pool: string[] =
    result.mode === 'agent'
      ? [result.agentId!]
      : result.agentIds?.length
        ? [...result.agentIds]
        : agents.filter((a) => !result.groupId || a.groupIds.includes(result.groupId)).map((a) => a.id)
  const capped = pool.filter((id) => byId.get(id)?.assignmentCap !== null && byId.get(id)?.assignmentCap !== undefined)
  const open = await openTicketCounts(tx, capped)
  const whyNot = (id: string): string | null => {
    const agent = byId.get(id)
    if (!agent) return `agent ${id} is no longer an agent of this service`
    if (!agent.canHandleTickets) return `agent ${id} has no ticket permission`
    if (!agent.ticketAssignment) return `agent ${id} has ticket assignment switched off`
    if (agent.assignmentCap !== null && (open.get(id) ?? 0) >= agent.assignmentCap) return `agent ${id} is at their cap of ${agent.assignmentCap} open tickets`
    return null
  }
  const none = (error: string): AssignmentOutcome => ({ agentId: null, groupId, error })
  if (!pool.length) return none(result.groupId ? `group ${result.groupId} has no agents` : 'the service has no agents')
  switch (result.mode) {
    case 'agent': {
      const reason = whyNot(pool[0]!)
      return reason ? none(reason) : { agentId: pool[0]!, groupId }
    }
    case 'random': {
      const eligible = pool.filter((id) => whyNot(id) === null)
      if (!eligible.length) return none(`no agent of the ${pool.length} to pick from is available (assignment off, at cap or without ticket permission)`)
      return { agentId: eligible[Math.floor(Math.random() * eligible.length)]!, groupId }
    }
    case 'round-robin': {
      const start = await readCursor(tx, triggerId, claim)
      for (let k = 0; k < pool.length; k++) {
        const id = pool[(start + k) % pool.length]!
        if (whyNot(id) !== null) continue
        if (claim) await writeCursor(tx, triggerId, start + k + 1)
        return { agentId: id, groupId }
      }
      return none(`no agent of the ${pool.length} to pick from is available (assignment off, at cap or without ticket permission)`)
    }
    default: {
      const unreachable: never = result.mode
      throw new Error(`unknown assignment mode ${String(unreachable)}`)
    }
  }
}
