/**
 * An SMTP {@link MailTransport} over nodemailer, for Node and Deno (Workers have no raw TCP for
 * it: give them an HTTP mail API transport instead). Not imported by the core itself, so a
 * Workers bundle never pulls nodemailer in: the runtime entry builds it and passes it as the
 * `mail.transport` option.
 */
import nodemailer from 'nodemailer'
import type { MailMessage, MailTransport } from './transport.ts'

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
      const info = await transporter.sendMail({ from: message.from ?? from, to: message.to, subject: message.subject, text: message.text, html: message.html })
      return { messageId: info.messageId }
    },
    async close() {
      transporter.close()
    },
  }
}
