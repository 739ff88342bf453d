/**
 * What plugins reach of a service outside a request (event subscribers, jobs): the tenant with
 * its database bound to it (`ctx.tenant(scope)`), and a read-only directory of the service's
 * agents and groups with their members' addresses (`ctx.directory`), which plugins need to
 * assign work and notify people but cannot read themselves: member rows belong to the
 * organization, out of reach of tenant transactions.
 */
import type { Db, TenantScope } from '../storage/db.ts'
import type { EventCatalogue } from '../events/outbox.ts'
import { tenantDb } from '../storage/tenant-db.ts'
import { loadTenantById } from '../tenancy/repository.ts'
import { agents } from '../identity/agents.ts'
import { groups } from '../identity/groups.ts'
import { members } from '../identity/members.ts'
import type { Tenant } from '../tenancy/types.ts'
import type { TenantDb } from './context.ts'
import type { Permission } from '../identity/principal.ts'
import type { AgentSettings, AgentSettingsCatalogue } from '../identity/agent-settings.ts'

/** A service as a subscriber or job works on it. */
export interface ServiceHandle {
  readonly tenant: Tenant
  /** The database scoped to the service: `tx` runs under its row-level security, and `tx.emit` writes to the outbox in the same transaction. */
  readonly db: TenantDb
}

/** An agent of a service with the member's address, as the directory lists it. */
export interface DirectoryAgent {
  readonly id: string
  readonly memberId: string
  readonly email: string
  readonly name: string
  readonly role: 'admin' | 'agent'
  readonly permissions: readonly Permission[]
  /** Each plugin's per-agent settings (its `agentSettings`), defaults applied: read your own as `settings[pluginId]`. */
  readonly settings: AgentSettings
  readonly groupIds: readonly string[]
}

export interface DirectoryGroup {
  readonly id: string
  readonly name: string
  readonly agentIds: readonly string[]
}

/**
 * Read-only view of a service's agents and groups. Each call opens its own transactions, so call
 * it outside any transaction of yours (on PGlite a transaction holds the only connection).
 *
 * @example
 * const people = await ctx.directory.agents(scope)
 * const to = people.filter((a) => group.agentIds.includes(a.id)).map((a) => a.email)
 */
export interface ServiceDirectory {
  agents(scope: TenantScope): Promise<DirectoryAgent[]>
  groups(scope: TenantScope): Promise<DirectoryGroup[]>
}

export function serviceHandles(db: Db, catalogue: EventCatalogue): (scope: TenantScope) => Promise<ServiceHandle | null> {
  return async (scope) => {
    const tenant = await loadTenantById(db, scope.orgId, scope.serviceId)
    return tenant ? { tenant, db: tenantDb(db, scope, catalogue) } : null
  }
}

/** Services read per query by {@link contractedServices}. */
const CONTRACTED_PAGE = 100

/**
 * The services whose contract includes `pluginId`, one handle at a time (organization, then
 * service, in a stable order): a job's way to work tenant by tenant, each under its own
 * row-level security, instead of reading every tenant's rows as the owner. Read in pages, so
 * a platform of many services is not loaded at once; a service deleted meanwhile is skipped.
 */
export function contractedServices(db: Db, handles: (scope: TenantScope) => Promise<ServiceHandle | null>) {
  return async function* (pluginId: string): AsyncGenerator<ServiceHandle> {
    let after = { org: '00000000-0000-0000-0000-000000000000', service: '00000000-0000-0000-0000-000000000000' }
    for (;;) {
      const page = await db.query<{ org_id: string; id: string }>(
        `SELECT org_id, id FROM oc_services WHERE jsonb_exists(contract -> 'plugins', $1) AND (org_id, id) > ($2::uuid, $3::uuid) ORDER BY org_id, id LIMIT ${CONTRACTED_PAGE}`,
        [pluginId, after.org, after.service],
      )
      for (const row of page) {
        const handle = await handles({ orgId: row.org_id, serviceId: row.id })
        if (handle) yield handle
      }
      if (page.length < CONTRACTED_PAGE) return
      after = { org: page.at(-1)!.org_id, service: page.at(-1)!.id }
    }
  }
}

export function serviceDirectory(db: Db, agentSettings: AgentSettingsCatalogue): ServiceDirectory {
  return {
    async agents(scope) {
      const records = await db.tenantTransaction(scope, (tx) => agents.list(tx))
      const byId = await members.byIds(db, scope.orgId, records.map((r) => r.memberId))
      return records.map((r) => ({
        id: r.id,
        memberId: r.memberId,
        email: byId.get(r.memberId)?.email ?? '',
        name: byId.get(r.memberId)?.name ?? '',
        role: r.role,
        permissions: r.permissions,
        settings: agentSettings.resolve(r.pluginSettings),
        groupIds: r.groupIds,
      }))
    },
    async groups(scope) {
      return (await db.tenantTransaction(scope, (tx) => groups.list(tx))).map((g) => ({ id: g.id, name: g.name, agentIds: g.agentIds }))
    },
  }
}
