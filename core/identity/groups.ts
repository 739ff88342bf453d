/**
 * Agent groups (C5) and their membership, in the tenant transaction of the request. Triggers
 * use groups to assign tickets and notify people; a group holds agents of its own service only
 * (the foreign keys carry the service, so another service's agent cannot be added).
 */
import { errors } from '../http/errors.ts'
import type { Queryable } from '../storage/db.ts'
import { checkReferences, coreReferences } from '../tenancy/references.ts'

export interface GroupRecord {
  id: string
  name: string
  description: string
  agentIds: string[]
  createdAt: string
  updatedAt: string
}

interface GroupRow {
  id: string
  name: string
  description: string
  agent_ids: string[] | null
  created_at: Date
  updated_at: Date
}

const toRecord = (r: GroupRow): GroupRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  agentIds: r.agent_ids ?? [],
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
})

const SELECT_GROUPS = `
  SELECT g.*, (SELECT array_agg(m.agent_id::text ORDER BY m.agent_id) FROM oc_agent_group_members m WHERE m.service_id = g.service_id AND m.group_id = g.id) AS agent_ids
  FROM oc_agent_groups g`

/** Refuses ids that are not agents of this service, naming each, before anything is written. */
async function checkAgents(tx: Queryable, agentIds: readonly string[], path: string): Promise<void> {
  await checkReferences(tx, agentIds.map((id, i) => ({ path: `${path}.${i}`, kind: coreReferences.agent, id })))
}

export const groups = {
  async list(tx: Queryable): Promise<GroupRecord[]> {
    return (await tx.query<GroupRow>(`${SELECT_GROUPS} ORDER BY g.name`)).map(toRecord)
  },
  async byId(tx: Queryable, id: string): Promise<GroupRecord | null> {
    const [row] = await tx.query<GroupRow>(`${SELECT_GROUPS} WHERE g.id = $1`, [id])
    return row ? toRecord(row) : null
  },
  /** Null when the name is taken in this service. */
  async create(tx: Queryable, input: { name: string; description: string; agentIds: string[] }): Promise<GroupRecord | null> {
    await checkAgents(tx, input.agentIds, 'body.agentIds')
    const [row] = await tx.sql<{ id: string }>`
      INSERT INTO oc_agent_groups (name, description) VALUES (${input.name}, ${input.description})
      ON CONFLICT (service_id, name) DO NOTHING RETURNING id`
    if (!row) return null
    await groups.setAgents(tx, row.id, input.agentIds)
    return groups.byId(tx, row.id)
  },
  /** Null when there is no such group; throws 409 when the new name is taken. */
  async update(tx: Queryable, id: string, patch: { name?: string; description?: string; agentIds?: string[] }): Promise<GroupRecord | null> {
    if (patch.agentIds) await checkAgents(tx, patch.agentIds, 'body.agentIds')
    if (patch.name !== undefined) {
      const [taken] = await tx.sql`SELECT 1 FROM oc_agent_groups WHERE name = ${patch.name} AND id <> ${id}`
      if (taken) throw errors.conflict(`a group named '${patch.name}' already exists in this service; choose another name`)
    }
    const [row] = await tx.sql<{ id: string }>`
      UPDATE oc_agent_groups SET name = coalesce(${patch.name ?? null}, name), description = coalesce(${patch.description ?? null}, description), updated_at = now()
      WHERE id = ${id} RETURNING id`
    if (!row) return null
    if (patch.agentIds) await groups.setAgents(tx, id, patch.agentIds)
    return groups.byId(tx, id)
  },
  async remove(tx: Queryable, id: string): Promise<boolean> {
    return (await tx.sql`DELETE FROM oc_agent_groups WHERE id = ${id} RETURNING id`).length > 0
  },
  async setAgents(tx: Queryable, groupId: string, agentIds: readonly string[]): Promise<void> {
    await tx.sql`DELETE FROM oc_agent_group_members WHERE group_id = ${groupId}`
    for (const agentId of new Set(agentIds)) await tx.sql`INSERT INTO oc_agent_group_members (group_id, agent_id) VALUES (${groupId}, ${agentId})`
  },
  /** Adds one agent; false when it was already in the group. */
  async addAgent(tx: Queryable, groupId: string, agentId: string): Promise<boolean> {
    await checkAgents(tx, [agentId], 'path.agentId')
    return (await tx.sql`INSERT INTO oc_agent_group_members (group_id, agent_id) VALUES (${groupId}, ${agentId}) ON CONFLICT DO NOTHING RETURNING agent_id`).length > 0
  },
  async removeAgent(tx: Queryable, groupId: string, agentId: string): Promise<boolean> {
    return (await tx.sql`DELETE FROM oc_agent_group_members WHERE group_id = ${groupId} AND agent_id = ${agentId} RETURNING agent_id`).length > 0
  },
}
