/**
 * The service's sending identity (T7): the representative address (the address customers write
 * to, and where replies must come back), the sender's display name, an optional Reply-To, and
 * the external account that sends (null: the platform's own sender). One row per service,
 * absent until an admin saves it.
 */
import type { Queryable } from '../../../core/mod.ts'

export interface MailSettings {
  readonly representativeAddress: string
  readonly senderName: string | null
  readonly replyTo: string | null
  readonly sendingAccountId: string | null
  readonly updatedAt: string
}

interface SettingsRow {
  representative_address: string
  sender_name: string | null
  reply_to: string | null
  sending_account_id: string | null
  updated_at: Date | string
}

const toSettings = (row: SettingsRow): MailSettings => ({
  representativeAddress: row.representative_address,
  senderName: row.sender_name,
  replyTo: row.reply_to,
  sendingAccountId: row.sending_account_id,
  updatedAt: new Date(row.updated_at).toISOString(),
})

export async function readMailSettings(tx: Queryable): Promise<MailSettings | null> {
  const [row] = await tx.sql<SettingsRow>`SELECT representative_address, sender_name, reply_to, sending_account_id, updated_at FROM ticket_mail_settings`
  return row ? toSettings(row) : null
}

export async function saveMailSettings(tx: Queryable, s: Omit<MailSettings, 'updatedAt'>): Promise<MailSettings> {
  const [row] = await tx.sql<SettingsRow>`
    INSERT INTO ticket_mail_settings (representative_address, sender_name, reply_to, sending_account_id)
    VALUES (${s.representativeAddress}, ${s.senderName}, ${s.replyTo}, ${s.sendingAccountId})
    ON CONFLICT (service_id) DO UPDATE SET representative_address = EXCLUDED.representative_address, sender_name = EXCLUDED.sender_name,
      reply_to = EXCLUDED.reply_to, sending_account_id = EXCLUDED.sending_account_id, updated_at = now()
    RETURNING representative_address, sender_name, reply_to, sending_account_id, updated_at`
  return toSettings(row!)
}

/** Called before an account is deleted: the service falls back to the platform sender. */
export async function forgetSendingAccount(tx: Queryable, accountId: string): Promise<boolean> {
  const rows = await tx.sql`UPDATE ticket_mail_settings SET sending_account_id = NULL, updated_at = now() WHERE sending_account_id = ${accountId} RETURNING service_id`
  return rows.length > 0
}
