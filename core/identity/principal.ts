/**
 * Who is calling, and what a route requires of them. The platform resolves the principal
 * only for routes that need one, so public routes never pay for authentication.
 */

/** Agent permissions of a service (C4). */
export const PERMISSIONS = ['ticket', 'chat', 'phone', 'callback'] as const
export type Permission = (typeof PERMISSIONS)[number]

export type Principal =
  /** A platform operator: full access to every organization and service. */
  | { readonly kind: 'operator'; readonly tokenId: string }
  | { readonly kind: 'anonymous' }

/**
 * What a route requires:
 * - `'public'`: anyone, no credentials read;
 * - `'operator'`: platform operators only;
 * - `'authenticated'`: any principal with access to the service;
 * - `{ role: 'admin' }`: service administrators;
 * - `{ permission: 'ticket' }`: agents holding that permission (admins too).
 */
export type Access =
  | 'public'
  | 'operator'
  | 'authenticated'
  | { readonly role?: 'admin'; readonly permission?: Permission }

/** A human-readable account of an access rule, for messages and the OpenAPI document. */
export function describeAccess(access: Access): string {
  if (typeof access === 'string') return access
  const parts = [access.role && `role ${access.role}`, access.permission && `permission ${access.permission}`].filter(Boolean)
  return parts.length ? parts.join(' and ') : 'authenticated'
}
