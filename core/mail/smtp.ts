/**
 * An SMTP {@link MailTransport} over nodemailer, for Node and Deno (Workers have no raw TCP for
 * it: give them an HTTP mail API transport instead). Not imported by the core itself, so a
 * Workers bundle never pulls nodemailer in: the runtime entry builds it and passes it as the
 * `mail.transport` option.
 */
import nodemailer from 'nodemailer'
import type { MailMessage, MailTransport, SmtpAccount } from './transport.ts'

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://host:465`; or give host and port. */
  readonly url?: string
  readonly host?: string
  readonly port?: number
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure?: boolean
  readonly auth?: { readonly user: string; readonly pass: string }
  /** Never upgrade with STARTTLS (for a loopback test server only). */
  readonly ignoreTLS?: boolean
  /** Keep connections open between mails (default true). */
  readonly pool?: boolean
  /** Default sender, when neither the message nor the platform option gives one. */
  readonly from?: string
}

export function smtpTransport(options: SmtpOptions): MailTransport {
  if (!options.url && !options.host) throw new Error("smtpTransport needs 'url' or 'host'")
  const { url, from, pool = true, host, port, secure, auth, ignoreTLS } = options
  const defaults = from ? { from } : {}
  const transporter = url
    ? nodemailer.createTransport(url, defaults)
    : nodemailer.createTransport({ host, port, secure, auth, ignoreTLS, pool } as Parameters<typeof nodemailer.createTransport>[0], defaults)
  return {
    async send(message: MailMessage) {
      const info = await transporter.sendMail({
        from: message.from ?? from,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        inReplyTo: message.inReplyTo,
        references: message.references ? [...message.references] : undefined,
        headers: message.headers ? { ...message.headers } : undefined,
        attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) })),
      })
      return { messageId: info.messageId }
    },
    async close() {
      transporter.close()
    },
  }
}

/**
 * The `mail.connect` option for Node and Deno: one pooled SMTP transport per tenant account,
 * reused while the account's settings stay the same.
 */
export function smtpConnector(): (account: SmtpAccount) => MailTransport {
  const transports = new Map<string, MailTransport>()
  return (account) => {
    const key = JSON.stringify([account.host, account.port, account.secure, account.user, account.password, account.ignoreTLS])
    let transport = transports.get(key)
    if (!transport) {
      const auth = account.user ? { user: account.user, pass: account.password ?? '' } : undefined
      transport = smtpTransport({ host: account.host, port: account.port, secure: account.secure, auth, ignoreTLS: account.ignoreTLS })
      transports.set(key, transport)
    }
    return transport
  }
}
