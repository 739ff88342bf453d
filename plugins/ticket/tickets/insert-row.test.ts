/**
 * `insertTicket` answers with a row built from what it inserted and the times the database gave
 * it, instead of reading every column back: that row must be the row a read of the ticket gets,
 * column for column, on both drivers, with every optional column set and with every one empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'
import { compatTicketId, newTicketId } from './ids.ts'
import { findTicket, insertTicket, type NewTicket, type TicketRow } from './store.ts'

/** The number as both drivers read a bigint column back, whatever its JavaScript type. */
const comparable = (row: TicketRow) => ({ ...row, number: Number(row.number), created_at: new Date(row.created_at).getTime(), updated_at: new Date(row.updated_at).getTime() })

describe.each(DRIVERS)('the row a new ticket answers with, on %s', (driver) => {
  let bed: TicketBed
  beforeAll(async () => {
    bed = await ticketBed(driver, `insert-row-${driver}`)
  })
  afterAll(() => bed.t.close())

  const ticket = (number: number, filled: boolean): NewTicket => ({
    id: newTicketId(),
    number,
    publicId: compatTicketId(),
    title: '환불 요청 refund',
    content: '지난주 주문한 상품을 환불하고 싶습니다.\nline two',
    channel: 'email',
    language: filled ? 'ko' : null,
    requester: filled ? { email: 'kim@example.com', name: '김민수', memberId: null, usercode: 'U-7' } : { email: null, name: null, memberId: null, usercode: null },
    assigneeAgentId: filled ? bed.agent.id : null,
    assigneeGroupId: filled ? bed.group : null,
    intakeCategoryId: filled ? bed.intake.billing : null,
    processingCategoryId: filled ? bed.processing : null,
    fields: filled ? { order_no: 'AB-1', quantity: 3, nested: { b: [1, 'two', null], a: true } } : {},
    secretFields: filled ? { resident_no: 'ov1.1.sealed-bytes' } : {},
    secretIndex: filled ? ['resident_no:bi1.1.token', 'email:bi1.1.other'] : [],
    createdBy: { type: 'agent', id: bed.agent.id, label: 'agent@example.com' },
  })

  it.each([
    ['every optional column set', true, 900_001],
    ['every optional column empty', false, 900_002],
  ])('is the row read back, with %s', async (_what, filled, number) => {
    const [inserted, read] = await bed.t.db.tenantTransaction(bed.scope, async (tx) => {
      const row = await insertTicket(tx, ticket(number, filled), [{ field: 'created', from: null, to: { status: 'new' } }])
      return [row, await findTicket(tx, row.id)] as const
    })
    expect(read).not.toBeNull()
    expect(comparable(inserted)).toStrictEqual(comparable(read!))
    expect(Object.keys(inserted).sort()).toEqual(Object.keys(read!).sort())
  })
})
