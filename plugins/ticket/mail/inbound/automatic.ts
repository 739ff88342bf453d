/**
 * Mail no person wrote: auto-replies, bounces, receipts and the service's own mail coming back.
 * Such a message creates no ticket, adds no reply and so causes no mail; that is what keeps two
 * auto-responders (ours through a trigger, theirs through a vacation rule) from answering each
 * other forever.
 *
 * The rules, each naming the reason the intake answers with:
 * - `auto-submitted`: RFC 3834 `Auto-Submitted` with any value but `no`;
 * - `auto-reply`: `X-Autoreply`, `X-Autorespond` (vacation programs) unless `no`/`false`;
 *   `X-Auto-Response-Suppress` (Exchange sets it on its out-of-office and other automatic mail)
 *   with any value but `none`;
 * - `precedence`: `Precedence: bulk | junk | list | auto_reply`;
 * - `bounce`: `multipart/report; report-type=delivery-status` (RFC 3464 DSN), a null reverse path
 *   (`Return-Path: <>`), or a sender whose local part is `mailer-daemon` or `postmaster`;
 * - `read-receipt`: `multipart/report; report-type=disposition-notification` (RFC 8098);
 * - `own-address`: From is one of the service's own addresses (its representative address, its
 *   external accounts, the platform sender): our own mail, e.g. a copy or a loop through a
 *   forwarding rule.
 *
 * `List-Id` alone does not make a mail automatic: a team alias run as a group (Google Groups and
 * the like) adds it to every customer's mail it forwards, and those are real questions. Mailing
 * list bulk traffic normally also says `Precedence: list` or `bulk`, which is caught above.
 */
import type { InboundMessage } from './parse.ts'

export const AUTOMATIC_REASONS = ['auto-submitted', 'auto-reply', 'precedence', 'bounce', 'read-receipt', 'own-address'] as const
export type AutomaticReason = (typeof AUTOMATIC_REASONS)[number]

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply'])
const SYSTEM_SENDERS = new Set(['mailer-daemon', 'postmaster'])

/** Why this message is automatic, or null for a mail a person wrote. `ownAddresses`: lower-cased. */
export function automaticReason(message: InboundMessage, ownAddresses: ReadonlySet<string>): AutomaticReason | null {
  const first = (name: string) => message.headers.get(name)?.[0]?.trim().toLowerCase()
  const autoSubmitted = first('auto-submitted')
  if (autoSubmitted !== undefined && autoSubmitted.split(';')[0]!.trim() !== 'no') return 'auto-submitted'
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = first(name)
    if (value !== undefined && value !== 'no' && value !== 'false') return 'auto-reply'
  }
  const suppress = first('x-auto-response-suppress')
  if (suppress !== undefined && suppress !== '' && suppress !== 'none') return 'auto-reply'
  const precedence = first('precedence')
  if (precedence !== undefined && BULK_PRECEDENCE.has(precedence)) return 'precedence'

  const report = /^multipart\/report\b/.test(message.contentType) ? /report-type\s*=\s*"?([a-z-]+)/.exec(message.contentType)?.[1] : undefined
  if (report === 'delivery-status') return 'bounce'
  if (report === 'disposition-notification') return 'read-receipt'
  const returnPath = first('return-path')
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return 'bounce'
  const local = message.from?.address.split('@')[0]
  if (local && SYSTEM_SENDERS.has(local)) return 'bounce'

  if (message.from && ownAddresses.has(message.from.address)) return 'own-address'
  return null
}
