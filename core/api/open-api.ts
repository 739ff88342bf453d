/**
 * Open API access as plugins that speak a signed-request protocol see it (`openApiAccessRef`): the
 * service's switch, its IP allowlist and HMAC signatures over its service keys. The identity
 * area implements it (identity/open-api-access.ts).
 */
import type { PlatformContext } from './request.ts'
import { createServiceRef } from './refs.ts'

export interface OpenApiPolicyCheck {
  /** The service's Open API switch. */
  readonly enabled: boolean
  /** True when the service has no allowlist or the client address is on it. */
  readonly clientAllowed: boolean
  /** The address judged: the socket peer, or `X-Forwarded-For` through trusted proxies. */
  readonly clientAddress: string | undefined
}

export type SignatureVerdict =
  | { readonly ok: true; readonly keyId: string }
  /**
   * `mismatch`: no active key signs any of the messages that way; `no-signing-key`: the service
   * has no key that can sign (none, or only keys made without a master key: rotate them).
   */
  | { readonly ok: false; readonly reason: 'mismatch' | 'no-signing-key'; readonly message: string }

export interface OpenApiAccess {
  /**
   * The switch and the allowlist for the request's service and client.
   * @example
   * const policy = await ctx.openApi.policy(c)
   * if (!policy.enabled) return refuse(403, 'OPEN API is disabled')
   */
  policy(c: PlatformContext): Promise<OpenApiPolicyCheck>
  /**
   * Checks a Base64 HMAC-SHA256 `signature` against each message candidate (a protocol may allow
   * several spellings of one request), under every active key of the request's service
   * (rotated keys within their grace period included). Comparison is constant-time (WebCrypto
   * `verify`). Returns the key that matched.
   * @example
   * const verdict = await ctx.openApi.verifySignature(c, [orgId + uri + timestamp], header)
   * if (verdict.ok) c.set('principal', { kind: 'service-key', keyId: verdict.keyId, ... })
   */
  verifySignature(c: PlatformContext, messages: readonly string[], signature: string): Promise<SignatureVerdict>
}

/**
 * The core's Open API access, for the plugins that declare it: only a plugin listing it in
 * `uses` gets it (`OC_PLUGIN_REF_UNDECLARED` otherwise), since it reads the service's signing keys.
 * @example
 * uses: { openApi: openApiAccessRef },
 * ... const policy = await ctx.use(openApiAccessRef).policy(c)
 */
export const openApiAccessRef = createServiceRef<OpenApiAccess>('core.open-api-access')
