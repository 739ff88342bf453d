/**
 * The signed-in member's pages (W5): their inquiry history, one inquiry with its public
 * conversation (the first message, then the replies; internal notes never), and the sign-in
 * page an anonymous visitor gets instead. Tickets are read through visitors/inquiries.ts, so a
 * ticket of another requester is "not found".
 */
import { sanitizeHtml } from '../../../core/mod.ts'
import type { TicketView } from '../../ticket/api.ts'
import { nameIn } from '../content/public-read.ts'
import { SanitisedHtml } from '../render/safe-html.ts'
import { memberTicket, memberTickets } from '../visitors/inquiries.ts'
import { inquiryFormOf } from './inquiry.ts'
import type { Presenter } from './presenters.ts'
import type { PageRequest } from './request.ts'

const statusLabel = (strings: Readonly<Record<string, string>>, status: string) => strings[`hc_status_${status.replace(/-/g, '_')}`] ?? status
const body = (text: string) => SanitisedHtml.trust(sanitizeHtml(/<[a-z][\s\S]*>/i.test(text) ? text : text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')))
const memberOf = (req: PageRequest) => (req.visitor.kind === 'member' ? req.visitor.member : null)

export const presentSignInRequired: Presenter<'signin_required'> = async (_req, shared) => ({ signInUrl: shared.hc.urls.signIn })

export const presentHistory: Presenter<'inquiry_history'> = async (req, shared) => {
  const member = memberOf(req)
  if (!member) return null
  const tickets = await memberTickets(req.ctx, req.tx, req.service, member)
  return {
    inquiries: tickets.map((t) => ({ id: t.id, number: t.ticketId, title: t.title, status: t.status, statusLabel: statusLabel(shared.strings, t.status), createdAt: t.createdAt, url: req.links.to(`/inquiries/${t.id}`) })),
    pagination: req.links.pagination('/inquiries', {}, 1, 1),
  }
}

/** A field value as text (choices as they were sent, a ticked box as the page's "yes"). */
function shownValue(value: unknown, yes: string): string {
  if (value === true) return yes
  if (Array.isArray(value)) return value.map(String).join(', ')
  return value === null || value === undefined || value === false ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
}

async function fieldsOf(req: PageRequest, ticket: TicketView, yes: string) {
  const form = await inquiryFormOf(req, req.tx, ticket.intakeCategoryId)
  const values = ticket.fields as Record<string, unknown>
  return form.fields.filter((f) => !['title', 'content', 'intake_type'].includes(f.code) && shownValue(values[f.code], yes) !== '').map((f) => ({ label: nameIn(f.names, req.language, req.service), value: shownValue(values[f.code], yes) }))
}

export const presentInquiryDetail = (ticketId: string): Presenter<'inquiry_detail'> => async (req, shared) => {
  const member = memberOf(req)
  const found = member && (await memberTicket(req.ctx, req.tx, req.service, member, ticketId))
  if (!found) return null
  const { ticket, entries } = found
  const asker = member.name ?? member.usercode
  return {
    inquiry: {
      number: ticket.ticketId,
      title: ticket.title,
      statusLabel: statusLabel(shared.strings, ticket.status),
      createdAt: ticket.createdAt,
      fields: await fieldsOf(req, ticket, shared.strings.hc_vote_yes ?? 'Yes'),
      entries: [
        { fromAgent: false, authorName: asker, body: body(ticket.content), createdAt: ticket.createdAt, attachments: [] },
        ...entries.map((e) => ({ fromAgent: e.kind === 'agent-reply', authorName: e.kind === 'agent-reply' ? (e.author.label ?? req.service.name) : asker, body: body(e.content), createdAt: e.createdAt, attachments: [] })),
      ],
    },
    reply: { allowed: ticket.status !== 'completed', action: req.links.to(`/inquiries/${ticket.id}/replies`) },
    historyUrl: req.links.to('/inquiries'),
  }
}
