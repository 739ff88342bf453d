/** Attachment rows of entries (the files themselves are on the core blob store, by key). */
import type { Queryable } from '../../../core/mod.ts'
import { iso, type Attachment } from './store.ts'

interface AttachmentRow {
  id: string
  entry_id: string
  blob_key: string
  file_name: string
  content_type: string
  size: number
  created_at: Date
}

const toAttachment = (row: AttachmentRow): Attachment => ({ id: row.id, fileName: row.file_name, contentType: row.content_type, size: row.size, createdAt: iso(row.created_at)! })

/** The attachments of each of these entries, oldest first, in one statement. */
export async function attachmentsOf(tx: Queryable, entryIds: readonly string[]): Promise<Map<string, Attachment[]>> {
  const byEntry = new Map<string, Attachment[]>(entryIds.map((id) => [id, []]))
  if (!entryIds.length) return byEntry
  const rows = await tx.sql<AttachmentRow>`SELECT * FROM helpcenter_entry_attachments WHERE entry_id = ANY(${entryIds as string[]}::uuid[]) ORDER BY created_at, id`
  for (const row of rows) byEntry.get(row.entry_id)?.push(toAttachment(row))
  return byEntry
}

export async function listAttachments(tx: Queryable, entryId: string): Promise<Attachment[]> {
  return (await attachmentsOf(tx, [entryId])).get(entryId)!
}

/** An attachment of the entry, with its blob key. */
export async function findAttachment(tx: Queryable, entryId: string, id: string): Promise<(Attachment & { blobKey: string }) | null> {
  const [row] = await tx.sql<AttachmentRow>`SELECT * FROM helpcenter_entry_attachments WHERE entry_id = ${entryId} AND id = ${id}`
  return row ? { ...toAttachment(row), blobKey: row.blob_key } : null
}

export async function insertAttachment(tx: Queryable, entryId: string, file: { blobKey: string; fileName: string; contentType: string; size: number }): Promise<Attachment> {
  const [row] = await tx.sql<AttachmentRow>`
    INSERT INTO helpcenter_entry_attachments (entry_id, blob_key, file_name, content_type, size)
    VALUES (${entryId}, ${file.blobKey}, ${file.fileName}, ${file.contentType}, ${file.size}) RETURNING *`
  return toAttachment(row!)
}

export async function deleteAttachment(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM helpcenter_entry_attachments WHERE id = ${id}`
}
