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
import type { ServiceDirectory, ServiceHandle } from '../api/services.ts'
import type { AgentSettingsCatalogue } from '../identity/agent-settings.ts'

export type { DirectoryAgent, DirectoryGroup, ServiceDirectory, ServiceHandle } from '../api/services.ts'

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
