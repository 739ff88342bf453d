/** The e-mail settings API's shapes (T7): request bodies (strict) and answers; one zod declaration each. */
import { z } from '../../../core/mod.ts'
import { DisplayName, MailAddress } from './addresses.ts'
import { MailHost, MailPort } from './hosts.ts'
import { LAYOUT_FORMATS, MAX_LAYOUT_LENGTH } from './layout/compile.ts'

const Password = z.string().min(1).max(1000).nullable().optional().openapi({ description: 'Write-only. Omitted: keep the stored one (refused when host or user changed). Null: remove it.' })
const User = z.string().trim().min(1).max(254).nullable().optional().openapi({ description: 'The login; often the address itself' })
const serverFields = {
  host: MailHost,
  port: MailPort,
  secure: z.boolean().openapi({ description: 'TLS from the first byte (SMTP 465, IMAP 993); false: STARTTLS when the server offers it' }),
  user: User,
  password: Password,
}

export const SmtpInput = z.strictObject(serverFields).openapi('TicketMailSmtpInput')
export const ImapInput = z
  .strictObject({
    ...serverFields,
    mailbox: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((m) => !/[\u0000-\u001f\u007f]/.test(m), 'a mailbox name without control characters')
      .default('INBOX'),
    enabled: z.boolean().default(true).openapi({ description: 'Poll this mailbox; new mail becomes tickets' }),
  })
  .openapi('TicketMailImapInput')

export const MailAccountInput = z
  .strictObject({
    address: MailAddress,
    displayName: DisplayName.nullable().optional(),
    smtp: SmtpInput.nullable().optional().openapi({ description: 'Sending through this account; null or omitted: none' }),
    imap: ImapInput.nullable().optional().openapi({ description: 'Receiving from this account; null or omitted: none' }),
  })
  .openapi('TicketMailAccountInput')

const PollState = z.object({ uidValidity: z.number().nullable(), lastUid: z.number().nullable(), polledAt: z.string().nullable(), error: z.string().nullable() })
export const MailAccountSchema = z
  .object({
    id: z.uuid(),
    address: z.string(),
    displayName: z.string().nullable(),
    smtp: z.object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().nullable(), passwordSet: z.boolean() }).nullable(),
    imap: z
      .object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().nullable(), passwordSet: z.boolean(), mailbox: z.string(), enabled: z.boolean(), state: PollState.openapi({ description: "The poller's position in the mailbox; read-only" }) })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TicketMailAccount')

export const MailSettingsInput = z
  .strictObject({
    representativeAddress: MailAddress.openapi({ description: 'The address customers write to; replies come back to it' }),
    senderName: DisplayName.nullable().optional().openapi({ description: 'The From display name' }),
    replyTo: MailAddress.nullable().optional().openapi({ description: 'Reply-To; default: the representative address' }),
    sendingAccountId: z.uuid().nullable().optional().openapi({ description: 'The external account (with SMTP) that sends; null: the platform sender' }),
  })
  .openapi('TicketMailSettingsInput')

export const MailSettingsSchema = z
  .object({
    configured: z.boolean().openapi({ description: 'False until saved: no agent reply is mailed before' }),
    representativeAddress: z.string().nullable(),
    senderName: z.string().nullable(),
    replyTo: z.string().nullable(),
    sendingAccountId: z.uuid().nullable(),
    sendingVia: z.enum(['account', 'platform']).openapi({ description: "Which sender mail leaves through on this platform: the sending account's SMTP server, or the platform sender" }),
    platformAddress: z.string().nullable().openapi({ description: "The platform sender's address (From when sending via the platform)" }),
    updatedAt: z.string().nullable(),
  })
  .openapi('TicketMailSettings')

const Format = z.enum(LAYOUT_FORMATS).openapi({ description: 'mjml: compiled to HTML when saved; html: used as written' })
const Source = z.string().max(MAX_LAYOUT_LENGTH).openapi({ description: 'Must contain #{content}, where the reply goes', example: '<mjml><mj-body><mj-section><mj-column><mj-text>#{content}</mj-text></mj-column></mj-section></mj-body></mjml>' })

export const LayoutInput = z.strictObject({ format: Format, source: Source }).openapi('TicketMailLayoutInput')

export const LayoutSchema = z
  .object({
    format: Format,
    source: z.string(),
    html: z.string().openapi({ description: 'The compiled HTML mail is sent in' }),
    version: z.number().int().openapi({ description: 'Grows with every save; 0 is the built-in default layout' }),
    updatedAt: z.string().nullable(),
  })
  .openapi('TicketMailLayout')

export const LayoutPreviewInput = z
  .strictObject({
    content: z.string().max(100_000).default('안녕하세요. 문의하신 내용에 답변드립니다.\nHello, here is the answer to your question.').openapi({ description: 'Sample reply text' }),
    layout: LayoutInput.optional().openapi({ description: 'A draft to preview without saving; default: the saved layout' }),
  })
  .openapi('TicketMailLayoutPreviewInput')

export const LayoutPreviewSchema = z.object({ html: z.string(), version: z.number().int().nullable().openapi({ description: 'The saved version shown; null for a draft' }) }).openapi('TicketMailLayoutPreview')
