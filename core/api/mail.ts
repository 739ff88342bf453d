/**
 * Outgoing mail as plugins send it (`ctx.mail`); the platform's implementation, with the
 * refusals when mail is not configured, is mail/plugin-mail.ts.
 */
import type { MailMessage, SmtpAccount } from '../mail/transport.ts'

export interface PluginMail {
  /** The platform's default sender address (`mail.from`), if mail is configured. */
  readonly from: string | undefined
  /** Whether {@link PluginMail.sendVia} can reach tenant SMTP accounts on this runtime. */
  readonly canConnect: boolean
  /** Sends through the platform's transport; `from` defaults to the platform's sender. */
  send(message: MailMessage): Promise<{ messageId?: string }>
  /** Sends through a tenant's own SMTP account. */
  sendVia(account: SmtpAccount, message: MailMessage): Promise<{ messageId?: string }>
}
