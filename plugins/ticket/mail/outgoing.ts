/**
 * The one sending function of the ticket plugin: every mail a service sends (agent replies,
 * trigger notifications, forwards) goes through {@link sendServiceMail}, which picks the
 * service's sending account and sender information, wraps the body in the service's layout
 * when asked, and threads mail about a ticket. Called from event subscribers only, so a failed
 * send is retried by the dispatcher.
 *
 * Which account sends:
 * - the external account chosen as sending account in the e-mail settings, through its own SMTP
 *   server (`ctx.mail.sendVia`): From is `"<sender name>" <account address>`, Reply-To the
 *   configured Reply-To, else the representative address when it differs from the account's;
 * - otherwise (no sending account, or a runtime that cannot open SMTP connections, e.g. Workers
 *   with an HTTP mail API) the platform sender (`ctx.mail.send`): From is the platform's address
 *   under the service's sender name (mail cannot claim a domain the platform does not send
 *   for), Reply-To the configured Reply-To, else the representative address, so replies come
 *   back to the service;
 * - a service without saved settings sends from the platform address, without Reply-To.
 *
 * Threading (mail with `ticketId`): the Message-ID is minted as
 * `<ticket.<ticket id>.<entry id>@<domain of the From address>>` (a random id instead of the
 * entry id when there is no entry), In-Reply-To / References come from the ticket's thread
 * (mail/threads.ts), the subject carries the ticket reference `[#<number>]` (mail/reference.ts),
 * and the Message-ID is recorded as the thread's `out` message once the server accepted it.
 *
 * Delivery is at least once. A mail for an entry whose Message-ID is already recorded is not
 * sent again (a redelivered event after a successful send); a process that dies between the
 * server's acceptance and the recording sends it once more on retry.
 */
import type { MailAttachment, MailMessage, PluginContext, Queryable, TenantScope } from '../../../core/mod.ts'
import { addressOf, domainOf, formatMailbox } from './addresses.ts'
import { readSendingAccount, type SendingAccount } from './accounts.ts'
import { checkMailHost } from './hosts.ts'
import { preparedLayout } from './layout/store.ts'
import { renderInLayout, textToHtml } from './layout/render.ts'
import { subjectWithReference } from './reference.ts'
import { readMailSettings, type MailSettings } from './settings-store.ts'
import { isKnownMessage, recordMailMessage, threadHeaders } from './threads.ts'

export interface ServiceMail {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  /** Agent replies: true (wrap html in the service's compiled layout). Trigger mails: false. */
  readonly useLayout: boolean
  /** When set, the mail is threaded to this ticket: Message-ID minted and recorded, In-Reply-To/References from the ticket's thread, ticket reference in the subject. */
  readonly ticketId?: string
  readonly entryId?: string
  readonly attachments?: readonly MailAttachment[]
  /** e.g. Auto-Submitted: auto-generated for trigger mails (RFC 3834), so peers don't auto-reply. */
  readonly headers?: Readonly<Record<string, string>>
}

/** Who a service's mail comes from and how it leaves. */
export interface SenderPlan {
  /** Absent: the platform's address as it is configured (`mail.from`). */
  readonly from?: string
  readonly replyTo?: string
  /** Null: the platform sender. */
  readonly account: SendingAccount | null
}

/** The Message-ID of the mail about `ticketId` for `entryId` (or a fresh one), in the sender's domain. */
export function mintMessageId(fromAddress: string, ticketId?: string, entryId?: string): string {
  const domain = domainOf(fromAddress)
  if (!ticketId) return `<${crypto.randomUUID()}@${domain}>`
  return `<ticket.${ticketId}.${entryId ?? crypto.randomUUID()}@${domain}>`
}

/** Decides From, Reply-To and the transport from the service's settings (see the module header). */
export async function planSender(ctx: PluginContext, tx: Queryable, scope: TenantScope, settings: MailSettings | null): Promise<SenderPlan> {
  const platformAddress = addressOf(ctx.mail.from)
  if (!settings) return { account: null }
  const account = settings.sendingAccountId && ctx.mail.canConnect ? await readSendingAccount(tx, ctx.crypto.forTenant(scope), settings.sendingAccountId) : null
  if (settings.sendingAccountId && !account) ctx.log.warn('the sending account cannot be used here; sending through the platform sender', { serviceId: scope.serviceId, accountId: settings.sendingAccountId, canConnect: ctx.mail.canConnect })
  if (account) {
    const replyTo = settings.replyTo ?? (account.address.toLowerCase() === settings.representativeAddress.toLowerCase() ? undefined : settings.representativeAddress)
    return { from: formatMailbox(settings.senderName ?? account.displayName, account.address), ...(replyTo ? { replyTo } : {}), account }
  }
  return { ...(platformAddress ? { from: formatMailbox(settings.senderName, platformAddress) } : {}), replyTo: settings.replyTo ?? settings.representativeAddress, account: null }
}

interface Prepared {
  readonly message: MailMessage
  readonly account: SendingAccount | null
  /** False when this entry's mail was sent before (a redelivered event). */
  readonly fresh: boolean
}

/** Sends one mail for a service through its sending account (tenant SMTP account if configured, else the platform sender), with its sender information. Call from subscribers only. */
export async function sendServiceMail(ctx: PluginContext, scope: TenantScope, mail: ServiceMail): Promise<{ messageId: string }> {
  // Everything is read in one short transaction; the SMTP conversation happens outside it.
  const prepared = await ctx.tenantDb(scope).tx(async (tx): Promise<Prepared> => {
    const plan = await planSender(ctx, tx, scope, await readMailSettings(tx))
    const messageId = mintMessageId(addressOf(plan.from ?? ctx.mail.from) ?? 'mail.invalid', mail.ticketId, mail.entryId)
    let subject = mail.subject
    let thread: { inReplyTo?: string; references: string[] } = { references: [] }
    if (mail.ticketId) {
      if (mail.entryId && (await isKnownMessage(tx, messageId))) return { message: { to: mail.to, subject, text: mail.text, messageId }, account: null, fresh: false }
      const [ticket] = await tx.sql<{ number: string | number }>`SELECT number FROM tickets WHERE id = ${mail.ticketId}`
      if (ticket) subject = subjectWithReference(Number(ticket.number), subject)
      thread = await threadHeaders(tx, mail.ticketId)
    }
    const contentHtml = mail.html ?? (mail.useLayout ? textToHtml(mail.text) : undefined)
    const html = mail.useLayout && contentHtml !== undefined ? renderInLayout(await preparedLayout(tx, scope.serviceId), contentHtml) : contentHtml
    const message: MailMessage = {
      to: mail.to,
      subject,
      text: mail.text,
      ...(html !== undefined ? { html } : {}),
      ...(plan.from ? { from: plan.from } : {}),
      ...(plan.replyTo ? { replyTo: plan.replyTo } : {}),
      messageId,
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
      ...(thread.references.length ? { references: thread.references } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
    }
    return { message, account: plan.account, fresh: true }
  })
  const messageId = prepared.message.messageId!
  if (!prepared.fresh) return { messageId }
  if (prepared.account) {
    await checkMailHost(ctx.outbound, prepared.account.smtp.host, prepared.account.smtp.port, 'smtp.host')
    await ctx.mail.sendVia(prepared.account.smtp, prepared.message)
  } else {
    await ctx.mail.send(prepared.message)
  }
  if (mail.ticketId) {
    await ctx.tenantDb(scope).tx(async (tx) => {
      // The ticket may have been deleted meanwhile; the mail is out either way.
      const [exists] = await tx.sql`SELECT 1 FROM tickets WHERE id = ${mail.ticketId}`
      if (exists) await recordMailMessage(tx, { messageId, ticketId: mail.ticketId!, entryId: mail.entryId ?? null, direction: 'out' })
    })
  }
  return { messageId }
}
