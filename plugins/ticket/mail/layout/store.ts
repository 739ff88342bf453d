/**
 * The stored layout of a service and the cache of prepared layouts.
 *
 * Saving stores the source, the HTML compiled from it and the next version number. Sending reads
 * the version only, and the HTML only when this process has not prepared that version yet
 * (one statement either way): the cache holds prepared layouts per service and version, so a
 * layout saved on another instance is picked up by its new version, never served stale.
 */
import type { Queryable } from '../../../../core/mod.ts'
import type { LayoutFormat } from './compile.ts'
import { DEFAULT_LAYOUT, prepareLayout, type PreparedLayout } from './render.ts'

export interface StoredLayout {
  readonly format: LayoutFormat
  readonly source: string
  readonly html: string
  readonly version: number
  readonly updatedAt: string
}

interface LayoutRow {
  format: LayoutFormat
  source: string
  html: string
  version: number
  updated_at: Date | string
}

const toLayout = (row: LayoutRow): StoredLayout => ({ format: row.format, source: row.source, html: row.html, version: Number(row.version), updatedAt: new Date(row.updated_at).toISOString() })

export async function readLayout(tx: Queryable): Promise<StoredLayout | null> {
  const [row] = await tx.sql<LayoutRow>`SELECT format, source, html, version, updated_at FROM ticket_mail_layouts`
  return row ? toLayout(row) : null
}

/** Stores a compiled layout as the next version. */
export async function saveLayout(tx: Queryable, layout: { format: LayoutFormat; source: string; html: string }): Promise<StoredLayout> {
  const [row] = await tx.sql<LayoutRow>`
    INSERT INTO ticket_mail_layouts (format, source, html, version) VALUES (${layout.format}, ${layout.source}, ${layout.html}, 1)
    ON CONFLICT (service_id) DO UPDATE SET format = EXCLUDED.format, source = EXCLUDED.source, html = EXCLUDED.html,
      version = ticket_mail_layouts.version + 1, updated_at = now()
    RETURNING format, source, html, version, updated_at`
  return toLayout(row!)
}

/** Services whose prepared layout is kept; past this the least recently stored is dropped. */
const CACHE_LIMIT = 1_000
const cache = new Map<string, PreparedLayout>()

/** The prepared layout of the service of `tx` (the built-in default when none is saved). */
export async function preparedLayout(tx: Queryable, serviceId: string): Promise<PreparedLayout> {
  const cached = cache.get(serviceId)
  const [row] = await tx.sql<{ version: number; html: string | null }>`
    SELECT version, CASE WHEN version = ${cached?.version ?? -1} THEN NULL ELSE html END AS html FROM ticket_mail_layouts`
  if (!row) return DEFAULT_LAYOUT
  const version = Number(row.version)
  if (cached && cached.version === version) return cached
  const prepared = prepareLayout(version, row.html!)
  cache.delete(serviceId)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(serviceId, prepared)
  return prepared
}

/** Puts a freshly saved layout in the cache, so the next mail does not read its HTML again. */
export function rememberLayout(serviceId: string, layout: StoredLayout): void {
  cache.delete(serviceId)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(serviceId, prepareLayout(layout.version, layout.html))
}
