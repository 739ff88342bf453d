/**
 * What a Workers bundle puts in place of `imapflow` (esbuild `alias`): Workers have no TCP
 * client the library can use, so IMAP polling is refused there with a message saying why, and
 * mail comes in through the ticket plugin's raw-message endpoint instead.
 */
export class ImapFlow {
  constructor() {
    throw new Error('IMAP polling needs TCP sockets, which this Workers bundle has not: take mail in through the raw-message endpoint')
  }
}
