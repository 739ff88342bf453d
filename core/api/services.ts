/**
 * A service as plugins reach it outside a request: its handle (tenant record and database,
 * `ctx.tenant(scope)`, `ctx.contractedServices()`) and the read-only directory of its agents and
 * groups (`ctx.directory`). Built by plugin/service-access.ts.
 */
import type { Tenant } from '../tenancy/types.ts'
import type { Permission } from '../identity/principal.ts'

/** Per plugin id, the per-agent settings that plugin declares (`agentSettings`), defaults applied. */
export type AgentSettings = Readonly<Record<string, Readonly<Record<string, unknown>>>>
import type { TenantScope } from './db.ts'
import type { TenantDb } from './tenant-db.ts'

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
