/** Where an inbound message came from: the raw endpoint, or an IMAP account's mailbox. */
export interface MailSource {
  readonly kind: 'endpoint' | 'imap'
  /** The external account an IMAP message came from. */
  readonly accountId?: string
}
