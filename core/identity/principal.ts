/**
 * Who is calling, and what a route requires of them. The platform resolves the principal
 * only for routes that need one, so public routes never pay for authentication.
 */

/**
 * An agent permission (C4): a name some installed plugin declares in its `permissions`, such as
 * the ticket plugin's `ticket` (see core/plugin/permissions.ts).
 */
export type Permission = string

/** A member's standing in one service (C4): present when the member is an agent there. */
export interface AgentGrant {
  readonly agentId: string
  readonly serviceId: string
  readonly role: 'admin' | 'agent'
  readonly permissions: readonly Permission[]
}

export type Principal =
  /** A platform operator: full access to every organization and service. */
  | { readonly kind: 'operator'; readonly tokenId: string }
  /**
   * A signed-in organization member. `agent` is the member's grant in the service of the
   * current request (null when the member is not an agent there or the route is not a service route).
   */
  | {
      readonly kind: 'member'
      readonly memberId: string
      readonly orgId: string
      readonly email: string
      readonly orgRole: 'owner' | 'member'
      readonly agent: AgentGrant | null
    }
  /** An integration calling with a service key (C6): one service only. */
  | { readonly kind: 'service-key'; readonly keyId: string; readonly orgId: string; readonly serviceId: string }
  | { readonly kind: 'anonymous' }

/**
 * What a route requires:
 * - `'public'`: anyone, no credentials read;
 * - `'operator'`: platform operators only;
 * - `'authenticated'`: on a service route, its agents, owners of its organization and its
 *   service keys; on an organization route, the organization's members;
 * - `{ orgRole: 'owner' }`: owners of the organization (and operators);
 * - `{ role: 'admin' }`: administrators of the service (organization owners count as admins);
 * - `{ permission: 'ticket' }`: agents holding that permission (one a plugin declares), and service keys.
 */
export type Access =
  | 'public'
  | 'operator'
  | 'authenticated'
  | { readonly orgRole: 'owner' }
  | { readonly role?: 'admin'; readonly permission?: Permission }

/** A human-readable account of an access rule, for messages and the OpenAPI document. */
export function describeAccess(access: Access): string {
  if (typeof access === 'string') return access
  if ('orgRole' in access) return `organization ${access.orgRole}`
  const parts = [access.role && `role ${access.role}`, access.permission && `permission ${access.permission}`].filter(Boolean)
  return parts.length ? parts.join(' and ') : 'authenticated'
}
