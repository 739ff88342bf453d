/**
 * The guards the platform puts in front of every route (see plugin/app.ts): the contract gate,
 * the access check over every area's authenticators, and the body limit, one guard per size.
 */
import type { BlobPolicy } from '../api/blobs.ts'
import { type BodyLimit, type Guard, type RouteGuards } from '../plugin/app.ts'
import { accessGuard, type Authenticator } from '../identity/guard.ts'
import { isContracted } from '../tenancy/contract.ts'
import { requestBodyLimit } from '../http/body-limit.ts'
import { notFound } from '../http/errors-middleware.ts'

export interface GuardParts {
  /** Every area's bearer-token authenticators, in area order. */
  readonly authenticators: readonly Authenticator[]
  /** The platform's request limit where a route declares none (default 1 MiB). */
  readonly bodyLimitBytes: number | undefined
  /** The upload policy, whose size sets the limit of `'upload'` routes. */
  readonly uploadPolicy: BlobPolicy
  /** Checks each plugin route's access rule at registration (a permission its plugin can rely on). */
  readonly checkAccess: NonNullable<RouteGuards['checkAccess']>
}

/** Guards for plugins' routes (contract-gated) and for the core's own (never gated). */
export function routeGuards(parts: GuardParts): { readonly plugin: RouteGuards; readonly core: RouteGuards } {
  const access = accessGuard(parts.authenticators)
  const maxBody = parts.bodyLimitBytes ?? 1024 * 1024
  // A file travels in JSON as base64 (4 bytes for every 3): an upload route takes that, and room for the rest.
  const uploadBody = Math.max(maxBody, Math.ceil(parts.uploadPolicy.maxBytes / 3) * 4 + 64 * 1024)
  const bodyLimits = new Map<number, Guard>()
  const bodyLimit = (declared: BodyLimit | undefined): Guard => {
    const bytes = declared === 'upload' ? uploadBody : (declared ?? maxBody)
    let guard = bodyLimits.get(bytes)
    if (!guard) bodyLimits.set(bytes, (guard = requestBodyLimit(bytes) as Guard))
    return guard
  }
  return {
    plugin: {
      contractGate: (pluginId) => (c, next) => (isContracted(c.get('tenant').service.contract, pluginId) ? next() : notFound(c)),
      access,
      checkAccess: parts.checkAccess,
      bodyLimit,
    },
    core: { contractGate: () => (_c, next) => next(), access, bodyLimit },
  }
}
