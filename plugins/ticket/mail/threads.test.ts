/**
 * The Message-ID ↔ ticket table on both drivers: ids recorded once per service (a second record
 * is refused, another service may hold the same id), lookups that prefer the caller's order, the
 * headers of an outgoing reply, tenant isolation, and the id forms accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { mailBed, rawMail, type MailBed } from './inbound/test-bed.ts'
import { findThreadTicket, messageIdsIn, normalizeMessageId, recordMailMessage, threadHeaders } from './threads.ts'

describe('message id forms', () => {
  it('normalizes to the bracketed header form and refuses what is no id', () => {
    expect(normalizeMessageId('abc@x.example')).toBe('<abc@x.example>')
    expect(normalizeMessageId('  <abc@x.example> ')).toBe('<abc@x.example>')
    expect(normalizeMessageId('')).toBeNull()
    expect(normalizeMessageId('<a b@x>')).toBeNull()
    expect(normalizeMessageId(`<${'a'.repeat(1000)}@x>`)).toBeNull()
    expect(messageIdsIn(' <a@x>\r\n <b@x> <a@x> garbage <c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>'])
    expect(messageIdsIn(undefined)).toEqual([])
  })
})

describe.each(DRIVERS)('mail threads on %s', (driver) => {
  let bed: MailBed
  let other: { orgId: string; serviceId: string }
  let first: string
  let second: string
  beforeAll(async () => {
    bed = await mailBed(driver, 'threads')
    other = await bed.t.createService('threads', 'other-desk', ['ticket'])
    first = (await bed.postMail(rawMail({ messageId: '<t1@customer.example>' }))).body.ticketId
    second = (await bed.postMail(rawMail({ messageId: '<t2@customer.example>' }))).body.ticketId
  }, 60_000)
  afterAll(() => bed.t.close())

  const inTenant = <T>(fn: Parameters<typeof bed.t.db.tenantTransaction<T>>[1]) => bed.t.db.tenantTransaction(bed.scope, fn)

  it('records an id once per service and finds its ticket, preferring the first id given', async () => {
    expect(await inTenant((tx) => recordMailMessage(tx, { messageId: 'out-1@shop.example', ticketId: first, direction: 'out' }))).toBe(true)
    expect(await inTenant((tx) => recordMailMessage(tx, { messageId: '<out-1@shop.example>', ticketId: second, direction: 'out' }))).toBe(false)
    expect(await inTenant((tx) => findThreadTicket(tx, ['<unknown@x>', 'out-1@shop.example']))).toBe(first)
    expect(await inTenant((tx) => findThreadTicket(tx, ['<t2@customer.example>', '<t1@customer.example>']))).toBe(second)
    expect(await inTenant((tx) => findThreadTicket(tx, ['<t1@customer.example>', '<t2@customer.example>']))).toBe(first)
    expect(await inTenant((tx) => findThreadTicket(tx, []))).toBeNull()
    expect(await inTenant((tx) => findThreadTicket(tx, ["<it's, \"odd\"@x>"]))).toBeNull()
  })

  it('keeps services apart: another service neither sees the id nor is blocked by it', async () => {
    expect(await bed.t.db.tenantTransaction(other, (tx) => findThreadTicket(tx, ['<t1@customer.example>']))).toBeNull()
    const [row] = await bed.t.db.tenantTransaction(other, (tx) =>
      tx.sql<{ id: string }>`INSERT INTO tickets (number, public_id, title, content, status, channel, created_by_type) VALUES (1, 'Tother', 'x', 'y', 'new', 'email', 'anonymous') RETURNING id`,
    )
    expect(await bed.t.db.tenantTransaction(other, (tx) => recordMailMessage(tx, { messageId: '<t1@customer.example>', ticketId: row!.id, direction: 'in' }))).toBe(true)
  })

  it('gives an outgoing reply In-Reply-To the latest customer message and References the thread, oldest first', async () => {
    expect(await inTenant((tx) => threadHeaders(tx, second))).toEqual({ inReplyTo: '<t2@customer.example>', references: ['<t2@customer.example>'] })
    await inTenant(async (tx) => {
      await recordMailMessage(tx, { messageId: '<r1@shop.example>', ticketId: second, direction: 'out' })
      await recordMailMessage(tx, { messageId: '<c2@customer.example>', ticketId: second, direction: 'in' })
      await recordMailMessage(tx, { messageId: '<r2@shop.example>', ticketId: second, direction: 'out' })
    })
    expect(await inTenant((tx) => threadHeaders(tx, second))).toEqual({
      inReplyTo: '<c2@customer.example>',
      references: ['<t2@customer.example>', '<r1@shop.example>', '<c2@customer.example>', '<r2@shop.example>'],
    })
    // A long thread keeps its first message and the latest ones.
    await inTenant(async (tx) => {
      for (let i = 0; i < 25; i++) await recordMailMessage(tx, { messageId: `<long-${i}@shop.example>`, ticketId: second, direction: 'out' })
    })
    const long = await inTenant((tx) => threadHeaders(tx, second))
    expect(long.references).toHaveLength(20)
    expect(long.references[0]).toBe('<t2@customer.example>')
    expect(long.references.at(-1)).toBe('<long-24@shop.example>')
    expect(long.inReplyTo).toBe('<c2@customer.example>')
    const unknown = await inTenant((tx) => threadHeaders(tx, '00000000-0000-4000-8000-000000000000'))
    expect(unknown).toEqual({ references: [] })
  })
})
