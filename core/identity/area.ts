/**
 * The identity area: members and sign-in, agents and groups, service keys and IP allowlists
 * (C3–C6). It contributes organization routes (sign-in, members, invitations), service routes
 * (agents, groups, Open API), an operator route (first owner), two authenticators (member
 * JWTs, service keys), the invitation event and the subscriber that mails it.
 *
 * Platform options it reads: `jwtSecret`, `mail` and `identity` (see options.ts). The client
 * address (trusted proxies included) is resolved by the platform for every request.
 */
import type { CoreArea, CoreDeps } from '../area.ts'
import { accessTokens, type AccessTokenIssuer, loadAccessTokenSecret } from './access-tokens.ts'
import { identityCache, type IdentityCache } from './auth-cache.ts'
import { memberAuthenticator, serviceKeyAuthenticator } from './authenticators.ts'
import { INVITATION_CREATED, InvitationCreatedEvent, invitationMailer } from './invitations.ts'
import { loginThrottle } from './login-throttle.ts'
import { identitySettings } from './options.ts'
import { type IdentityRuntime, requestHelpers } from './runtime.ts'
import { sessions } from './sessions.ts'
import { registerAgentRoutes } from './routes/agents.ts'
import { registerAuthRoutes } from './routes/auth.ts'
import { registerGroupRoutes } from './routes/groups.ts'
import { registerMemberRoutes } from './routes/members.ts'
import { registerOpenApiRoutes } from './routes/open-api.ts'
import { registerOperatorMemberRoutes } from './routes/operator-members.ts'
import { openApiAccess, type OpenApiAccess } from './open-api-access.ts'
import { rotateServiceKeySeals } from './rotate-service-keys.ts'
import { unopenedSummary } from '../crypto/rotate.ts'

export interface IdentityArea extends CoreArea {
  /** The area's shared parts, for tests and embedders (e.g. the CLI's bootstrap). */
  readonly runtime: IdentityRuntime
  /** The invitation mailer, so tests can run it on an outbox row before the dispatcher does. */
  readonly invitationMailer: ReturnType<typeof invitationMailer>
  /** What plugins that use `openApiAccessRef` get: the switch, the allowlist and request signatures (C16). */
  readonly openApi: OpenApiAccess
}

export function identityArea({ db, log, options, catalogue, crypto, permissions, agentSettings }: CoreDeps): IdentityArea {
  const settings = identitySettings(options)
  const areaLog = log.child({ area: 'identity' })
  let cache: IdentityCache | undefined
  let tokens: AccessTokenIssuer | undefined
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the identity area is used before platform.start()')
    return value
  }
  const runtime: IdentityRuntime = {
    db,
    log: areaLog,
    settings,
    catalogue,
    sessions: sessions(db, settings, () => started(tokens), loginThrottle(db, settings.throttle)),
    crypto,
    permissions,
    agentSettings,
    cache: () => started(cache),
    tokens: () => started(tokens),
    ...requestHelpers(),
  }
  const mailer = invitationMailer(db, settings, areaLog)

  return {
    id: 'identity',
    runtime,
    invitationMailer: mailer,
    openApi: openApiAccess(runtime),
    orgRoutes(app) {
      registerAuthRoutes(app, runtime)
      registerMemberRoutes(app, runtime)
    },
    serviceRoutes(app) {
      registerAgentRoutes(app, runtime)
      registerGroupRoutes(app, runtime)
      registerOpenApiRoutes(app, runtime)
    },
    operatorRoutes: (app) => registerOperatorMemberRoutes(app, runtime),
    authenticators: [memberAuthenticator(runtime), serviceKeyAuthenticator(runtime)],
    events: { [INVITATION_CREATED]: InvitationCreatedEvent },
    subscribers: [mailer],
    jobs: [
      {
        // Re-seals service keys after a master key is added; a cheap query when nothing is old.
        id: 'rotate-service-key-seals',
        cron: '*/10 * * * *',
        keyRotation: true,
        async run(ctx, tick) {
          if (!runtime.crypto.configured) return
          const { rotated, failed, failures } = await rotateServiceKeySeals(ctx.db, runtime.crypto, tick.signal)
          if (rotated || failed) ctx.log.info('service key seals rotated', { rotated, failed, failures })
          return `re-sealed ${rotated} service keys${unopenedSummary(failed, failures, (f) => `key ${String(f.key[1])} (service ${String(f.key[0])}): ${f.code}`)}`
        },
      },
    ],
    async start() {
      const secret = await loadAccessTokenSecret(db, settings.jwtSecret)
      tokens = accessTokens(secret, { issuer: settings.jwtIssuer, audience: settings.jwtAudience, lifetimeSeconds: settings.accessTokenSeconds })
      cache = await identityCache(db, runtime.crypto)
    },
    async stop() {
      await cache?.stop()
      cache = undefined
    },
  }
}
