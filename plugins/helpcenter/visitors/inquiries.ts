/**
 * A signed-in member's own inquiry history (W5), for the pages: their tickets (by usercode,
 * through the ticket plugin's tickets service), one of them with its public conversation, and
 * their reply to it. Each call is part of the caller's transaction; a ticket of another requester
 * is "not found", never shown.
 */
import { errors, type Service, type TenantTx } from '../../../core/mod.ts'
import { ticketsRef, type TicketEntryView, type TicketsCaller, type TicketView } from '../../ticket/api.ts'
import type { HelpCenterContext } from '../context.ts'
import type { Member, Visitor } from './member.ts'

const callerFor = (service: Service, member: Member): TicketsCaller => ({ service, actor: { kind: 'customer', label: member.name ?? member.usercode } })

/** The member's tickets, newest first. */
export function memberTickets(ctx: HelpCenterContext, tx: TenantTx, service: Service, member: Member, limit = 50): Promise<TicketView[]> {
  return ctx.use(ticketsRef).findByRequester(tx, callerFor(service, member), { usercode: member.usercode }, { limit })
}

/** One of the member's tickets with its replies (internal notes never), or null when it is not theirs. */
export async function memberTicket(ctx: HelpCenterContext, tx: TenantTx, service: Service, member: Member, ticketId: string): Promise<{ ticket: TicketView; entries: TicketEntryView[] } | null> {
  const ticket = (await memberTickets(ctx, tx, service, member, 100)).find((t) => t.id === ticketId || t.ticketId === ticketId)
  if (!ticket) return null
  const entries = await ctx.use(ticketsRef).entries(tx, callerFor(service, member), ticket.id)
  return { ticket, entries: entries ?? [] }
}

/** Adds the member's reply to one of their tickets; 404 naming the ticket when it is not theirs. */
export async function addMemberReply(ctx: HelpCenterContext, tx: TenantTx, service: Service, member: Member, ticketId: string, content: string): Promise<TicketEntryView> {
  const found = await memberTicket(ctx, tx, service, member, ticketId)
  const entry = found && (await ctx.use(ticketsRef).addEntry(tx, callerFor(service, member), found.ticket.id, { kind: 'customer-reply', content }))
  if (!entry) throw errors.notFound(`inquiry '${ticketId}' of this member`)
  return entry
}

/**
 * Whether this visitor may file an inquiry: members always, anonymous visitors while
 * non-member inquiries are on; otherwise why not (for the page to show with its sign-in link).
 */
export function inquiryRefusal(visitor: Visitor, settings: { memberIntegration: boolean; nonMemberInquiries: boolean }): string | null {
  if (visitor.kind === 'member' || settings.nonMemberInquiries) return null
  return settings.memberIntegration ? 'sign in to send an inquiry: this help center takes inquiries from members only' : 'this help center takes no inquiries from visitors who are not signed in'
}
