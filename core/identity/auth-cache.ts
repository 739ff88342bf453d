/**
 * What authentication reads on every request (members, sessions, agent grants, service keys,
 * each service's Open API switch and allowlist), cached per instance and emptied on every
 * instance by NOTIFY `oc_identity` (see migrations.ts), so a revocation or a permission change
 * applies at once everywhere. Reads are owner-level: authentication runs before a tenant
 * transaction exists. Time-bound facts (expiry) are cached as times and checked on each use.
 */
import type { Db } from '../storage/db.ts'
import { notifiedCache, type NotifiedCache } from '../storage/notified-cache.ts'
import type { AgentGrant, Permission } from './principal.ts'
import type { CidrRange } from './cidr.ts'
import { parseCidr } from './cidr.ts'
import { hashToken } from './tokens.ts'
import type { FieldCrypto } from '../api/crypto.ts'
import { serviceKeyContext } from './service-keys.ts'

export interface MemberRecord {
  readonly id: string
  readonly orgId: string
  readonly email: string
  readonly orgRole: 'owner' | 'member'
}

export interface SessionRecord {
  readonly id: string
  readonly memberId: string
  readonly revoked: boolean
  readonly expiresAt: number
}

export interface ServiceKeyRecord {
  readonly id: string
  readonly orgId: string
  readonly serviceId: string
  readonly revoked: boolean
  /** Set on a rotated key: the end of its grace period. */
  readonly expiresAt: number | null
}

export interface OpenApiPolicy {
  readonly enabled: boolean
  /** True when the service has an allowlist: only addresses in `allowlist` may call. */
  readonly restricted: boolean
  readonly allowlist: readonly CidrRange[]
}

/** One service key able to sign compat Open API requests: its HMAC key, never its text. */
export interface SigningKey {
  readonly id: string
  /** HMAC-SHA256 with the key's text as secret; non-extractable. */
  readonly hmac: CryptoKey
  /** Set on a rotated key: the end of its grace period. */
  readonly expiresAt: number | null
}

/** The keys of one service that may sign, and why others cannot. */
export interface SigningKeySet {
  readonly keys: readonly SigningKey[]
  /** Active keys stored without their sealed form (made before sealing, or without a master key). */
  readonly unsealed: number
  /** Set when sealed keys exist but cannot be opened (no master key configured now, or a key version gone). */
  readonly problem: string | null
}

/** A cached value comes back as it is, a value being loaded as its promise: a request that finds everything cached authenticates without one. */
export type Cached<V> = V | Promise<V>

export interface IdentityCache {
  member(id: string): Cached<MemberRecord | null>
  session(id: string): Cached<SessionRecord | null>
  agentGrant(memberId: string, serviceId: string): Cached<AgentGrant | null>
  /** Keyed by the key itself, so a hit costs a map lookup rather than a SHA-256 digest. */
  serviceKey(token: string): Cached<ServiceKeyRecord | null>
  openApiPolicy(serviceId: string): Cached<OpenApiPolicy>
  /** Keyed by service id (never by a key): the unrevoked, unexpired keys that can sign, opened once per invalidation. */
  signingKeys(orgId: string, serviceId: string): Promise<SigningKeySet>
  /** Empties this instance's cache at once after its own writes; NOTIFY covers the others a moment later. */
  clear(): void
  stop(): Promise<void>
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime())

export async function identityCache(db: Db, crypto?: FieldCrypto): Promise<IdentityCache> {
  const cache: NotifiedCache<unknown> & { stop(): Promise<void> } = await notifiedCache<unknown>(db, 'oc_identity')
  const cached = <V>(key: string, load: () => Promise<V>) => cache.read(key, load) as Cached<V>
  return {
    member: (id) =>
      cached(`member:${id}`, async () => {
        const [row] = await db.sql<{ id: string; org_id: string; email: string; org_role: 'owner' | 'member' }>`SELECT id, org_id, email, org_role FROM oc_members WHERE id = ${id}`
        return row ? { id: row.id, orgId: row.org_id, email: row.email, orgRole: row.org_role } : null
      }),
    session: (id) =>
      cached(`session:${id}`, async () => {
        const [row] = await db.sql<{ id: string; member_id: string; revoked_at: Date | null; expires_at: Date }>`SELECT id, member_id, revoked_at, expires_at FROM oc_member_sessions WHERE id = ${id}`
        return row ? { id: row.id, memberId: row.member_id, revoked: row.revoked_at !== null, expiresAt: time(row.expires_at)! } : null
      }),
    agentGrant: (memberId, serviceId) =>
      cached(`agent:${memberId}:${serviceId}`, async () => {
        const [row] = await db.sql<{ id: string; role: 'admin' | 'agent'; permissions: Permission[] }>`SELECT id, role, permissions FROM oc_agents WHERE member_id = ${memberId} AND service_id = ${serviceId}`
        return row ? { agentId: row.id, serviceId, role: row.role, permissions: row.permissions } : null
      }),
    serviceKey: (token) =>
      cached(`key:${token}`, async () => {
        const tokenHash = await hashToken(token)
        const [row] = await db.sql<{ id: string; org_id: string; service_id: string; revoked_at: Date | null; expires_at: Date | null }>`
          SELECT id, org_id, service_id, revoked_at, expires_at FROM oc_service_keys WHERE token_hash = ${tokenHash}`
        return row ? { id: row.id, orgId: row.org_id, serviceId: row.service_id, revoked: row.revoked_at !== null, expiresAt: time(row.expires_at) } : null
      }),
    openApiPolicy: (serviceId) =>
      cached(`open-api:${serviceId}`, async () => {
        const [row] = await db.sql<{ enabled: boolean; cidrs: string[] }>`
          SELECT coalesce((SELECT enabled FROM oc_open_api WHERE service_id = ${serviceId}), false) AS enabled,
                 coalesce((SELECT array_agg(cidr) FROM oc_ip_allowlist WHERE service_id = ${serviceId}), '{}') AS cidrs`
        // Entries were checked on write. One that no longer parses matches nobody, and the list
        // still restricts: a bad entry must never turn the allowlist into "everyone".
        const allowlist = row!.cidrs.flatMap((text) => {
          const parsed = parseCidr(text)
          return parsed.ok ? [parsed.range] : []
        })
        return { enabled: row!.enabled, restricted: row!.cidrs.length > 0, allowlist }
      }),
    signingKeys: (orgId, serviceId) =>
      cache.get(`signing:${serviceId}`, async (): Promise<SigningKeySet> => {
        const rows = await db.sql<{ id: string; sealed_key: string | null; expires_at: Date | null }>`
          SELECT id, sealed_key, expires_at FROM oc_service_keys
          WHERE service_id = ${serviceId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`
        const keys: SigningKey[] = []
        let problem: string | null = null
        for (const row of rows) {
          if (row.sealed_key === null) continue
          try {
            if (!crypto?.configured) throw new Error('no master key is configured (OC_MASTER_KEYS)')
            const text = await crypto.forTenant({ orgId, serviceId }).decrypt(row.sealed_key, serviceKeyContext(row.id))
            const hmac = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(text), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
            keys.push({ id: row.id, hmac, expiresAt: time(row.expires_at) })
          } catch (error) {
            // The message names the cause, never the key.
            problem = `service key ${row.id} cannot be opened: ${(error as Error).message}`
          }
        }
        return { keys, unsealed: rows.filter((r) => r.sealed_key === null).length, problem }
      }) as Promise<SigningKeySet>,
    clear: () => cache.clear(),
    stop: () => cache.stop(),
  }
}
