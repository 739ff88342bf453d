/**
 * External mail accounts (T7): the service's existing mailboxes, each with optional SMTP
 * (sending) and IMAP (receiving) settings.
 *
 * Passwords are sealed with the tenant's field key before they reach the database, in a context
 * naming the account and the protocol (`mail-account:<id>:smtp`), and never leave through the
 * API: views say `passwordSet`. A change that keeps the stored password must keep the server it
 * was saved for: moving an account to another host or user without giving the password again is
 * refused, so a changed host cannot make the platform hand the old password to a new server.
 *
 * Readers of decrypted credentials: {@link readSendingAccount} (outgoing mail) and
 * {@link listImapAccounts} / {@link readImapAccount} (the inbound poller, which also records its
 * progress with {@link saveImapPollState}). Those take `FieldCrypto` (`ctx.crypto`) and open each
 * row with its own tenant's key, so the poller can list every tenant's accounts as the platform.
 */
import { errors, type FieldCrypto, type FieldIssue, type Queryable, type SmtpAccount, type TenantCrypto } from '../../../core/mod.ts'

export type MailProtocol = 'smtp' | 'imap'

export interface SmtpInput {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly user?: string | null
  /** Omitted: keep the stored password. Null: remove it. */
  readonly password?: string | null
}

export interface ImapInput extends SmtpInput {
  readonly mailbox: string
  readonly enabled: boolean
}

export interface MailAccountInput {
  readonly address: string
  readonly displayName?: string | null
  readonly smtp?: SmtpInput | null
  readonly imap?: ImapInput | null
}

/** Where the IMAP poller stands in a mailbox; reset whenever the mailbox changes. */
export interface ImapPollState {
  readonly uidValidity: number | null
  readonly lastUid: number | null
  readonly polledAt: string | null
  readonly error: string | null
}

/** An account as the API shows it: no password, only whether one is stored. */
export interface MailAccountView {
  readonly id: string
  readonly address: string
  readonly displayName: string | null
  readonly smtp: { host: string; port: number; secure: boolean; user: string | null; passwordSet: boolean } | null
  readonly imap: { host: string; port: number; secure: boolean; user: string | null; passwordSet: boolean; mailbox: string; enabled: boolean; state: ImapPollState } | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** IMAP settings with the password opened, for the inbound poller. */
export interface ImapAccount {
  readonly orgId: string
  readonly serviceId: string
  readonly accountId: string
  readonly address: string
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly user: string | null
  readonly password: string | null
  readonly mailbox: string
  readonly enabled: boolean
  readonly state: ImapPollState
}

/** The account a service sends through, with its SMTP password opened. */
export interface SendingAccount {
  readonly id: string
  readonly address: string
  readonly displayName: string | null
  readonly smtp: SmtpAccount
}

interface AccountRow {
  org_id: string
  service_id: string
  id: string
  address: string
  display_name: string | null
  smtp_host: string | null
  smtp_port: number | null
  smtp_secure: boolean | null
  smtp_user: string | null
  smtp_password: string | null
  imap_host: string | null
  imap_port: number | null
  imap_secure: boolean | null
  imap_user: string | null
  imap_password: string | null
  imap_mailbox: string | null
  imap_enabled: boolean
  imap_uid_validity: string | number | null
  imap_last_uid: string | number | null
  imap_polled_at: Date | string | null
  imap_error: string | null
  created_at: Date | string
  updated_at: Date | string
}

/** Accounts a service may hold; each IMAP one is polled, so the count bounds the poller's work. */
export const MAX_MAIL_ACCOUNTS = 20

export const secretContext = (accountId: string, protocol: MailProtocol) => `mail-account:${accountId}:${protocol}`

const iso = (value: Date | string) => new Date(value).toISOString()
const num = (value: string | number | null) => (value === null ? null : Number(value))

function pollState(row: AccountRow): ImapPollState {
  return { uidValidity: num(row.imap_uid_validity), lastUid: num(row.imap_last_uid), polledAt: row.imap_polled_at ? iso(row.imap_polled_at) : null, error: row.imap_error }
}

export function accountView(row: AccountRow): MailAccountView {
  return {
    id: row.id,
    address: row.address,
    displayName: row.display_name,
    smtp: row.smtp_host === null ? null : { host: row.smtp_host, port: row.smtp_port!, secure: row.smtp_secure!, user: row.smtp_user, passwordSet: row.smtp_password !== null },
    imap:
      row.imap_host === null
        ? null
        : { host: row.imap_host, port: row.imap_port!, secure: row.imap_secure!, user: row.imap_user, passwordSet: row.imap_password !== null, mailbox: row.imap_mailbox!, enabled: row.imap_enabled, state: pollState(row) },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

export async function listMailAccountRows(tx: Queryable): Promise<AccountRow[]> {
  return tx.sql<AccountRow>`SELECT * FROM ticket_mail_accounts ORDER BY lower(address), id`
}

export async function findMailAccountRow(tx: Queryable, id: string): Promise<AccountRow | null> {
  const [row] = await tx.sql<AccountRow>`SELECT * FROM ticket_mail_accounts WHERE id = ${id}`
  return row ?? null
}

export async function countMailAccounts(tx: Queryable): Promise<number> {
  const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM ticket_mail_accounts`
  return row?.count ?? 0
}

/** The account holding `address` (case-insensitively), other than `exceptId`. */
export async function accountByAddress(tx: Queryable, address: string, exceptId: string | null): Promise<{ id: string } | null> {
  const [row] = await tx.sql<{ id: string }>`SELECT id FROM ticket_mail_accounts WHERE lower(address) = lower(${address}) AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)`
  return row ?? null
}

/**
 * The sealed password a saved section ends with: the new one sealed, none, or the stored one
 * kept, which is refused when the host or user changed (see the module header).
 */
async function sealedPassword(
  crypto: () => TenantCrypto,
  accountId: string,
  protocol: MailProtocol,
  input: SmtpInput,
  stored: { host: string | null; user: string | null; password: string | null },
  issues: FieldIssue[],
): Promise<string | null> {
  if (input.password === null) return null
  if (input.password !== undefined) return crypto().encrypt(input.password, secretContext(accountId, protocol))
  if (stored.password === null) return null
  const moved = stored.host?.toLowerCase() !== input.host.toLowerCase() || (stored.user ?? null) !== (input.user ?? null)
  if (moved) issues.push({ path: `body.${protocol}.password`, message: 'the host or user changed: give the password again (the stored one is only sent to the server it was saved for), or null to save without one', code: 'required' })
  return stored.password
}

const EMPTY: Pick<AccountRow, 'smtp_host' | 'smtp_user' | 'smtp_password' | 'imap_host' | 'imap_user' | 'imap_password' | 'imap_mailbox'> = {
  smtp_host: null,
  smtp_user: null,
  smtp_password: null,
  imap_host: null,
  imap_user: null,
  imap_password: null,
  imap_mailbox: null,
}

/**
 * Inserts (`existing` null) or replaces an account. Throws a 422 naming the password field when a
 * stored password would follow a changed host or user.
 */
export async function saveMailAccount(tx: Queryable, crypto: () => TenantCrypto, id: string, input: MailAccountInput, existing: AccountRow | null): Promise<AccountRow> {
  const before = existing ?? EMPTY
  const issues: FieldIssue[] = []
  const smtp = input.smtp ?? null
  const imap = input.imap ?? null
  const smtpPassword = smtp ? await sealedPassword(crypto, id, 'smtp', smtp, { host: before.smtp_host, user: before.smtp_user, password: before.smtp_password }, issues) : null
  const imapPassword = imap ? await sealedPassword(crypto, id, 'imap', imap, { host: before.imap_host, user: before.imap_user, password: before.imap_password }, issues) : null
  if (issues.length) throw errors.invalid(issues)
  // A different mailbox has its own UIDs: the poller starts over there.
  const sameMailbox = imap !== null && before.imap_host?.toLowerCase() === imap.host.toLowerCase() && before.imap_user === (imap.user ?? null) && before.imap_mailbox === imap.mailbox
  const values = [
    id,
    input.address,
    input.displayName ?? null,
    smtp?.host ?? null,
    smtp?.port ?? null,
    smtp?.secure ?? null,
    smtp?.user ?? null,
    smtpPassword,
    imap?.host ?? null,
    imap?.port ?? null,
    imap?.secure ?? null,
    imap?.user ?? null,
    imapPassword,
    imap?.mailbox ?? null,
    imap?.enabled ?? false,
    sameMailbox,
  ]
  const [row] = existing
    ? await tx.query<AccountRow>(
        `UPDATE ticket_mail_accounts SET address = $2, display_name = $3, smtp_host = $4, smtp_port = $5, smtp_secure = $6, smtp_user = $7, smtp_password = $8,
           imap_host = $9, imap_port = $10, imap_secure = $11, imap_user = $12, imap_password = $13, imap_mailbox = $14, imap_enabled = $15,
           imap_uid_validity = CASE WHEN $16 THEN imap_uid_validity END, imap_last_uid = CASE WHEN $16 THEN imap_last_uid END,
           imap_polled_at = CASE WHEN $16 THEN imap_polled_at END, imap_error = CASE WHEN $16 THEN imap_error END, updated_at = now()
         WHERE id = $1 RETURNING *`,
        values,
      )
    : await tx.query<AccountRow>(
        `INSERT INTO ticket_mail_accounts (id, address, display_name, smtp_host, smtp_port, smtp_secure, smtp_user, smtp_password,
           imap_host, imap_port, imap_secure, imap_user, imap_password, imap_mailbox, imap_enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
        values.slice(0, 15),
      )
  return row!
}

export async function deleteMailAccount(tx: Queryable, id: string): Promise<void> {
  await tx.sql`DELETE FROM ticket_mail_accounts WHERE id = ${id}`
}

/** The account with `id` and its SMTP settings opened; null when it is gone or has no SMTP. */
export async function readSendingAccount(tx: Queryable, crypto: TenantCrypto, id: string): Promise<SendingAccount | null> {
  const row = await findMailAccountRow(tx, id)
  if (!row || row.smtp_host === null) return null
  const password = row.smtp_password === null ? undefined : await crypto.decrypt(row.smtp_password, secretContext(row.id, 'smtp'))
  return {
    id: row.id,
    address: row.address,
    displayName: row.display_name,
    smtp: { host: row.smtp_host, port: row.smtp_port!, secure: row.smtp_secure!, ...(row.smtp_user ? { user: row.smtp_user } : {}), ...(password !== undefined ? { password } : {}) },
  }
}

async function imapAccount(row: AccountRow, crypto: FieldCrypto): Promise<ImapAccount> {
  const password = row.imap_password === null ? null : await crypto.forTenant({ orgId: row.org_id, serviceId: row.service_id }).decrypt(row.imap_password, secretContext(row.id, 'imap'))
  return {
    orgId: row.org_id,
    serviceId: row.service_id,
    accountId: row.id,
    address: row.address,
    host: row.imap_host!,
    port: row.imap_port!,
    secure: row.imap_secure!,
    user: row.imap_user,
    password,
    mailbox: row.imap_mailbox!,
    enabled: row.imap_enabled,
    state: pollState(row),
  }
}

/**
 * Every account with IMAP receiving switched on, password opened: the tenant's own in a tenant
 * transaction, every tenant's as the platform (owner role). A row whose password cannot be
 * opened (key removed from the keyring) is left out and reported through `onError`, so one bad
 * row does not stop the others.
 */
export async function listImapAccounts(tx: Queryable, crypto: FieldCrypto, onError?: (accountId: string, error: Error) => void): Promise<ImapAccount[]> {
  const rows = await tx.sql<AccountRow>`SELECT * FROM ticket_mail_accounts WHERE imap_enabled ORDER BY service_id, id`
  const accounts: ImapAccount[] = []
  for (const row of rows) {
    try {
      accounts.push(await imapAccount(row, crypto))
    } catch (error) {
      onError?.(row.id, error as Error)
    }
  }
  return accounts
}

/** One account's IMAP settings, password opened (enabled or not); null when it is gone or has no IMAP. */
export async function readImapAccount(tx: Queryable, crypto: FieldCrypto, accountId: string): Promise<ImapAccount | null> {
  const row = await findMailAccountRow(tx, accountId)
  return row && row.imap_host !== null ? imapAccount(row, crypto) : null
}

/**
 * Records a poll: the mailbox's UIDVALIDITY and the last UID taken in (both omitted: unchanged),
 * and the poll's error (null: it went well). Sets the poll time.
 */
export async function saveImapPollState(tx: Queryable, accountId: string, state: { uidValidity?: number; lastUid?: number; error: string | null }): Promise<void> {
  await tx.sql`
    UPDATE ticket_mail_accounts SET
      imap_uid_validity = coalesce(${state.uidValidity ?? null}::bigint, imap_uid_validity),
      imap_last_uid = coalesce(${state.lastUid ?? null}::bigint, imap_last_uid),
      imap_error = ${state.error === null ? null : state.error.slice(0, 1000)},
      imap_polled_at = now()
    WHERE id = ${accountId}`
}
