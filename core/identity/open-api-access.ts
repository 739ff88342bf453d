/**
 * Open API access for plugins that speak a signed-request protocol (C16, `openApiAccessRef`): the
 * service's Open API switch, its IP allowlist judged against the client address (trusted
 * proxies included), and HMAC-SHA256 request signatures checked against the service's active
 * service keys. Everything it reads comes from the identity cache (emptied on every key, switch
 * or allowlist change, on every instance), so a verified request costs no database round trip.
 * Keys are held as non-extractable HMAC CryptoKeys, cached per service, never keyed by the key.
 */
import type { PlatformContext } from '../plugin/context.ts'
import type { CoreArea } from '../area.ts'
import { anyContains, parseIp } from './cidr.ts'
import type { IdentityRuntime } from './runtime.ts'
import { createServiceRef } from '../plugin/refs.ts'

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
   * const policy = await ctx.use(openApiAccessRef).policy(c)
   * if (!policy.enabled) return refuse(403, 'OPEN API is disabled')
   */
  policy(c: PlatformContext): Promise<OpenApiPolicyCheck>
  /**
   * Checks a Base64 HMAC-SHA256 `signature` against each message candidate (a protocol may allow
   * several spellings of one request), under every active key of the request's service
   * (rotated keys within their grace period included). Comparison is constant-time (WebCrypto
   * `verify`). Returns the key that matched.
   * @example
   * const verdict = await ctx.use(openApiAccessRef).verifySignature(c, [orgId + uri + timestamp], header)
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

const encoder = new TextEncoder()

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text.trim())
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
  } catch {
    return null
  }
}

export function openApiAccess(runtime: IdentityRuntime): OpenApiAccess {
  return {
    async policy(c) {
      const tenant = c.get('tenant')
      const policy = await runtime.cache().openApiPolicy(tenant.service.id)
      const clientAddress = runtime.clientIp(c)
      let clientAllowed = true
      if (policy.restricted) {
        const parsed = clientAddress === undefined ? null : parseIp(clientAddress)
        clientAllowed = parsed !== null && anyContains(policy.allowlist, parsed)
      }
      return { enabled: policy.enabled, clientAllowed, clientAddress }
    },
    async verifySignature(c, messages, signature) {
      const tenant = c.get('tenant')
      const set = await runtime.cache().signingKeys(tenant.org.id, tenant.service.id)
      const now = Date.now()
      const keys = set.keys.filter((k) => k.expiresAt === null || k.expiresAt > now)
      if (!keys.length) {
        const why = set.problem ?? (set.unsealed ? `its ${set.unsealed} active key(s) were made before keys were sealed or without a master key; rotate them (POST /open-api/keys/{keyId}/rotate) with OC_MASTER_KEYS configured` : 'it has no active service key; create one (POST /open-api/keys)')
        return { ok: false, reason: 'no-signing-key', message: `this service cannot verify signed requests: ${why}` }
      }
      const given = base64Bytes(signature)
      if (given && given.byteLength === 32) {
        for (const message of messages) {
          const data = encoder.encode(message)
          for (const key of keys) if (await crypto.subtle.verify('HMAC', key.hmac, given, data)) return { ok: true, keyId: key.id }
        }
      }
      return { ok: false, reason: 'mismatch', message: 'the signature does not match any active service key of this service' }
    },
  }
}

/** The identity area's `openApi`, as the core provides it under `openApiAccessRef`; resolved lazily (areas are built first). */
export function openApiAccessOf(areas: readonly CoreArea[]): OpenApiAccess {
  let access: OpenApiAccess | undefined
  const resolve = () => {
    if (access) return access
    const identity = areas.find((a) => a.id === 'identity') as (CoreArea & { openApi?: OpenApiAccess }) | undefined
    if (!identity?.openApi) throw new Error('the identity area is not installed; the Open API access service needs it')
    return (access = identity.openApi)
  }
  return { policy: (c) => resolve().policy(c), verifySignature: (c, messages, signature) => resolve().verifySignature(c, messages, signature) }
}
