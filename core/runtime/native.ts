/**
 * What the runtime offers natively beyond web standards, found here so that the rest of the
 * core asks for a capability instead of detecting the runtime: Node's synchronous
 * `node:crypto` (the field-encryption and web hook signing fast paths, see crypto/primitives.ts
 * and events/webhooks/signing.ts) and the system's name resolver (the outbound address check,
 * http/outbound.ts). Each answers null where the runtime lacks it; callers fall back to WebCrypto
 * or, for names, refuse what they cannot check.
 */

/** The part of `node:crypto` used here. */
export interface NodeCrypto {
  KeyObject: { from(key: CryptoKey): unknown }
  createCipheriv(algorithm: 'aes-256-gcm', key: unknown, iv: Uint8Array, options: { authTagLength: number }): NodeAead & { getAuthTag(): Uint8Array }
  createDecipheriv(algorithm: 'aes-256-gcm', key: unknown, iv: Uint8Array, options: { authTagLength: number }): NodeAead & { setAuthTag(tag: Uint8Array): void }
  createHmac(algorithm: 'sha256', key: unknown): { update(data: Uint8Array): { digest(): Uint8Array } }
}
interface NodeAead {
  setAAD(data: Uint8Array): void
  update(data: Uint8Array): Uint8Array
  final(): Uint8Array
}

/** `node:crypto` where the runtime is Node (Deno and Workers emulate it; their WebCrypto is native). */
export function findNodeCrypto(): NodeCrypto | null {
  const runtime = globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }; Deno?: unknown; Bun?: unknown; navigator?: { userAgent?: string } }
  if (!runtime.process?.versions?.node || runtime.Deno || runtime.Bun || runtime.navigator?.userAgent === 'Cloudflare-Workers') return null
  const found = runtime.process.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined
  return found && typeof found.KeyObject?.from === 'function' ? found : null
}

/** Base64 HMAC-SHA256 from `node:crypto` where the runtime has it (Node, Deno, Workers with `nodejs_compat`), else null. */
export async function nodeHmac(): Promise<((key: Uint8Array, message: string) => Promise<string>) | null> {
  try {
    const { createHmac } = await import('node:crypto')
    if (typeof createHmac !== 'function') return null
    return async (key, message) => createHmac('sha256', key).update(message, 'utf8').digest('base64')
  } catch {
    return null
  }
}

/** `node:dns` on Node and Deno; null on Workers, whose `node:dns` cannot resolve arbitrary names. */
export async function systemResolver(): Promise<((host: string) => Promise<string[]>) | null> {
  const nav = (globalThis as { navigator?: { userAgent?: string } }).navigator
  if (nav?.userAgent === 'Cloudflare-Workers') return null
  try {
    const dns = await import('node:dns/promises')
    return async (host) => (await dns.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
  } catch {
    return null
  }
}
