/**
 * Organization members (C3): the rows behind sign-in, read and written as the platform (owner
 * role), always narrowed by organization. Nothing here is reachable from a tenant transaction.
 */
import type { Queryable } from '../storage/db.ts'

export interface MemberView {
  id: string
  email: string
  name: string
  orgRole: 'owner' | 'member'
  createdAt: string
}

interface MemberRow {
  id: string
  email: string
  name: string
  org_role: 'owner' | 'member'
  created_at: Date
}

const toView = (r: MemberRow): MemberView => ({ id: r.id, email: r.email, name: r.name, orgRole: r.org_role, createdAt: new Date(r.created_at).toISOString() })

/** E-mail addresses are compared in lower case: `Ada@Example.com` and `ada@example.com` are one member. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

export const members = {
  async list(db: Queryable, orgId: string): Promise<MemberView[]> {
    return (await db.sql<MemberRow>`SELECT id, email, name, org_role, created_at FROM oc_members WHERE org_id = ${orgId} ORDER BY email`).map(toView)
  },
  async byId(db: Queryable, orgId: string, id: string): Promise<MemberView | null> {
    const [row] = await db.sql<MemberRow>`SELECT id, email, name, org_role, created_at FROM oc_members WHERE org_id = ${orgId} AND id = ${id}`
    return row ? toView(row) : null
  },
  async byEmail(db: Queryable, orgId: string, email: string): Promise<MemberView | null> {
    const [row] = await db.sql<MemberRow>`SELECT id, email, name, org_role, created_at FROM oc_members WHERE org_id = ${orgId} AND email = ${normalizeEmail(email)}`
    return row ? toView(row) : null
  },
  /** The members with these ids, for labelling agents; unknown ids are left out. */
  async byIds(db: Queryable, orgId: string, ids: readonly string[]): Promise<Map<string, MemberView>> {
    if (ids.length === 0) return new Map()
    const rows = await db.sql<MemberRow>`SELECT id, email, name, org_role, created_at FROM oc_members WHERE org_id = ${orgId} AND id::text = ANY(string_to_array(${ids.join(',')}, ','))`
    return new Map(rows.map((r) => [r.id, toView(r)]))
  },
  /** Null when the address is already a member. */
  async create(tx: Queryable, orgId: string, input: { email: string; name: string; orgRole: 'owner' | 'member'; passwordHash: string }): Promise<MemberView | null> {
    const [row] = await tx.sql<MemberRow>`
      INSERT INTO oc_members (org_id, email, name, org_role, password_hash)
      VALUES (${orgId}, ${normalizeEmail(input.email)}, ${input.name}, ${input.orgRole}, ${input.passwordHash})
      ON CONFLICT (org_id, email) DO NOTHING
      RETURNING id, email, name, org_role, created_at`
    return row ? toView(row) : null
  },
  async update(tx: Queryable, orgId: string, id: string, patch: { orgRole?: 'owner' | 'member'; name?: string }): Promise<MemberView | null> {
    const [row] = await tx.sql<MemberRow>`
      UPDATE oc_members SET org_role = coalesce(${patch.orgRole ?? null}, org_role), name = coalesce(${patch.name ?? null}, name), updated_at = now()
      WHERE org_id = ${orgId} AND id = ${id}
      RETURNING id, email, name, org_role, created_at`
    return row ? toView(row) : null
  },
  async remove(tx: Queryable, orgId: string, id: string): Promise<boolean> {
    return (await tx.sql`DELETE FROM oc_members WHERE org_id = ${orgId} AND id = ${id} RETURNING id`).length > 0
  },
  /**
   * Owners other than `exceptId`. Every owner row is locked, in id order, so two owners demoting
   * each other at once run one after the other and the second sees the first's change: the
   * organization never ends up without an owner.
   */
  async otherOwners(tx: Queryable, orgId: string, exceptId: string): Promise<number> {
    const rows = await tx.sql<{ id: string }>`SELECT id FROM oc_members WHERE org_id = ${orgId} AND org_role = 'owner' ORDER BY id FOR UPDATE`
    return rows.filter((r) => r.id !== exceptId).length
  },
}
