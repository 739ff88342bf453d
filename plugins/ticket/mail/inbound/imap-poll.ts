/**
 * IMAP receiving (T9): the `poll-imap` job visits every external account with IMAP switched on,
 * across all services, and hands each new message to {@link receiveMail}.
 *
 * Per account, one connection (imapflow) per poll:
 * - the mailbox's UIDVALIDITY and the last UID taken in are kept on the account
 *   (`saveImapPollState`, mail/accounts.ts); a changed UIDVALIDITY (the mailbox was recreated)
 *   forgets the cursor;
 * - without a cursor (first poll, or after UIDVALIDITY changed) the UNSEEN messages are taken, so
 *   connecting a mailbox with years of read mail does not file them all as tickets; once that
 *   backlog is done the cursor is set to UIDNEXT - 1;
 * - with a cursor, every message above it is taken, read or not (someone may have opened it in
 *   a mail client in the meantime);
 * - each message is taken in, then flagged `\Seen` and the cursor moved past it. Messages are
 *   never deleted or moved: the mailbox stays the customer's record. At most
 *   {@link MAX_MESSAGES_PER_POLL} per account per poll; the rest follow on the next tick.
 * - A message whose content storage refuses is set aside (set-aside.ts): recorded with its
 *   reason, flagged `\Seen` and `$OcSetAside`, and the cursor moves past it like any other, so
 *   one poisoned message never holds up the mail after it.
 * - Taking a message in twice is harmless (duplicates by Message-ID are ignored), so a poll that
 *   dies between the intake and the cursor update only repeats work.
 * - An error (connection, login, storage) stops that account for this poll, is recorded on the
 *   account (`imap.state.error` in the settings API) and logged; the next tick tries again.
 *
 * The scheduler runs a job once per cluster and never overlaps runs of one job, so two
 * instances never poll the same mailbox at once. Accounts are polled a few at a time so one
 * slow server does not hold up the rest. Hosts pass the platform's outgoing-connection rules
 * (mail/hosts.ts) before every connection. imapflow needs TCP sockets (Node, Deno); it is loaded
 * only when a poll runs, and on Workers the raw endpoint (POST /ticket/mail/inbound) takes mail in
 * (a Workers bundle aliases it to imapflow-on-workers.ts, whose polls fail with that advice).
 */
import type { ImapFlow } from 'imapflow'
import type { PluginContext, TenantScope } from '../../../../core/mod.ts'
import { listImapAccounts, saveImapPollState, type ImapAccount } from '../accounts.ts'
import { checkMailHost } from '../hosts.ts'
import { receiveMail, type ReceiveOutcome } from './receive.ts'
import { SET_ASIDE_KEYWORD } from './set-aside.ts'

/** Messages taken from one account in one poll. */
export const MAX_MESSAGES_PER_POLL = 50
/** Accounts polled at the same time. */
const CONCURRENCY = 4
/** Connect, greeting and idle-socket limits (ms): a dead server costs one poll at most this long per stage. */
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 }

export interface AccountPoll {
  readonly accountId: string
  readonly scope: TenantScope
  readonly outcomes: readonly ReceiveOutcome['outcome'][]
  readonly error: string | null
}

/** Polls every enabled IMAP account of every service once. */
export async function pollAllImapAccounts(ctx: PluginContext, signal?: AbortSignal): Promise<AccountPoll[]> {
  // As the platform (owner role): every tenant's accounts, each password opened with its own tenant's key.
  const accounts = await listImapAccounts(ctx.db, ctx.crypto, (accountId, error) => ctx.log.warn('imap account skipped: its password cannot be opened', { accountId, error: error.message }))
  const results: AccountPoll[] = []
  let next = 0
  const worker = async () => {
    while (next < accounts.length && !signal?.aborted) {
      const account = accounts[next++]!
      results.push(await pollImapAccount(ctx, account, signal))
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker))
  return results
}

/** Polls one account once; never throws (the error is recorded on the account and returned). */
export async function pollImapAccount(ctx: PluginContext, account: ImapAccount, signal?: AbortSignal): Promise<AccountPoll> {
  const scope = { orgId: account.orgId, serviceId: account.serviceId }
  const outcomes: ReceiveOutcome['outcome'][] = []
  const service = await ctx.tenant(scope)
  // A service that gave up the ticket plugin keeps its rows, but its mail is no longer taken in.
  if (!service || !service.tenant.service.contract.plugins.ticket) return { accountId: account.accountId, scope, outcomes, error: null }
  const save = (state: { uidValidity?: number; lastUid?: number; error: string | null }) => service.db.tx((tx) => saveImapPollState(tx, account.accountId, state))
  let client: ImapFlow | undefined
  try {
    // Again at every connection: a host name can be re-pointed at a private address after saving.
    await checkMailHost(ctx.outbound, account.host, account.port, 'imap.host')
    const { ImapFlow } = await import('imapflow')
    client = new ImapFlow({
      host: account.host,
      port: account.port,
      secure: account.secure,
      auth: { user: account.user ?? account.address, pass: account.password ?? '' },
      logger: false,
      ...TIMEOUTS,
    })
    // An unhandled 'error' event would end the process; failures reach us through the awaited calls.
    client.on('error', () => {})
    await client.connect()
    const mailbox = await client.mailboxOpen(account.mailbox)
    const uidValidity = Number(mailbox.uidValidity)
    const cursor = account.state.uidValidity === uidValidity ? account.state.lastUid : null
    const found = cursor === null ? await client.search({ seen: false }, { uid: true }) : await client.search({ uid: `${cursor + 1}:*` }, { uid: true })
    // `n:*` names the highest UID even when it is below n (RFC 3501 §6.4.8), hence the filter.
    const uids = (found || []).filter((uid) => cursor === null || uid > cursor).sort((a, b) => a - b)
    const batch = uids.slice(0, MAX_MESSAGES_PER_POLL)
    for (const uid of batch) {
      if (signal?.aborted) break
      const fetched = await client.fetchOne(String(uid), { source: true }, { uid: true })
      let flags = ['\\Seen']
      if (fetched && fetched.source) {
        const result = await receiveMail(ctx, scope, new Uint8Array(fetched.source), { kind: 'imap', accountId: account.accountId })
        outcomes.push(result.outcome)
        if (result.outcome === 'set-aside') flags = ['\\Seen', SET_ASIDE_KEYWORD]
      }
      await client.messageFlagsAdd(String(uid), flags, { uid: true })
      // Without a cursor the unseen backlog is being worked off: the cursor is set once it is done.
      if (cursor !== null) await save({ uidValidity, lastUid: uid, error: null })
    }
    const backlogDone = batch.length === uids.length && !signal?.aborted
    if (cursor === null && backlogDone) await save({ uidValidity, lastUid: Math.max(0, mailbox.uidNext - 1), error: null })
    else await save({ uidValidity, error: null })
    return { accountId: account.accountId, scope, outcomes, error: null }
  } catch (error) {
    const message = describe(error)
    ctx.log.warn('imap poll failed', { accountId: account.accountId, serviceId: account.serviceId, host: account.host, error: message })
    await save({ error: message }).catch(() => undefined)
    return { accountId: account.accountId, scope, outcomes, error: message }
  } finally {
    if (client) await client.logout().catch(() => client?.close())
  }
}

/** A one-line account of an imapflow or intake failure, for the account's state and the log. */
function describe(error: unknown): string {
  const e = error as { message?: string; responseText?: string; authenticationFailed?: boolean; code?: string }
  if (e?.authenticationFailed) return `login refused by the IMAP server${e.responseText ? `: ${e.responseText}` : ''}; check the user and password`
  const text = e?.responseText ? `${e.message}: ${e.responseText}` : (e?.message ?? String(error))
  return e?.code ? `${e.code}: ${text}` : text
}
