/** The platform options the identity area reads (`jwtSecret`, `mail`, `identity`), with their defaults. */
import type { MailOptions } from '../mail/transport.ts'
import { DEFAULT_PASSWORD_ITERATIONS } from './passwords.ts'

export interface LoginThrottleOptions {
  /** Failed sign-ins of one account (organization + e-mail) before it is locked (default 5). */
  readonly accountFailures?: number
  /** Failed sign-ins from one client address, any account, before it is locked (default 20). */
  readonly addressFailures?: number
  /** Failures older than this no longer count (default 900 s). */
  readonly windowSeconds?: number
  /** The first lock; each further failure doubles it (default 30 s). */
  readonly lockSeconds?: number
  /** The longest lock (default 900 s). */
  readonly maxLockSeconds?: number
}

export interface IdentityTuning {
  /** PBKDF2 iterations for new password hashes (default 600,000; lower only in tests). */
  readonly passwordIterations?: number
  /** Lifetime of an access token (default 900 s). */
  readonly accessTokenSeconds?: number
  /** A refresh token expires if unused this long (default 30 days). */
  readonly refreshTokenSeconds?: number
  /** A session (refresh-token family) ends this long after sign-in however it is used (default 90 days). */
  readonly sessionMaxSeconds?: number
  /** An invitation can be accepted for this long (default 7 days). */
  readonly invitationSeconds?: number
  /** How long a rotated service key keeps working beside its successor (default 24 h). */
  readonly serviceKeyGraceSeconds?: number
  /** The `iss` of access tokens (default `opencontact`). */
  readonly jwtIssuer?: string
  /** Link in invitation mails; `{org}` and `{token}` are replaced. Without it the mail explains the API call. */
  readonly invitationUrl?: string
  readonly loginThrottle?: LoginThrottleOptions
}

/** The platform options the identity area reads; part of `PlatformOptions`. */
export interface IdentityPlatformOptions {
  /** HS256 secret for member access tokens (32+ characters); without it one is generated and kept in the database. */
  jwtSecret?: string
  /** Outgoing mail (invitations, notifications): a transport and the sender. */
  mail?: MailOptions
  /** Identity tuning: password iterations, token lifetimes, login throttling, invitation link. */
  identity?: IdentityTuning
}

export interface IdentitySettings {
  readonly jwtSecret: string | undefined
  readonly mail: MailOptions | undefined
  readonly passwordIterations: number
  readonly accessTokenSeconds: number
  readonly refreshTokenSeconds: number
  readonly sessionMaxSeconds: number
  readonly invitationSeconds: number
  readonly serviceKeyGraceSeconds: number
  readonly jwtIssuer: string
  /** The `aud` of access tokens: fixed, so a token minted for another system (same secret by mistake) is refused. */
  readonly jwtAudience: string
  readonly invitationUrl: string | undefined
  readonly throttle: Required<LoginThrottleOptions>
}

export function identitySettings(given: IdentityPlatformOptions): IdentitySettings {
  const tuning = given.identity ?? {}
  if (given.jwtSecret !== undefined && given.jwtSecret.length < 32) throw new Error('jwtSecret must be at least 32 characters; generate one with `openssl rand -base64 48`')
  return {
    jwtSecret: given.jwtSecret,
    mail: given.mail,
    passwordIterations: tuning.passwordIterations ?? DEFAULT_PASSWORD_ITERATIONS,
    accessTokenSeconds: tuning.accessTokenSeconds ?? 900,
    refreshTokenSeconds: tuning.refreshTokenSeconds ?? 30 * 86_400,
    sessionMaxSeconds: tuning.sessionMaxSeconds ?? 90 * 86_400,
    invitationSeconds: tuning.invitationSeconds ?? 7 * 86_400,
    serviceKeyGraceSeconds: tuning.serviceKeyGraceSeconds ?? 86_400,
    jwtIssuer: tuning.jwtIssuer ?? 'opencontact',
    jwtAudience: 'opencontact-api',
    invitationUrl: tuning.invitationUrl,
    throttle: {
      accountFailures: tuning.loginThrottle?.accountFailures ?? 5,
      addressFailures: tuning.loginThrottle?.addressFailures ?? 20,
      windowSeconds: tuning.loginThrottle?.windowSeconds ?? 900,
      lockSeconds: tuning.loginThrottle?.lockSeconds ?? 30,
      maxLockSeconds: tuning.loginThrottle?.maxLockSeconds ?? 900,
    },
  }
}
