/** The status lifecycle table: every pair either allowed or refused with a 409 naming both ends. */
import { describe, expect, it } from 'vitest'
import { OcError } from '../../../core/mod.ts'
import { assertTransition, canMove, statusAfterCustomerReply, TICKET_STATUSES } from './lifecycle.ts'

describe('ticket status lifecycle', () => {
  it('allows exactly the documented moves', () => {
    const allowed = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`))
    expect(allowed).toEqual([
      'new->open', 'new->pending', 'new->on-hold', 'new->completed',
      'open->pending', 'open->on-hold', 'open->completed',
      'pending->open', 'pending->on-hold', 'pending->completed',
      'on-hold->open', 'on-hold->pending', 'on-hold->completed',
      'completed->open',
    ])
  })

  it('refuses the rest with TICKET_STATUS_TRANSITION (409), and lets a status stay', () => {
    for (const from of TICKET_STATUSES) {
      expect(() => assertTransition(from, from)).not.toThrow()
      for (const to of TICKET_STATUSES.filter((s) => s !== from && !canMove(from, s))) {
        const error = (() => {
          try {
            assertTransition(from, to)
          } catch (e) {
            return e as OcError
          }
        })()
        expect(error).toBeInstanceOf(OcError)
        expect(error).toMatchObject({ code: 'TICKET_STATUS_TRANSITION', status: 409 })
        expect(error!.message).toContain(`from '${from}' to '${to}'`)
      }
    }
  })

  it('reopens pending and completed tickets on a customer reply', () => {
    expect(TICKET_STATUSES.map(statusAfterCustomerReply)).toEqual(['new', 'open', 'open', 'on-hold', 'open'])
  })
})
