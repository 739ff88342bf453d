/**
 * Mail addresses as the e-mail settings take and send them: one checked shape for an address
 * (`local@domain`, no display name, no spaces or angle brackets, a dotted domain), the
 * `"Name" <address>` form of a From / Reply-To header, and the domain an address belongs to
 * (the right-hand side of minted Message-IDs).
 */
import { z } from '../../../core/mod.ts'

/** RFC 5321 caps a path at 256 octets, leaving 254 for the address itself. */
export const MAX_ADDRESS_LENGTH = 254

// Deliberately narrower than RFC 5322 (no quoted local parts, no comments, no IP literals):
// what real help-desk mailboxes look like, and nothing a header could be smuggled through.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

export function isMailAddress(text: string): boolean {
  return text.length <= MAX_ADDRESS_LENGTH && ADDRESS.test(text) && !text.startsWith('.') && !text.includes('..') && !text.split('@')[0]!.endsWith('.')
}

/** An address field of a request body. */
export const MailAddress = z
  .string()
  .trim()
  .max(MAX_ADDRESS_LENGTH, `an e-mail address has at most ${MAX_ADDRESS_LENGTH} characters`)
  .refine(isMailAddress, 'not an e-mail address; give one such as support@shop.example, without a display name or angle brackets')
  .openapi({ example: 'support@shop.example' })

/** A display name: one line of text; the mail library encodes non-ASCII names (RFC 2047). */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((name) => !/[\u0000-\u001f\u007f<>]/.test(name), 'a display name is one line of text without angle brackets')
  .openapi({ example: '쇼핑몰 고객센터' })

/** `"Name" <address>`, or the bare address without a name. */
export function formatMailbox(name: string | null | undefined, address: string): string {
  if (!name) return address
  return `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}" <${address}>`
}

/** The address inside `"Name" <address>` or a bare address; null when there is none. */
export function addressOf(mailbox: string | undefined): string | null {
  if (!mailbox) return null
  const angle = /<([^<>]+)>\s*$/.exec(mailbox)
  const address = (angle ? angle[1]! : mailbox).trim()
  return address.includes('@') ? address : null
}

/** `shop.example` for `support@shop.example`, lower-cased. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase()
}
