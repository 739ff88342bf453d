/**
 * What a request carries through the platform's steps to a plugin's handler (`c.var`): its id
 * and addresses, and under a service or organization the tenant, its database and blobs, and
 * the principal the access check found.
 */
import type { Context } from 'hono'
import type { Organization, Tenant } from '../tenancy/types.ts'
import type { Principal } from '../identity/principal.ts'
import type { TenantBlobs } from './blobs.ts'
import type { TenantDb } from './tenant-db.ts'

/** Values the platform sets on a request: every request, or (marked) under a service or organization. */
export interface RequestVars {
  requestId: string
  /** The connecting peer's address, as the runtime reports it (not `X-Forwarded-For`). */
  socketAddress: string | undefined
  /** The client's address: the socket peer, or `X-Forwarded-For` read through trusted proxies. */
  clientAddress: string | undefined
  /** Under `/o/{org}/{service}`. */
  tenant: Tenant
  /** Under `/o/{org}/{service}`: the database scoped to the tenant. */
  db: TenantDb
  /** Under `/o/{org}/{service}`: blobs scoped to the tenant. */
  blobs: TenantBlobs
  /** Under `/o/{org}/org`. */
  org: Pick<Organization, 'id' | 'slug' | 'name'>
  /** Set by the access check of each route. */
  principal: Principal
}

export type PlatformEnv = { Variables: RequestVars }
export type PlatformContext = Context<PlatformEnv>
