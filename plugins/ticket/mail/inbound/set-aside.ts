/**
 * Set-aside mail (issue #12, item 7): a received message that intake could not store, kept
 * as a record with its reason so that one message never stalls intake. The IMAP poller flags
 * such a message {@link SET_ASIDE_KEYWORD} in the mailbox and moves its cursor past it; the raw
 * endpoint answers 422 `TICKET_MAIL_SET_ASIDE` and records it too (the sender cannot fix a
 * message by sending it again). Service admins list them (`GET /ticket/mail/set-aside`) and
 * dismiss them once looked at; the message itself stays in the mailbox or the sender's queue.
 *
 * What counts as the message's fault: a PostgreSQL data exception (SQLSTATE class 22), an
 * integrity refusal (23) or a program limit (54, e.g. an index row too large) raised while
 * storing it. Anything else (connection, lock time-out) is the platform's and is retried.
 */
import { cleanText, type Migration, type TenantTx } from '../../../../core/mod.ts'
import type { MailSource } from './source.ts'

/** The IMAP keyword set on a message that was set aside (a `\Seen` flag is set as well). */
export const SET_ASIDE_KEYWORD = '$OcSetAside'

export const mailSetAsideMigration: Migration = {
  id: '0013_mail_set_aside',
  sql: `
    CREATE TABLE ticket_mail_set_aside (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      message_id text,
      sender text,
      subject text,
      source text NOT NULL CHECK (source IN ('endpoint', 'imap')),
      account_id uuid,
      error_code text NOT NULL,
      error_message text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, seq)
    );
    SELECT oc_tenant_table('ticket_mail_set_aside');`,
}

/** SQLSTATE classes that say the message's content is what storage refused. */
const MESSAGE_FAULT = /^(22|23|54)/

/** The SQLSTATE of a storage error the message caused, or null when the error is not the message's. */
export function messageFault(error: unknown): { code: string; message: string } | null {
  const code = (error as { code?: unknown })?.code
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || !MESSAGE_FAULT.test(code)) return null
  return { code, message: String((error as Error).message ?? error) }
}

/** Short, storable copies of what identifies the message; the columns hold these, never the bytes. */
const short = (value: string | null | undefined, max: number) => (value ? cleanText(value).slice(0, max) : null)

export interface SetAsideRecord {
  readonly messageId: string | null
  readonly sender: string | null
  readonly subject: string | null
  readonly source: MailSource
  readonly code: string
  readonly message: string
}

export async function recordSetAside(tx: TenantTx, r: SetAsideRecord): Promise<string> {
  const [row] = await tx.sql<{ seq: string }>`
    INSERT INTO ticket_mail_set_aside (message_id, sender, subject, source, account_id, error_code, error_message)
    VALUES (${short(r.messageId, 300)}, ${short(r.sender, 320)}, ${short(r.subject, 200)}, ${r.source.kind}, ${r.source.accountId ?? null}, ${r.code}, ${short(r.message, 1000)})
    RETURNING seq::text AS seq`
  return row!.seq
}

export interface SetAsideRow {
  seq: string
  message_id: string | null
  sender: string | null
  subject: string | null
  source: 'endpoint' | 'imap'
  account_id: string | null
  error_code: string
  error_message: string
  created_at: Date | string
}

/** Newest first, `limit` rows after the cursor's seq, plus whether more follow. */
export async function listSetAside(tx: TenantTx, beforeSeq: string | null, limit: number): Promise<{ rows: SetAsideRow[]; more: boolean }> {
  const rows = await tx.sql<SetAsideRow>`
    SELECT seq::text AS seq, message_id, sender, subject, source, account_id, error_code, error_message, created_at
    FROM ticket_mail_set_aside WHERE ${beforeSeq === null} OR seq < ${beforeSeq}::bigint
    ORDER BY seq DESC LIMIT ${limit + 1}`
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}

export async function dismissSetAside(tx: TenantTx, seq: string): Promise<boolean> {
  const rows = await tx.sql<{ seq: string }>`DELETE FROM ticket_mail_set_aside WHERE seq = ${seq}::bigint RETURNING seq::text AS seq`
  return rows.length > 0
}
