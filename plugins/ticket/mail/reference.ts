/**
 * The ticket reference in a mail subject: `[#123]` before the title, where 123 is the ticket's
 * per-service number. Outgoing replies put it in the subject; incoming mail without threading
 * headers (a client that drops In-Reply-To / References) is matched to its ticket by it.
 *
 * Format: `[#<number>]` — a literal `[#`, the decimal ticket number (no leading zeros, at most
 * 15 digits), `]`. It may appear anywhere in the subject (after `Re:` / `Fwd:` / `답장:`
 * prefixes a client adds); the first occurrence wins.
 */

const REFERENCE = /\[#([1-9]\d{0,14})\]/

/** `[#123]` for ticket number 123. */
export function ticketReference(number: number): string {
  return `[#${number}]`
}

/** The subject of an outgoing mail about a ticket: `[#123] <title>`, unless the title already carries the reference. */
export function subjectWithReference(number: number, subject: string): string {
  const reference = ticketReference(number)
  return subject.includes(reference) ? subject : `${reference} ${subject}`.trimEnd()
}

/** The ticket number a subject refers to, or null. */
export function parseTicketReference(subject: string): number | null {
  const match = REFERENCE.exec(subject)
  if (!match) return null
  const number = Number(match[1])
  return Number.isSafeInteger(number) ? number : null
}
