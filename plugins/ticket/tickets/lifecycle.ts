/**
 * The ticket status lifecycle (T1) and the rule that enforces it.
 *
 *   new       a ticket nobody has touched yet      -> open, pending, on-hold, completed
 *   open      being worked on                      -> pending, on-hold, completed
 *   pending   waiting for the customer's answer    -> open, on-hold, completed
 *   on-hold   parked (waiting for a third party)   -> open, pending, completed
 *   completed done                                 -> open (reopened)
 *
 * Nothing goes back to `new`: it means "never handled", which stops being true. A customer
 * reply to a pending or completed ticket reopens it (`open`), so the answer is seen.
 * The compat API (C16) maps new->new, open->open, pending->reply, on-hold->open,
 * completed->solved, and never reports closed (see compat/mapping.ts).
 */
import { OcError } from '../../../core/mod.ts'

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on-hold', 'completed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

const ALLOWED: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on-hold', 'completed'],
  open: ['pending', 'on-hold', 'completed'],
  pending: ['open', 'on-hold', 'completed'],
  'on-hold': ['open', 'pending', 'completed'],
  completed: ['open'],
}

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED[from].includes(to)
}

/** Throws 409 `TICKET_STATUS_TRANSITION` naming both ends and where the ticket may go instead. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === to || canMove(from, to)) return
  throw new OcError('TICKET_STATUS_TRANSITION', `a ticket cannot move from '${from}' to '${to}'; from '${from}' it may move to ${ALLOWED[from].map((s) => `'${s}'`).join(', ')}`, {
    status: 409,
    issues: [{ path: 'body.status', message: `'${from}' -> '${to}' is not an allowed transition`, code: 'invalid_transition' }],
  })
}

/** The status a customer reply leaves the ticket in. */
export function statusAfterCustomerReply(status: TicketStatus): TicketStatus {
  switch (status) {
    case 'pending':
    case 'completed':
      return 'open'
    case 'new':
    case 'open':
    case 'on-hold':
      return status
    default: {
      const unreachable: never = status
      return unreachable
    }
  }
}
