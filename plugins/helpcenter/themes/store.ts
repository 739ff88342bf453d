/** Theme rows and their versions: write, read, list, set in use. */
import type { Queryable } from '../../../core/mod.ts'
import type { Device } from '../default-theme/mod.ts'

export interface ThemeContent {
  readonly title: string
  readonly description: string
  readonly templates: Readonly<Record<string, string>>
  readonly css: string
  readonly script: string
}

export interface Theme extends ThemeContent {
  readonly id: string
  readonly device: Device
  readonly active: boolean
  readonly inUse: boolean
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface ThemeVersion extends ThemeContent {
  readonly version: number
  readonly restoredFrom: number | null
  readonly createdAt: string
}

interface ContentRow {
  title: string
  description: string
  templates: Record<string, string> | string
  css: string
  script: string
}
interface ThemeRow extends ContentRow {
  id: string
  device: Device
  active: boolean
  in_use: boolean
  version: number
  created_at: Date | string
  updated_at: Date | string
}
interface VersionRow extends ContentRow {
  version: number
  restored_from: number | null
  created_at: Date | string
}

const iso = (value: Date | string) => new Date(value).toISOString()
const content = (row: ContentRow): ThemeContent => ({
  title: row.title,
  description: row.description,
  templates: typeof row.templates === 'string' ? (JSON.parse(row.templates) as Record<string, string>) : row.templates,
  css: row.css,
  script: row.script,
})
const toTheme = (row: ThemeRow): Theme => ({ ...content(row), id: row.id, device: row.device, active: row.active, inUse: row.in_use, version: row.version, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) })
const toVersion = (row: VersionRow): ThemeVersion => ({ ...content(row), version: row.version, restoredFrom: row.restored_from, createdAt: iso(row.created_at) })

async function insertVersion(tx: Queryable, themeId: string, version: number, value: ThemeContent, restoredFrom: number | null): Promise<void> {
  await tx.sql`
    INSERT INTO helpcenter_theme_versions (theme_id, version, title, description, templates, css, script, restored_from)
    VALUES (${themeId}, ${version}, ${value.title}, ${value.description}, ${JSON.stringify(value.templates)}::jsonb, ${value.css}, ${value.script}, ${restoredFrom})`
}

export async function insertTheme(tx: Queryable, device: Device, value: ThemeContent): Promise<string> {
  const [row] = await tx.sql<{ id: string }>`INSERT INTO helpcenter_themes (device) VALUES (${device}) RETURNING id`
  await insertVersion(tx, row!.id, 1, value, null)
  return row!.id
}

/** Saves `value` as the theme's next version and makes it current; returns its number. */
export async function saveVersion(tx: Queryable, themeId: string, value: ThemeContent, restoredFrom: number | null = null): Promise<number> {
  const [row] = await tx.sql<{ version: number }>`UPDATE helpcenter_themes SET version = version + 1, updated_at = now() WHERE id = ${themeId} RETURNING version`
  await insertVersion(tx, themeId, row!.version, value, restoredFrom)
  return row!.version
}

/** A theme row with its current version's content; `rest` filters and orders (`$n` parameters). */
const themeQuery = (rest: string) => `
  SELECT t.id, t.device, t.active, t.in_use, t.version, t.created_at, t.updated_at, v.title, v.description, v.templates, v.css, v.script
  FROM helpcenter_themes t JOIN helpcenter_theme_versions v ON v.theme_id = t.id AND v.version = t.version ${rest}`

export async function findTheme(tx: Queryable, id: string): Promise<Theme | null> {
  const [row] = await tx.query<ThemeRow>(themeQuery('WHERE t.id = $1'), [id])
  return row ? toTheme(row) : null
}

/** Holds the theme's row until the transaction ends, so two saves number their versions in turn. */
export async function lockTheme(tx: Queryable, id: string): Promise<void> {
  await tx.sql`SELECT 1 FROM helpcenter_themes WHERE id = ${id} FOR UPDATE`
}

/** Every theme of the service, newest first. */
export async function listThemes(tx: Queryable, device?: Device): Promise<Theme[]> {
  const rows = await tx.query<ThemeRow>(themeQuery('WHERE ($1::text IS NULL OR t.device = $1::text) ORDER BY t.seq DESC LIMIT 500'), [device ?? null])
  return rows.map(toTheme)
}

/** The theme in use for `device`, or null (the default theme shows). */
export async function themeInUse(tx: Queryable, device: Device): Promise<Theme | null> {
  const [row] = await tx.sql<{ id: string }>`SELECT id FROM helpcenter_themes WHERE device = ${device} AND in_use`
  return row ? findTheme(tx, row.id) : null
}

export async function listVersions(tx: Queryable, themeId: string): Promise<ThemeVersion[]> {
  const rows = await tx.sql<VersionRow>`SELECT version, title, description, templates, css, script, restored_from, created_at FROM helpcenter_theme_versions WHERE theme_id = ${themeId} ORDER BY version DESC`
  return rows.map(toVersion)
}

export async function findVersion(tx: Queryable, themeId: string, version: number): Promise<ThemeVersion | null> {
  const [row] = await tx.sql<VersionRow>`SELECT version, title, description, templates, css, script, restored_from, created_at FROM helpcenter_theme_versions WHERE theme_id = ${themeId} AND version = ${version}`
  return row ? toVersion(row) : null
}

export async function setActive(tx: Queryable, id: string, active: boolean): Promise<void> {
  await tx.sql`UPDATE helpcenter_themes SET active = ${active}, updated_at = now() WHERE id = ${id}`
}

/**
 * Holds every theme of `device` until the transaction ends, in one order, so changes of the
 * theme in use take turns: without it the second misses the first's new theme and breaks the
 * one-in-use index. Take it before any other theme lock of the transaction.
 */
export async function lockDeviceThemes(tx: Queryable, device: Device): Promise<void> {
  await tx.sql`SELECT id FROM helpcenter_themes WHERE device = ${device} ORDER BY id FOR UPDATE`
}

/** Makes `id` the theme in use for `device` (or none, with null): the one that was leaves first. Call it under {@link lockDeviceThemes}. */
export async function setInUse(tx: Queryable, device: Device, id: string | null): Promise<void> {
  await tx.sql`UPDATE helpcenter_themes SET in_use = false, updated_at = now() WHERE device = ${device} AND in_use`
  if (id) await tx.sql`UPDATE helpcenter_themes SET in_use = true, updated_at = now() WHERE id = ${id}`
}

export async function deleteTheme(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_themes WHERE id = ${id}`
}
