/**
 * SQL for organizations, services and contracts. Platform tables: only the operator API and
 * tenant resolution touch them, as the owner role, never a tenant transaction.
 */
import type { Queryable } from '../storage/db.ts'
import type { Contract, Organization, Service, Tenant } from './types.ts'

interface OrgRow {
  id: string
  slug: string
  name: string
  created_at: Date
  updated_at: Date
}

interface ServiceRow {
  id: string
  org_id: string
  code: string
  name: string
  default_language: string
  languages: string[]
  timezone: string
  contract: Contract
  created_at: Date
  updated_at: Date
}

const iso = (d: Date | string) => new Date(d).toISOString()

const toOrg = (r: OrgRow): Organization => ({ id: r.id, slug: r.slug, name: r.name, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) })

const toService = (r: ServiceRow): Service => ({
  id: r.id,
  orgId: r.org_id,
  code: r.code,
  name: r.name,
  defaultLanguage: r.default_language,
  languages: r.languages,
  timezone: r.timezone,
  contract: r.contract,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
})

export interface ServiceInput {
  code: string
  name: string
  defaultLanguage: string
  languages: string[]
  timezone: string
}

export const organizations = {
  async list(db: Queryable): Promise<Organization[]> {
    return (await db.sql<OrgRow>`SELECT * FROM oc_organizations ORDER BY slug`).map(toOrg)
  },
  async bySlug(db: Queryable, slug: string): Promise<Organization | null> {
    const [row] = await db.sql<OrgRow>`SELECT * FROM oc_organizations WHERE slug = ${slug}`
    return row ? toOrg(row) : null
  },
  async create(db: Queryable, input: { slug: string; name: string }): Promise<Organization | null> {
    const [row] = await db.sql<OrgRow>`INSERT INTO oc_organizations (slug, name) VALUES (${input.slug}, ${input.name})
      ON CONFLICT (slug) DO NOTHING RETURNING *`
    return row ? toOrg(row) : null
  },
  async update(db: Queryable, slug: string, patch: { name?: string }): Promise<Organization | null> {
    const [row] = await db.sql<OrgRow>`UPDATE oc_organizations SET name = coalesce(${patch.name ?? null}, name), updated_at = now()
      WHERE slug = ${slug} RETURNING *`
    return row ? toOrg(row) : null
  },
  async remove(db: Queryable, slug: string): Promise<boolean> {
    return (await db.sql`DELETE FROM oc_organizations WHERE slug = ${slug} RETURNING id`).length > 0
  },
}

export const services = {
  async list(db: Queryable, orgId: string): Promise<Service[]> {
    return (await db.sql<ServiceRow>`SELECT * FROM oc_services WHERE org_id = ${orgId} ORDER BY code`).map(toService)
  },
  async byCode(db: Queryable, orgId: string, code: string): Promise<Service | null> {
    const [row] = await db.sql<ServiceRow>`SELECT * FROM oc_services WHERE org_id = ${orgId} AND code = ${code}`
    return row ? toService(row) : null
  },
  async create(db: Queryable, orgId: string, input: ServiceInput, contract: Contract): Promise<Service | null> {
    const [row] = await db.sql<ServiceRow>`INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone, contract)
      VALUES (${orgId}, ${input.code}, ${input.name}, ${input.defaultLanguage}, ${input.languages}, ${input.timezone}, ${JSON.stringify(contract)}::jsonb)
      ON CONFLICT (org_id, code) DO NOTHING RETURNING *`
    return row ? toService(row) : null
  },
  async update(db: Queryable, id: string, input: ServiceInput): Promise<Service | null> {
    const [row] = await db.sql<ServiceRow>`UPDATE oc_services SET name = ${input.name}, default_language = ${input.defaultLanguage},
      languages = ${input.languages}, timezone = ${input.timezone}, updated_at = now() WHERE id = ${id} RETURNING *`
    return row ? toService(row) : null
  },
  async setContract(db: Queryable, id: string, contract: Contract): Promise<Service | null> {
    const [row] = await db.sql<ServiceRow>`UPDATE oc_services SET contract = ${JSON.stringify(contract)}::jsonb, updated_at = now()
      WHERE id = ${id} RETURNING *`
    return row ? toService(row) : null
  },
  async remove(db: Queryable, id: string): Promise<boolean> {
    return (await db.sql`DELETE FROM oc_services WHERE id = ${id} RETURNING id`).length > 0
  },
}

/** One query from the two URL segments to everything a request needs. */
export async function loadTenant(db: Queryable, orgSlug: string, serviceCode: string): Promise<Tenant | null> {
  const [row] = await db.sql<ServiceRow & { org_slug: string; org_name: string }>`
    SELECT s.*, o.slug AS org_slug, o.name AS org_name
    FROM oc_services s JOIN oc_organizations o ON o.id = s.org_id
    WHERE o.slug = ${orgSlug} AND s.code = ${serviceCode}`
  return row ? { org: { id: row.org_id, slug: row.org_slug, name: row.org_name }, service: toService(row) } : null
}

/** The tenant of a service by its ids (work outside requests: subscribers, jobs), or null once the service is gone. */
export async function loadTenantById(db: Queryable, orgId: string, serviceId: string): Promise<Tenant | null> {
  const [row] = await db.sql<ServiceRow & { org_slug: string; org_name: string }>`
    SELECT s.*, o.slug AS org_slug, o.name AS org_name
    FROM oc_services s JOIN oc_organizations o ON o.id = s.org_id
    WHERE s.org_id = ${orgId} AND s.id = ${serviceId}`
  return row ? { org: { id: row.org_id, slug: row.org_slug, name: row.org_name }, service: toService(row) } : null
}
