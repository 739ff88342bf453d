/**
 * Reads and writes plugin settings (C9) in `oc_plugin_settings`, one row per service and plugin.
 *
 * Secret fields never sit in plaintext when a master key is configured: they are taken out of
 * the `value` document and sealed together, as one JSON object, under the tenant key in
 * `sealed_secrets` (context `settings:<plugin id>`, so a sealed value copied to another plugin's
 * row does not open). Without a master key they stay in `value`, write-only over the API as
 * always; the next save after a key is configured seals them. Readers always get the merged
 * values.
 */
import type { z } from 'zod'
import type { FieldCrypto } from '../api/crypto.ts'
import type { Queryable } from '../storage/db.ts'

const sealContext = (pluginId: string) => `settings:${pluginId}`

export async function readStoredSettings(tx: Queryable, pluginId: string, crypto: FieldCrypto): Promise<Record<string, unknown> | null> {
  const [row] = await tx.sql<{ value: Record<string, unknown>; sealed_secrets: string | null; org_id: string; service_id: string }>`
    SELECT value, sealed_secrets, org_id, service_id FROM oc_plugin_settings WHERE plugin_id = ${pluginId}`
  if (!row) return null
  if (row.sealed_secrets === null) return row.value
  const secrets = JSON.parse(await crypto.forTenant({ orgId: row.org_id, serviceId: row.service_id }).decrypt(row.sealed_secrets, sealContext(pluginId)))
  return { ...row.value, ...secrets }
}

/** Stores the settings of the tenant of `tx`, sealing the `secrets` fields when a master key is configured. */
export async function writeSettings(tx: Queryable, pluginId: string, value: Record<string, unknown>, secrets: readonly string[], crypto: FieldCrypto): Promise<void> {
  let plain = value
  let sealed: string | null = null
  const present = secrets.filter((key) => value[key] !== undefined)
  if (crypto.configured && present.length) {
    plain = Object.fromEntries(Object.entries(value).filter(([key]) => !present.includes(key)))
    const [scope] = await tx.sql<{ org_id: string; service_id: string }>`SELECT oc_current_org()::text AS org_id, oc_current_service()::text AS service_id`
    const hidden = Object.fromEntries(present.map((key) => [key, value[key]]))
    sealed = await crypto.forTenant({ orgId: scope!.org_id, serviceId: scope!.service_id }).encrypt(JSON.stringify(hidden), sealContext(pluginId))
  }
  await tx.sql`INSERT INTO oc_plugin_settings (plugin_id, value, sealed_secrets) VALUES (${pluginId}, ${JSON.stringify(plain)}::jsonb, ${sealed})
    ON CONFLICT (service_id, plugin_id) DO UPDATE SET value = excluded.value, sealed_secrets = excluded.sealed_secrets, updated_at = now()`
}

/** Stored values with schema defaults applied; `null` when required settings were never saved. */
export function effectiveSettings(schema: z.ZodObject, stored: Record<string, unknown> | null): Record<string, unknown> | null {
  const parsed = schema.safeParse(stored ?? {})
  return parsed.success ? (parsed.data as Record<string, unknown>) : null
}
