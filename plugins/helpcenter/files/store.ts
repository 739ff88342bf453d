/** Rows of `helpcenter_files` and their API view (with the copyable public path). */
import type { Queryable, TenantTx } from '../../../core/mod.ts'
import { z } from '../../../core/mod.ts'

export const FILE_PURPOSES = ['theme', 'template', 'mail-layout'] as const

export const HelpCenterFile = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string().openapi({ description: 'As read from the bytes' }),
    size: z.number().int(),
    purpose: z.enum(FILE_PURPOSES),
    path: z.string().openapi({ description: 'The public path to paste into a theme, template or layout', example: '/o/acme/support/hc/files/0b6f…/logo.png' }),
    createdAt: z.string(),
  })
  .openapi('HelpCenterFile')
export type HelpCenterFile = z.infer<typeof HelpCenterFile>

export interface FileRow {
  id: string
  blob_key: string
  file_name: string
  content_type: string
  size: number
  purpose: (typeof FILE_PURPOSES)[number]
  created_at: Date | string
}

/** The public path of a file under a help-center base (`/o/{org}/{service}/hc`). */
export const publicFilePath = (base: string, row: Pick<FileRow, 'id' | 'file_name'>) => `${base}/files/${row.id}/${encodeURIComponent(row.file_name)}`

export const fileView = (base: string, row: FileRow): HelpCenterFile => ({
  id: row.id,
  fileName: row.file_name,
  contentType: row.content_type,
  size: row.size,
  purpose: row.purpose,
  path: publicFilePath(base, row),
  createdAt: new Date(row.created_at).toISOString(),
})

export async function insertFile(tx: TenantTx, file: Omit<FileRow, 'id' | 'created_at'>): Promise<FileRow> {
  const [row] = await tx.sql<FileRow>`
    INSERT INTO helpcenter_files (blob_key, file_name, content_type, size, purpose)
    VALUES (${file.blob_key}, ${file.file_name}, ${file.content_type}, ${file.size}, ${file.purpose}) RETURNING *`
  return row!
}

export const listFiles = (tx: Queryable, purpose: string | undefined) =>
  purpose
    ? tx.query<FileRow>('SELECT * FROM helpcenter_files WHERE purpose = $1 ORDER BY created_at DESC, id', [purpose])
    : tx.query<FileRow>('SELECT * FROM helpcenter_files ORDER BY created_at DESC, id')

export async function findFile(tx: Queryable, id: string): Promise<FileRow | null> {
  const [row] = await tx.query<FileRow>('SELECT * FROM helpcenter_files WHERE id = $1', [id])
  return row ?? null
}

export async function deleteFile(tx: Queryable, id: string): Promise<FileRow | null> {
  const [row] = await tx.query<FileRow>('DELETE FROM helpcenter_files WHERE id = $1 RETURNING *', [id])
  return row ?? null
}
