/** Reads and writes plugin settings (C9) in `oc_plugin_settings`, one row per service and plugin. */
import type { z } from 'zod'
import type { Queryable } from '../storage/db.ts'

export async function readStoredSettings(tx: Queryable, pluginId: string): Promise<Record<string, unknown> | null> {
  const [row] = await tx.sql<{ value: Record<string, unknown> }>`SELECT value FROM oc_plugin_settings WHERE plugin_id = ${pluginId}`
  return row?.value ?? null
}

export async function writeSettings(tx: Queryable, pluginId: string, value: Record<string, unknown>): Promise<void> {
  await tx.sql`INSERT INTO oc_plugin_settings (plugin_id, value) VALUES (${pluginId}, ${JSON.stringify(value)}::jsonb)
    ON CONFLICT (service_id, plugin_id) DO UPDATE SET value = excluded.value, updated_at = now()`
}

/** Stored values with schema defaults applied; `null` when required settings were never saved. */
export function effectiveSettings(schema: z.ZodObject, stored: Record<string, unknown> | null): Record<string, unknown> | null {
  const parsed = schema.safeParse(stored ?? {})
  return parsed.success ? (parsed.data as Record<string, unknown>) : null
}
