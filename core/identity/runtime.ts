/**
 * What the identity area's routes, authenticators and subscriber share: the platform database,
 * the settings, the per-instance cache and the session service, plus the two request helpers
 * every handler needs (the client address after trusted-proxy handling, and the audit actor).
 * Parts made in `start()` are reached through getters, so they are never read before it ran.
 */
import type { Db } from '../storage/db.ts'
import type { EventCatalogue } from '../events/outbox.ts'
import type { AuditActor } from '../audit/record.ts'
import type { PlatformContext } from '../api/context.ts'
import type { Logger } from '../log.ts'
import type { AccessTokenIssuer } from './access-tokens.ts'
import type { IdentityCache } from './auth-cache.ts'
import { requestActor } from '../audit/record.ts'
import type { IdentitySettings } from './options.ts'
import type { Sessions } from './sessions.ts'
import type { FieldCrypto } from '../api/crypto.ts'
import type { PermissionCatalogue } from '../plugin/permissions.ts'
import type { AgentSettingsCatalogue } from './agent-settings.ts'

export interface IdentityRuntime {
  readonly db: Db
  readonly log: Logger
  readonly settings: IdentitySettings
  readonly catalogue: EventCatalogue
  readonly sessions: Sessions
  /** Seals service keys (compat Open API signing); refuses when no master key is configured. */
  readonly crypto: FieldCrypto
  /** The installed plugins' agent permissions and their rules. */
  readonly permissions: PermissionCatalogue
  /** The installed plugins' per-agent settings. */
  readonly agentSettings: AgentSettingsCatalogue
  cache(): IdentityCache
  tokens(): AccessTokenIssuer
  /** The caller's address: the socket peer, or `X-Forwarded-For` through trusted proxies. */
  clientIp(c: PlatformContext): string | undefined
  /** The audit actor of the request, with the client address after trusted-proxy handling. */
  actor(c: PlatformContext): AuditActor
}

/** The platform resolves the client address once per request (trusted proxies included). */
export function requestHelpers(): Pick<IdentityRuntime, 'clientIp' | 'actor'> {
  return { clientIp: (c) => c.get('clientAddress'), actor: requestActor }
}
