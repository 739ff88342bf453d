/**
 * Agent replies go to the customer by mail (T7, issue #5 §5): on `ticket.replied` with kind
 * `agent-reply` (never internal notes, never customer replies), the reply is sent to the
 * requester's address in the service's layout, with the reply's attachments, threaded to the
 * ticket (see mail/outgoing.ts for Message-ID, In-Reply-To, References and the subject).
 *
 * Which tickets: any channel (a help-center or API ticket is answered by mail just like an
 * e-mail one), as long as the requester has a usable e-mail address and the service has saved
 * its e-mail settings; without them there is no address for the customer's answer to come back
 * to, so nothing is sent (logged, not retried).
 */
import type { EventEnvelope, MailAttachment, PluginContext, Subscriber, TenantScope, z } from '../../../core/mod.ts'
import type { TicketReplied } from '../tickets/events.ts'
import { isMailAddress } from './addresses.ts'
import { sendServiceMail } from './outgoing.ts'
import { readMailSettings } from './settings-store.ts'
import { withRequesterEmail } from '../tickets/requester-email.ts'

type Replied = z.infer<typeof TicketReplied>

interface ReplyToMail {
  readonly to: string
  readonly title: string
  readonly body: string
  readonly files: readonly { blob_key: string; file_name: string; content_type: string }[]
}

/** What the mail needs, or why there is none to send. */
async function readReply(ctx: PluginContext, scope: TenantScope, ticketId: string, entryId: string): Promise<ReplyToMail | string> {
  return ctx.tenantDb(scope).tx(async (tx) => {
    const [sealed] = await tx.sql<{ title: string; requester_email: string | null; secret_fields: Record<string, string> }>`SELECT title, requester_email, secret_fields FROM tickets WHERE id = ${ticketId}`
    if (!sealed) return 'the ticket is gone'
    const ticket = await withRequesterEmail(sealed, () => ctx.crypto.forTenant(scope))
    const to = ticket.requester_email?.trim() ?? ''
    if (!to) return 'the requester has no e-mail address'
    if (!isMailAddress(to)) return 'the requester e-mail address is not usable'
    if (!(await readMailSettings(tx))) return 'the service has no e-mail settings'
    const [entry] = await tx.sql<{ body: string }>`SELECT body FROM ticket_entries WHERE id = ${entryId} AND ticket_id = ${ticketId} AND kind = 'agent-reply'`
    if (!entry) return 'the reply is gone'
    const files = await tx.sql<{ blob_key: string; file_name: string; content_type: string }>`
      SELECT blob_key, file_name, content_type FROM ticket_attachments WHERE ticket_id = ${ticketId} AND entry_id = ${entryId} ORDER BY created_at, id`
    return { to, title: ticket.title, body: entry.body, files }
  })
}

async function mailAgentReply(event: EventEnvelope, ctx: PluginContext): Promise<void> {
  const payload = event.payload as Replied
  switch (payload.kind) {
    case 'agent-reply':
      break
    case 'customer-reply':
    case 'note':
      return
    default: {
      const unreachable: never = payload.kind
      throw new Error(`unknown entry kind ${String(unreachable)}`)
    }
  }
  if (!event.serviceId) return
  const scope = { orgId: event.orgId, serviceId: event.serviceId }
  const reply = await readReply(ctx, scope, payload.id, payload.entryId)
  if (typeof reply === 'string') {
    ctx.log.info('agent reply not mailed', { serviceId: scope.serviceId, ticketId: payload.id, entryId: payload.entryId, reason: reply })
    return
  }
  const blobs = ctx.blobs.forTenant(scope)
  const attachments: MailAttachment[] = []
  for (const file of reply.files) {
    const blob = await blobs.get(file.blob_key)
    // A missing file is the store's loss, not something a retry fixes: the reply goes without it.
    if (!blob) ctx.log.warn('attachment missing from the blob store; mailing the reply without it', { ticketId: payload.id, entryId: payload.entryId, file: file.file_name })
    else attachments.push({ filename: file.file_name, contentType: file.content_type, content: blob.body })
  }
  await sendServiceMail(ctx, scope, { to: reply.to, subject: reply.title, text: reply.body, useLayout: true, ticketId: payload.id, entryId: payload.entryId, attachments })
}

export const agentReplyMailSubscriber: Subscriber = { id: 'mail-agent-reply', event: 'ticket.replied', handle: mailAgentReply }

/** The mail subscribers of the ticket plugin, registered in mod.ts. */
export const mailSubscribers: readonly Subscriber[] = [agentReplyMailSubscriber]
