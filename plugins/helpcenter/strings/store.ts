/** String-set rows: custom sets and edits of system sets, tags and their links. */
import type { Queryable } from '../../../core/mod.ts'

export type Texts = Record<string, string>

export interface StoredSet {
  readonly code: string
  readonly system: boolean
  readonly texts: Texts
  readonly updatedAt: string
}

interface SetRow {
  code: string
  system: boolean
  texts: Texts | string
  updated_at: Date | string
}

const toSet = (row: SetRow): StoredSet => ({
  code: row.code,
  system: row.system,
  texts: typeof row.texts === 'string' ? (JSON.parse(row.texts) as Texts) : row.texts,
  updatedAt: new Date(row.updated_at).toISOString(),
})

export async function storedSets(tx: Queryable): Promise<StoredSet[]> {
  return (await tx.sql<SetRow>`SELECT code, system, texts, updated_at FROM helpcenter_string_sets ORDER BY code`).map(toSet)
}

export async function storedSet(tx: Queryable, code: string): Promise<StoredSet | null> {
  const [row] = await tx.sql<SetRow>`SELECT code, system, texts, updated_at FROM helpcenter_string_sets WHERE code = ${code}`
  return row ? toSet(row) : null
}

/** Writes a set's texts (a custom set, or the edit of a system one), creating the row on first write. */
export async function putSet(tx: Queryable, code: string, system: boolean, texts: Texts): Promise<void> {
  await tx.sql`
    INSERT INTO helpcenter_string_sets (code, system, texts) VALUES (${code}, ${system}, ${JSON.stringify(texts)}::jsonb)
    ON CONFLICT (service_id, code) DO UPDATE SET texts = EXCLUDED.texts, updated_at = now()`
}

/** Adds the custom set `code`; false when a set of that code exists (a concurrent add included). */
export async function insertCustomSet(tx: Queryable, code: string, texts: Texts): Promise<boolean> {
  const rows = await tx.sql`INSERT INTO helpcenter_string_sets (code, system, texts) VALUES (${code}, false, ${JSON.stringify(texts)}::jsonb) ON CONFLICT (service_id, code) DO NOTHING RETURNING code`
  return rows.length === 1
}

export async function deleteSet(tx: Queryable, code: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_string_sets WHERE code = ${code}`
}

export interface Tag {
  readonly id: string
  readonly name: string
}

export async function allTags(tx: Queryable): Promise<Tag[]> {
  return tx.sql<Tag>`SELECT id, name FROM helpcenter_string_tags ORDER BY name`
}

export async function findTag(tx: Queryable, id: string): Promise<Tag | null> {
  const [row] = await tx.sql<Tag>`SELECT id, name FROM helpcenter_string_tags WHERE id = ${id}`
  return row ?? null
}

export async function tagNamed(tx: Queryable, name: string): Promise<Tag | null> {
  const [row] = await tx.sql<Tag>`SELECT id, name FROM helpcenter_string_tags WHERE name = ${name}`
  return row ?? null
}

/** Adds a tag; null when one of that name exists (a concurrent add included). */
export async function insertTag(tx: Queryable, name: string): Promise<Tag | null> {
  const [row] = await tx.sql<Tag>`INSERT INTO helpcenter_string_tags (name) VALUES (${name}) ON CONFLICT (service_id, name) DO NOTHING RETURNING id, name`
  return row ?? null
}

export async function renameTag(tx: Queryable, id: string, name: string): Promise<Tag> {
  const [row] = await tx.sql<Tag>`UPDATE helpcenter_string_tags SET name = ${name} WHERE id = ${id} RETURNING id, name`
  return row!
}

/** Deletes a tag; its links to sets go with it (foreign key cascade). */
export async function deleteTag(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_string_tags WHERE id = ${id}`
}

/** Tag ids of every set that has some, by code. */
export async function tagLinks(tx: Queryable): Promise<Map<string, string[]>> {
  const rows = await tx.sql<{ code: string; tag_id: string }>`SELECT code, tag_id FROM helpcenter_string_set_tags ORDER BY code, tag_id`
  const links = new Map<string, string[]>()
  for (const row of rows) links.set(row.code, [...(links.get(row.code) ?? []), row.tag_id])
  return links
}

/** Replaces the tags of the set `code`. */
export async function setTagLinks(tx: Queryable, code: string, tagIds: readonly string[]): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_string_set_tags WHERE code = ${code}`
  if (tagIds.length) await tx.sql`INSERT INTO helpcenter_string_set_tags (code, tag_id) SELECT ${code}, unnest(string_to_array(${tagIds.join(',')}, ','))::uuid`
}

/** Which of `ids` are not tags of the service. */
export async function unknownTagIds(tx: Queryable, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return []
  const rows = await tx.sql<{ id: string }>`SELECT id FROM helpcenter_string_tags WHERE id::text = ANY(string_to_array(${ids.join(',')}, ','))`
  const known = new Set(rows.map((r) => r.id))
  return ids.filter((id) => !known.has(id))
}
