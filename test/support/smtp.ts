/**
 * A real SMTP server on loopback for tests (smtp-server), collecting every message it accepts,
 * parsed with postal-mime. Senders connect with `ignoreTLS` (no STARTTLS on loopback).
 */
import { SMTPServer } from 'smtp-server'
import PostalMime, { type Email } from 'postal-mime'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  readonly envelopeTo: string[]
  readonly parsed: Email
}

export interface TestSmtpServer {
  readonly port: number
  readonly received: ReceivedMail[]
  /** Resolves with the next mail, or the `count`-th counting from those already received. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail>
  close(): Promise<void>
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = []
  const waiters: Array<() => void> = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        try {
          const parsed = await PostalMime.parse(Buffer.concat(chunks))
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed })
          for (const wake of waiters.splice(0)) wake()
          callback()
        } catch (error) {
          callback(error as Error)
        }
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    port,
    received,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${received.length}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 50)
        })
      }
      return received[count - 1]!
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
