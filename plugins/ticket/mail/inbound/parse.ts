/**
 * A received RFC 822 message, read once with postal-mime (pure JavaScript: the same parser on
 * Node, Deno and Workers) into what intake needs: who sent it, the threading ids, the text and
 * the files, plus the raw header values the automatic-mail rules look at.
 *
 * Decisions:
 * - A message without a usable Message-ID gets one derived from its bytes
 *   (`<sha256-of-message@opencontact.invalid>`), so the same bytes delivered twice are still a
 *   duplicate, and the ticket's thread has an id to refer to.
 * - The ticket model keeps plain text only: the text part is used, or the HTML part rendered
 *   as text (html-text.ts) when the mail has none. The HTML itself is not stored.
 * - A message postal-mime cannot read at all is answered as `unparseable`, not thrown: a mail
 *   pipe or an IMAP poll must not retry it forever.
 * - Every text taken from the mail (subject, bodies, names, addresses, header values, file
 *   names) goes through `cleanText` (NUL removed, lone surrogates replaced): a mail cannot be
 *   sent again, and PostgreSQL refuses such text (22021), which once stalled the IMAP intake.
 */
import PostalMime, { type Address, type Email } from 'postal-mime'
import { cleanText } from '../../../../core/mod.ts'
import { messageIdsIn, normalizeMessageId } from '../threads.ts'
import { htmlToText } from './html-text.ts'

export interface InboundAttachment {
  readonly fileName: string
  readonly contentType: string
  readonly content: Uint8Array
}

export interface InboundMessage {
  /** `<id>` from the Message-ID header, or one derived from the message bytes. */
  readonly messageId: string
  /** True when {@link InboundMessage.messageId} was derived (the mail had none). */
  readonly derivedMessageId: boolean
  /** In-Reply-To first, then References newest to oldest: the order threading tries them in. */
  readonly threadIds: readonly string[]
  /** The sender (From, else Sender), lower-cased address; null when the mail names none. */
  readonly from: { readonly address: string; readonly name: string | null } | null
  readonly subject: string
  readonly text: string
  readonly attachments: readonly InboundAttachment[]
  /** Header values by lower-case name, every occurrence, top-level headers only. */
  readonly headers: ReadonlyMap<string, readonly string[]>
  /** The top-level Content-Type, lower-cased (e.g. `multipart/report; report-type=delivery-status`). */
  readonly contentType: string
}

export type ParseResult = { ok: true; message: InboundMessage } | { ok: false; reason: string }

const DERIVED_ID_DOMAIN = 'opencontact.invalid'
/** Longest subject kept as a ticket title; the ticket title column has no limit, but lists do. */
const MAX_TITLE = 200

export async function parseMail(raw: Uint8Array): Promise<ParseResult> {
  let email: Email
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' })
  } catch (error) {
    return { ok: false, reason: `unparseable: ${(error as Error).message}` }
  }
  const headers = new Map<string, string[]>()
  for (const h of email.headers) headers.set(cleanText(h.key), [...(headers.get(cleanText(h.key)) ?? []), cleanText(h.value)])

  const given = email.messageId ? normalizeMessageId(cleanText(email.messageId)) : null
  const messageId = given ?? `<${await sha256Hex(raw)}@${DERIVED_ID_DOMAIN}>`
  const inReplyTo = messageIdsIn(email.inReplyTo && cleanText(email.inReplyTo))
  const references = messageIdsIn(email.references && cleanText(email.references)).reverse()
  const threadIds = [...new Set([...inReplyTo, ...references])].filter((id) => id !== messageId)

  const plain = cleanText(email.text ?? '').replace(/\r\n?/g, '\n').trim()
  const text = plain || (email.html ? htmlToText(cleanText(email.html)) : '')
  return {
    ok: true,
    message: {
      messageId,
      derivedMessageId: !given,
      threadIds,
      from: firstMailbox(email.from) ?? firstMailbox(email.sender),
      subject: cleanText(email.subject ?? '').replace(/[\r\n]+/g, ' ').trim().slice(0, MAX_TITLE),
      text,
      attachments: email.attachments.map((a, i) => ({
        fileName: safeFileName(a.filename && cleanText(a.filename), a.mimeType, i),
        contentType: cleanText(a.mimeType || 'application/octet-stream'),
        content: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content),
      })),
      headers,
      contentType: (headers.get('content-type')?.[0] ?? 'text/plain').toLowerCase(),
    },
  }
}

function firstMailbox(address: Address | undefined): { address: string; name: string | null } | null {
  if (!address) return null
  const box = address.group ? address.group[0] : address
  if (!box?.address || !box.address.includes('@')) return null
  return { address: cleanText(box.address).trim().toLowerCase(), name: (box.name && cleanText(box.name).trim()) || null }
}

/** A file name the attachment API would accept: no folders or control characters, at most 100 characters. */
function safeFileName(name: string | null, mimeType: string, index: number): string {
  const cleaned = (name ?? '').replace(/[\\/\u0000-\u001f]/g, '_').trim()
  if (cleaned) return cleaned.length <= 100 ? cleaned : cleaned.slice(0, 100)
  const extension = mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 10)
  return `attachment-${index + 1}${extension ? `.${extension}` : ''}`
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
