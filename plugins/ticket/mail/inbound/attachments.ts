/**
 * The files of a received mail, stored through the tenant's blob store under the same upload
 * policy as the ticket attachment API (routes/tickets-attachments.ts): at most 10 MB per file,
 * the same accepted types (read from each file's bytes, not from its MIME header), at most five
 * files per message; the stored type is the detected one.
 *
 * A file the policy refuses is left out and named in a note appended to the message text
 * (`[attachment not kept: …]`), so the agent knows it existed and can ask for it: losing the whole
 * mail over one oversized file would be worse, and the sender is not told automatically (that
 * would be a mail caused by a mail). Empty parts are skipped silently.
 *
 * Blobs are written before the intake transaction (a blob store may be the database itself, and
 * on PGlite a transaction holds the only connection); when that transaction does not commit,
 * {@link discardStored} removes them again.
 */
import { inspectUpload, type TenantBlobs } from '../../../../core/mod.ts'
import { ATTACHMENT_POLICY } from '../../routes/tickets-attachments.ts'
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../tickets/schemas.ts'
import type { InboundAttachment } from './parse.ts'

export interface StoredMailFile {
  readonly blobKey: string
  readonly fileName: string
  readonly contentType: string
  readonly size: number
}

export interface StoredMailFiles {
  readonly stored: readonly StoredMailFile[]
  /** One line per file left out, for the note appended to the message text. */
  readonly notes: readonly string[]
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`

export async function storeMailFiles(blobs: TenantBlobs, files: readonly InboundAttachment[]): Promise<StoredMailFiles> {
  const stored: StoredMailFile[] = []
  const notes: string[] = []
  try {
    for (const file of files) {
      if (file.content.byteLength === 0) continue
      if (stored.length >= MAX_ATTACHMENTS_PER_MESSAGE) {
        notes.push(`[attachment not kept: ${file.fileName} (a message keeps at most ${MAX_ATTACHMENTS_PER_MESSAGE} files)]`)
        continue
      }
      const verdict = inspectUpload(file.content, file.contentType, ATTACHMENT_POLICY)
      if (!verdict.ok) {
        notes.push(`[attachment not kept: ${file.fileName} (${verdict.status === 413 ? `${megabytes(file.content.byteLength)}, over the ${megabytes(ATTACHMENT_POLICY.maxBytes)} limit` : verdict.reason})]`)
        continue
      }
      const blob = await blobs.put(file.content, file.contentType, ATTACHMENT_POLICY)
      stored.push({ blobKey: blob.key, fileName: file.fileName, contentType: blob.contentType, size: blob.size })
    }
  } catch (error) {
    await discardStored(blobs, stored)
    throw error
  }
  return { stored, notes }
}

/** Removes blobs whose intake did not commit (a duplicate lost the race, or the transaction failed). */
export async function discardStored(blobs: TenantBlobs, files: readonly StoredMailFile[]): Promise<void> {
  for (const file of files) await blobs.delete(file.blobKey).catch(() => false)
}
