/**
 * Agents (C4): members added to a service with a role and permissions, plus their assignment
 * switches and cap. Rows live in a tenant table and are read and written in the request's
 * tenant transaction; member details (address, name) come from the organization's members.
 *
 * Permission rules, from the admin guide: `phone` brings `ticket` with it; administrators hold
 * `callback` (the guide grants it to them by default; here they always hold it); an agent may
 * hold `callback` only together with `phone`.
 */
import { errors } from '../http/errors.ts'
import type { Queryable } from '../storage/db.ts'
import { type Permission, PERMISSIONS } from './principal.ts'

export type AgentRole = 'admin' | 'agent'

/**
 * The permission set an agent actually holds, in canonical order. Throws 422 naming
 * `body.permissions` for an agent with `callback` but no `phone`.
 */
export function normalizePermissions(role: AgentRole, requested: readonly Permission[]): Permission[] {
  const held = new Set(requested)
  if (held.has('phone')) held.add('ticket')
  switch (role) {
    case 'admin':
      held.add('callback')
      break
    case 'agent':
      if (held.has('callback') && !held.has('phone')) {
        throw errors.invalid([{ path: 'body.permissions', message: "an agent may hold 'callback' only with 'phone': add 'phone' or remove 'callback'", code: 'callback_needs_phone' }])
      }
      break
    default: {
      const unreachable: never = role
      throw new Error(`unknown role ${String(unreachable)}`)
    }
  }
  return PERMISSIONS.filter((p) => held.has(p))
}

export interface AgentRecord {
  id: string
  memberId: string
  role: AgentRole
  permissions: Permission[]
  ticketAssignment: boolean
  chatAssignment: boolean
  assignmentCap: number | null
  groupIds: string[]
  createdAt: string
  updatedAt: string
}

interface AgentRow {
  id: string
  member_id: string
  role: AgentRole
  permissions: Permission[]
  ticket_assignment: boolean
  chat_assignment: boolean
  assignment_cap: number | null
  group_ids: string[] | null
  created_at: Date
  updated_at: Date
}

const toRecord = (r: AgentRow): AgentRecord => ({
  id: r.id,
  memberId: r.member_id,
  role: r.role,
  permissions: r.permissions,
  ticketAssignment: r.ticket_assignment,
  chatAssignment: r.chat_assignment,
  assignmentCap: r.assignment_cap,
  groupIds: r.group_ids ?? [],
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
})

const SELECT_AGENTS = `
  SELECT a.*, (SELECT array_agg(g.group_id::text ORDER BY g.group_id) FROM oc_agent_group_members g WHERE g.service_id = a.service_id AND g.agent_id = a.id) AS group_ids
  FROM oc_agents a`

export interface AgentInput {
  memberId: string
  role: AgentRole
  permissions: Permission[]
  ticketAssignment: boolean
  chatAssignment: boolean
  assignmentCap: number | null
}

/** Agent rows of the tenant transaction's service (row-level security narrows every query). */
export const agents = {
  async list(tx: Queryable): Promise<AgentRecord[]> {
    return (await tx.query<AgentRow>(`${SELECT_AGENTS} ORDER BY a.created_at, a.id`)).map(toRecord)
  },
  async byId(tx: Queryable, id: string): Promise<AgentRecord | null> {
    const [row] = await tx.query<AgentRow>(`${SELECT_AGENTS} WHERE a.id = $1`, [id])
    return row ? toRecord(row) : null
  },
  async byMember(tx: Queryable, memberId: string): Promise<AgentRecord | null> {
    const [row] = await tx.query<AgentRow>(`${SELECT_AGENTS} WHERE a.member_id = $1`, [memberId])
    return row ? toRecord(row) : null
  },
  /** Null when the member is already an agent of this service. */
  async create(tx: Queryable, orgId: string, input: AgentInput): Promise<AgentRecord | null> {
    const [row] = await tx.sql<{ id: string }>`
      INSERT INTO oc_agents (org_id, member_id, role, permissions, ticket_assignment, chat_assignment, assignment_cap)
      VALUES (${orgId}, ${input.memberId}, ${input.role}, string_to_array(${input.permissions.join(',')}, ',')::text[], ${input.ticketAssignment}, ${input.chatAssignment}, ${input.assignmentCap})
      ON CONFLICT (service_id, member_id) DO NOTHING
      RETURNING id`
    return row ? agents.byId(tx, row.id) : null
  },
  async update(tx: Queryable, id: string, next: Omit<AgentInput, 'memberId'>): Promise<AgentRecord | null> {
    const [row] = await tx.sql<{ id: string }>`
      UPDATE oc_agents SET role = ${next.role}, permissions = string_to_array(${next.permissions.join(',')}, ',')::text[],
        ticket_assignment = ${next.ticketAssignment}, chat_assignment = ${next.chatAssignment}, assignment_cap = ${next.assignmentCap}, updated_at = now()
      WHERE id = ${id} RETURNING id`
    return row ? agents.byId(tx, row.id) : null
  },
  async remove(tx: Queryable, id: string): Promise<boolean> {
    return (await tx.sql`DELETE FROM oc_agents WHERE id = ${id} RETURNING id`).length > 0
  },
}
