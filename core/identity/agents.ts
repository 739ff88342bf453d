/**
 * Agents (C4): members added to a service with a role, permissions and the per-agent settings of
 * plugins. Rows live in a tenant table and are read and written in the request's tenant
 * transaction; member details (address, name) come from the organization's members. Which
 * permissions exist and how they combine is the plugins' to say (core/plugin/permissions.ts).
 */
import type { Queryable } from '../storage/db.ts'
import type { AgentRole } from '../plugin/permissions.ts'

export type { AgentRole }

export interface AgentRecord {
  id: string
  memberId: string
  role: AgentRole
  permissions: string[]
  /** As stored: read through the settings catalogue, which applies each plugin's defaults. */
  pluginSettings: Record<string, unknown>
  groupIds: string[]
  createdAt: string
  updatedAt: string
}

interface AgentRow {
  id: string
  member_id: string
  role: AgentRole
  permissions: string[]
  plugin_settings: Record<string, unknown>
  group_ids: string[] | null
  created_at: Date
  updated_at: Date
}

const toRecord = (r: AgentRow): AgentRecord => ({
  id: r.id,
  memberId: r.member_id,
  role: r.role,
  permissions: r.permissions,
  pluginSettings: r.plugin_settings,
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
  permissions: string[]
  pluginSettings: Readonly<Record<string, unknown>>
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
      INSERT INTO oc_agents (org_id, member_id, role, permissions, plugin_settings)
      VALUES (${orgId}, ${input.memberId}, ${input.role}, string_to_array(${input.permissions.join(',')}, ',')::text[], ${JSON.stringify(input.pluginSettings)}::jsonb)
      ON CONFLICT (service_id, member_id) DO NOTHING
      RETURNING id`
    return row ? agents.byId(tx, row.id) : null
  },
  async update(tx: Queryable, id: string, next: Omit<AgentInput, 'memberId'>): Promise<AgentRecord | null> {
    const [row] = await tx.sql<{ id: string }>`
      UPDATE oc_agents SET role = ${next.role}, permissions = string_to_array(${next.permissions.join(',')}, ',')::text[],
        plugin_settings = ${JSON.stringify(next.pluginSettings)}::jsonb, updated_at = now()
      WHERE id = ${id} RETURNING id`
    return row ? agents.byId(tx, row.id) : null
  },
  async remove(tx: Queryable, id: string): Promise<boolean> {
    return (await tx.sql`DELETE FROM oc_agents WHERE id = ${id} RETURNING id`).length > 0
  },
}
