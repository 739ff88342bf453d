/**
 * Outgoing mail: the one interface the core sends through, so that the sender (SMTP on Node and
 * Deno, an HTTP mail API on Workers, a recorder in a test) is the embedder's choice. Mail leaves
 * only from event subscribers, never from a request handler, so a failed send is retried by the
 * dispatcher and never loses the change that caused it.
 */

export interface MailAttachment {
  readonly filename: string
  readonly contentType: string
  readonly content: Uint8Array
}

export interface MailMessage {
  /** One recipient address. */
  readonly to: string
  readonly subject: string
  /** The plain-text body; every mail has one. */
  readonly text: string
  readonly html?: string
  /** Overrides the configured sender. */
  readonly from?: string
  readonly replyTo?: string
  /** This mail's own `Message-ID` (with angle brackets), so a reply to it can be threaded back. */
  readonly messageId?: string
  /** Threading: the `Message-ID` this mail answers, and the chain before it (RFC 5322 §3.6.4). */
  readonly inReplyTo?: string
  readonly references?: readonly string[]
  /** Further headers, e.g. `Auto-Submitted: auto-generated` on automatic mail (RFC 3834). */
  readonly headers?: Readonly<Record<string, string>>
  readonly attachments?: readonly MailAttachment[]
}

export interface MailTransport {
  /** Sends one message; resolves once the server accepted it, rejects otherwise. */
  send(message: MailMessage): Promise<{ messageId?: string }>
  /** Closes pooled connections, if any. */
  close?(): Promise<void>
}

/** A mail server account a tenant configures (its own SMTP server), as a transport factory gets it. */
export interface SmtpAccount {
  readonly host: string
  readonly port: number
  /** TLS from the first byte (usually port 465); otherwise STARTTLS when offered. */
  readonly secure: boolean
  readonly user?: string
  readonly password?: string
  /** Never upgrade with STARTTLS; only for servers on loopback in tests. */
  readonly ignoreTLS?: boolean
}

/**
 * The platform option `mail`.
 *
 * @example
 * createPlatform({ db, mail: { transport: smtpTransport({ url: 'smtp://mail.example.com:587' }), from: 'OpenContact <no-reply@example.com>', connect: smtpConnector() } })
 */
export interface MailOptions {
  /** The platform's own sender; without it only tenants with their own SMTP account can mail. */
  readonly transport?: MailTransport
  /** The sender of every mail the core sends, e.g. `OpenContact <no-reply@example.com>`. */
  readonly from: string
  /**
   * Builds a transport for a tenant's own SMTP account. Node and Deno pass `smtpConnector()`;
   * without it (Workers) tenant accounts cannot send and plugins get `OC_MAIL_NOT_CONFIGURED`.
   */
  readonly connect?: (account: SmtpAccount) => MailTransport
}
