/**
 * What a Workers bundle puts in place of `imapflow`, which needs TCP sockets and Node's streams
 * that workerd lacks: every IMAP poll there fails with this message, recorded on the account
 * (`imap.state.error`) as any other connection failure, while the raw endpoint
 * (POST /ticket/mail/inbound) takes mail in. Bundle with
 *
 *   esbuild.build({ ..., alias: { imapflow: '<this file>' } })
 */
export class ImapFlow {
  constructor() {
    throw new Error('IMAP polling needs TCP sockets, which this runtime (Workers) does not offer: receive mail through POST /ticket/mail/inbound, or poll from a Node or Deno instance')
  }
}
