/**
 * Key rotation of mail-account passwords (S3): re-seals SMTP and IMAP passwords still under an
 * older master-key version, every tenant's, with the core's `rotateColumn` (batches under
 * `FOR UPDATE SKIP LOCKED`, beside live traffic). Each value keeps its context
 * (`mail-account:<id>:<protocol>`), so it stays bound to its account and protocol.
 */
import { rotateColumn, type FieldCrypto, type Row } from '../../../core/mod.ts'
import type { PluginContext } from '../../../core/mod.ts'
import { secretContext, type MailProtocol } from './accounts.ts'

export async function rotateMailAccountKeys(db: PluginContext['db'], crypto: FieldCrypto, options: { signal?: AbortSignal } = {}): Promise<{ rotated: number; failed: number }> {
  if (!crypto.configured) return { rotated: 0, failed: 0 }
  let rotated = 0
  let failed = 0
  for (const protocol of ['smtp', 'imap'] as const satisfies readonly MailProtocol[]) {
    const result = await rotateColumn(
      db,
      { table: 'ticket_mail_accounts', column: `${protocol}_password`, keyColumns: ['service_id', 'id'], context: (row: Row) => secretContext(String(row.id), protocol), ...(options.signal ? { signal: options.signal } : {}) },
      crypto,
    )
    rotated += result.rotated
    failed += result.failed
  }
  return { rotated, failed }
}
