/**
 * Open API access for plugins that speak a signed-request protocol (C16, `openApiAccessRef`): the
 * service's Open API switch, its IP allowlist judged against the client address (trusted
 * proxies included), and HMAC-SHA256 request signatures checked against the service's active
 * service keys. Everything it reads comes from the identity cache (emptied on every key, switch
 * or allowlist change, on every instance), so a verified request costs no database round trip.
 * Keys are held as non-extractable HMAC CryptoKeys, cached per service, never keyed by the key.
 */
import type { OpenApiAccess } from '../api/open-api.ts'
import { anyContains, parseIp } from './cidr.ts'
import type { IdentityRuntime } from './runtime.ts'

export type { OpenApiAccess, OpenApiPolicyCheck, SignatureVerdict } from '../api/open-api.ts'
export { openApiAccessRef } from '../api/open-api.ts'

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
