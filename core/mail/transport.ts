/**
 * Outgoing mail: the one interface the core sends through, so that the sender (SMTP on Node and
 * Deno, an HTTP mail API on Workers, a recorder in a test) is the embedder's choice. Mail leaves
 * only from event subscribers, never from a request handler, so a failed send is retried by the
 * dispatcher and never loses the change that caused it.
 */

export interface MailMessage {
  /** One recipient address. */
  readonly to: string
  readonly subject: string
  /** The plain-text body; every mail has one. */
  readonly text: string
  readonly html?: string
  /** Overrides the configured sender. */
  readonly from?: string
}

export interface MailTransport {
  /** Sends one message; resolves once the server accepted it, rejects otherwise. */
  send(message: MailMessage): Promise<{ messageId?: string }>
  /** Closes pooled connections, if any. */
  close?(): Promise<void>
}

/**
 * The platform option `mail`.
 *
 * @example
 * createPlatform({ db, mail: { transport: smtpTransport({ url: 'smtp://mail.example.com:587' }), from: 'OpenContact <no-reply@example.com>' } })
 */
export interface MailOptions {
  readonly transport: MailTransport
  /** The sender of every mail the core sends, e.g. `OpenContact <no-reply@example.com>`. */
  readonly from: string
}
