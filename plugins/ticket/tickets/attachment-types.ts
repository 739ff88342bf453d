/**
 * Stored attachment types in their one form (the core's `normalizeContentType`): rows written
 * before uploads were typed from their content may hold a declared type as sent, in any case,
 * with parameters, or with CR/LF (which made every download of them answer 500, and would reach
 * outgoing mail headers). Each distinct value is normalised once; what is not a media type at all
 * becomes `application/octet-stream`. Downloads are safe without this (the core's file response
 * normalises again); outgoing mail and the API's listings read the column as stored.
 */
import { normalizeContentType, type Migration } from '../../../core/mod.ts'

export const attachmentTypeMigration: Migration = {
  id: '0016_attachment_types',
  async up(tx) {
    const stored = await tx.query<{ content_type: string }>('SELECT DISTINCT content_type FROM ticket_attachments')
    for (const { content_type: type } of stored) {
      const normal = normalizeContentType(type) ?? 'application/octet-stream'
      if (normal !== type) await tx.query('UPDATE ticket_attachments SET content_type = $1 WHERE content_type = $2', [normal, type])
    }
  },
}
