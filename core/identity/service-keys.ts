/**
 * Open API access (C6): the per-service switch, service keys and the IP allowlist, written in
 * the request's tenant transaction.
 *
 * A service key is `ocs_` + 32 random base62 characters + a 6-character checksum (tokens.ts):
 * scanners can spot a leaked one, a mistyped one is refused without a query, and it is shown
 * once, in the answer that creates it. Bearer authentication looks keys up by their SHA-256
 * hash. The compat Open API (C16) signs requests with the key itself (HMAC), so the key is also
 * kept sealed under the tenant key (AES-GCM, see `sealServiceKey`), never in plaintext; without
 * a configured master key a key is stored with its hash only and cannot sign such requests. Rotating makes
 * a successor and leaves the old key working for a grace period (24 h by default), so the
 * integrations that use it can be switched over without downtime; revoking ends a key at once.
 */
import { errors } from '../http/errors.ts'
import type { Queryable } from '../storage/db.ts'
import { formatCidr, parseCidr } from './cidr.ts'
import { generateToken, hashToken } from './tokens.ts'

export const SERVICE_KEY_PREFIX = 'ocs'

export interface ServiceKeyView {
  id: string
  name: string
  hint: string
  status: 'active' | 'rotating' | 'revoked' | 'expired'
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  replacedBy: string | null
  /** Whether the key is kept sealed, so it can sign compat Open API requests (HMAC). */
  openApiSigning: boolean
}

interface KeyRow {
  id: string
  name: string
  hint: string
  created_at: Date
  expires_at: Date | null
  revoked_at: Date | null
  replaced_by: string | null
  sealed_key: string | null
}

/** Seals a new key for its row (id known before the insert), or null when no master key is configured. */
export type KeySealer = (token: string, keyId: string) => Promise<string | null>

/** Where a sealed key belongs: its own row, so a sealed value copied to another key does not open. */
export const serviceKeyContext = (keyId: string) => `service-key:${keyId}`

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString())

function toView(r: KeyRow): ServiceKeyView {
  const status = r.revoked_at ? 'revoked' : r.expires_at === null ? 'active' : new Date(r.expires_at).getTime() > Date.now() ? 'rotating' : 'expired'
  return { id: r.id, name: r.name, hint: r.hint, status, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), replacedBy: r.replaced_by, openApiSigning: r.sealed_key !== null }
}

/** Enough of the key to tell keys apart in a list: the prefix and 4 of its 32 random characters. */
const hintOf = (token: string) => `${token.slice(0, SERVICE_KEY_PREFIX.length + 5)}…`

async function insertKey(tx: Queryable, name: string, seal?: KeySealer): Promise<{ view: ServiceKeyView; token: string }> {
  const token = generateToken(SERVICE_KEY_PREFIX)
  const id = crypto.randomUUID()
  const sealed = seal ? await seal(token, id) : null
  const [row] = await tx.sql<KeyRow>`
    INSERT INTO oc_service_keys (id, name, token_hash, hint, sealed_key) VALUES (${id}, ${name}, ${await hashToken(token)}, ${hintOf(token)}, ${sealed}) RETURNING *`
  return { view: toView(row!), token }
}

export const serviceKeys = {
  async list(tx: Queryable): Promise<ServiceKeyView[]> {
    return (await tx.sql<KeyRow>`SELECT * FROM oc_service_keys ORDER BY created_at DESC, id`).map(toView)
  },
  create: insertKey,
  /**
   * Makes a successor with the same name; the old key stays valid for `graceSeconds`. Only a
   * key that is still active can be rotated (rotating twice would leave two keys in grace).
   */
  async rotate(tx: Queryable, id: string, graceSeconds: number, seal?: KeySealer): Promise<{ key: ServiceKeyView & { token: string }; previous: ServiceKeyView }> {
    const [current] = await tx.sql<KeyRow>`SELECT * FROM oc_service_keys WHERE id = ${id} FOR UPDATE`
    if (!current) throw errors.notFound(`service key '${id}'`)
    if (toView(current).status !== 'active') throw errors.conflict(`service key '${id}' is ${toView(current).status}; only an active key can be rotated`)
    const successor = await insertKey(tx, current.name, seal)
    const [previous] = await tx.sql<KeyRow>`
      UPDATE oc_service_keys SET expires_at = now() + make_interval(secs => ${graceSeconds}), replaced_by = ${successor.view.id}
      WHERE id = ${id} RETURNING *`
    return { key: { ...successor.view, token: successor.token }, previous: toView(previous!) }
  },
  /** Ends a key at once; null when there is no such key, 409 when it was already revoked. */
  async revoke(tx: Queryable, id: string): Promise<ServiceKeyView | null> {
    const [row] = await tx.sql<KeyRow>`SELECT * FROM oc_service_keys WHERE id = ${id} FOR UPDATE`
    if (!row) return null
    if (row.revoked_at) throw errors.conflict(`service key '${id}' was already revoked`)
    const [revoked] = await tx.sql<KeyRow>`UPDATE oc_service_keys SET revoked_at = now() WHERE id = ${id} RETURNING *`
    return toView(revoked!)
  },
}

export const openApiSwitch = {
  async get(tx: Queryable): Promise<{ enabled: boolean; updatedAt: string | null }> {
    const [row] = await tx.sql<{ enabled: boolean; updated_at: Date }>`SELECT enabled, updated_at FROM oc_open_api`
    return { enabled: row?.enabled ?? false, updatedAt: iso(row?.updated_at ?? null) }
  },
  async set(tx: Queryable, enabled: boolean): Promise<{ enabled: boolean; updatedAt: string | null }> {
    const [row] = await tx.sql<{ enabled: boolean; updated_at: Date }>`
      INSERT INTO oc_open_api (enabled) VALUES (${enabled})
      ON CONFLICT (service_id) DO UPDATE SET enabled = excluded.enabled, updated_at = now()
      RETURNING enabled, updated_at`
    return { enabled: row!.enabled, updatedAt: iso(row!.updated_at) }
  },
}

export interface AllowlistEntryView {
  cidr: string
  note: string
  createdAt: string
}

/**
 * Checks and canonicalises allowlist entries: each must parse, must not have host bits set, and
 * must not cover every address (`/0`, including `::ffff:0:0/96`, which is IPv4's `/0`): an
 * allowlist that admits everyone is a mistake that looks like protection.
 */
export function checkAllowlist(entries: readonly { cidr: string; note: string }[]): { cidr: string; note: string }[] {
  const issues: { path: string; message: string }[] = []
  const seen = new Set<string>()
  const canonical: { cidr: string; note: string }[] = []
  for (const [i, entry] of entries.entries()) {
    const path = `body.entries.${i}.cidr`
    const parsed = parseCidr(entry.cidr)
    if (!parsed.ok) {
      issues.push({ path, message: parsed.reason })
      continue
    }
    if (parsed.range.prefix === 0) {
      issues.push({ path, message: `'${entry.cidr}' allows every address, which is no restriction; list the networks that may call, or empty the list to allow all` })
      continue
    }
    const cidr = formatCidr(parsed.range)
    if (seen.has(cidr)) continue
    seen.add(cidr)
    canonical.push({ cidr, note: entry.note })
  }
  if (issues.length) throw errors.invalid(issues)
  return canonical
}

export const allowlist = {
  async get(tx: Queryable): Promise<AllowlistEntryView[]> {
    const rows = await tx.sql<{ cidr: string; note: string; created_at: Date }>`SELECT cidr, note, created_at FROM oc_ip_allowlist ORDER BY position, cidr`
    return rows.map((r) => ({ cidr: r.cidr, note: r.note, createdAt: iso(r.created_at)! }))
  },
  /** Replaces the list; entries that stay keep their creation time. */
  async replace(tx: Queryable, entries: readonly { cidr: string; note: string }[]): Promise<AllowlistEntryView[]> {
    const keep = entries.map((e) => e.cidr)
    await tx.sql`DELETE FROM oc_ip_allowlist WHERE NOT (cidr = ANY(string_to_array(${keep.join(',')}, ',')))`
    for (const [position, entry] of entries.entries()) {
      await tx.sql`INSERT INTO oc_ip_allowlist (cidr, note, position) VALUES (${entry.cidr}, ${entry.note}, ${position})
        ON CONFLICT (service_id, cidr) DO UPDATE SET note = excluded.note, position = excluded.position`
    }
    return allowlist.get(tx)
  },
}
