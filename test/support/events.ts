/**
 * Helpers for event delivery tests: a loopback web hook receiver that can be told to fail,
 * waiting for a condition, and the event options the platform will take once PlatformOptions
 * declares them.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PlatformOptions } from '../../core/platform.ts'
import type { EventPlatformOptions } from '../../core/events/options.ts'

/** Event, scheduler and outbound options as platform options (typed here until PlatformOptions lists them). */
export const eventOptions = (options: EventPlatformOptions): Partial<PlatformOptions> => options

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 20): Promise<Exclude<T, null | undefined | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as Exclude<T, null | undefined | false | 0 | ''>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

export interface ReceivedCall {
  readonly headers: Record<string, string>
  readonly body: string
  readonly at: number
}

export interface Receiver {
  readonly url: string
  readonly calls: ReceivedCall[]
  /** Answers each call with the next status in the list, then 200; `wait` delays answers. */
  script(statuses: number[], waitMs?: number): void
  close(): Promise<void>
}

/** An HTTP server on 127.0.0.1 that records every POST. */
export async function startReceiver(): Promise<Receiver> {
  const calls: ReceivedCall[] = []
  let statuses: number[] = []
  let wait = 0
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    })
  const server = createServer(async (req, res) => {
    const body = await read(req)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
    calls.push({ headers, body, at: Date.now() })
    const status = statuses.shift() ?? 200
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait))
    res.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: 'http://169.254.169.254/' } : {}) })
    res.end(status === 200 ? 'ok' : `receiver says no (${status})`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    script(next, waitMs = 0) {
      statuses = [...next]
      wait = waitMs
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}
