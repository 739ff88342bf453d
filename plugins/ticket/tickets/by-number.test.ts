/**
 * Tickets by the identifiers people quote, on both drivers: the number (`[#42]` in mail
 * subjects) and the Online Contact `ticketId` find the same ticket, in the same view and under
 * the same access, as its uuid; the list's `number` filter narrows to the numbers named. A
 * number that is not one is 422 naming `path.number`; another service's number or id is 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

interface Filed {
  id: string
  number: number
  ticketId: string
}

describe.each(DRIVERS)('tickets by number and ticketId on %s', (driver) => {
  let bed: TicketBed
  let tickets: string
  let filed: Filed[]
  let theirs: Filed
  beforeAll(async () => {
    bed = await ticketBed(driver, 'bn-org')
    tickets = `${bed.api}/ticket/tickets`
    const file = async (title: string) =>
      (await ok(bed.call(tickets, {
        token: bed.agent.token,
        body: { title, content: '배송 문의', channel: 'email', requester: { email: 'kim@example.com' }, intakeCategoryId: bed.intake.billing, fields: { order_no: 'BN1', resident_no: '880808-1000002', privacy_consent: true } },
      }), 201)) as Filed
    filed = [await file('first'), await file('second'), await file('third')]
    // The other service's first ticket has number 1 too: the lookup must not reach it.
    theirs = await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: { title: 'theirs', content: 'theirs', channel: 'api' } }), 201)
  }, 60_000)
  afterAll(() => bed.t.close())

  // By uuid under /ticket/tickets; by number and ticketId beside it, so no path reads two ways.
  const get = (path: string, token = bed.agent.token) => bed.call(`${path.startsWith('by-') ? `${bed.api}/ticket` : tickets}/${path}`, { token })

  it('finds a ticket by its number and by its ticketId, in the view its uuid gives', async () => {
    const second = filed[1]!
    expect(second.number).toBe(2)
    const byId = await ok(get(second.id))
    expect(byId.fields.resident_no).toBe('880808-1000002')
    expect(await ok(get(`by-number/${second.number}`))).toEqual(byId)
    expect(await ok(get(`by-ticket-id/${second.ticketId}`))).toEqual(byId)
  })

  it('answers with the same access as the uuid route: service keys yes, agents without the permission no', async () => {
    const first = filed[0]!
    expect((await ok(get(`by-number/${first.number}`, bed.serviceKey))).id).toBe(first.id)
    for (const path of [first.id, `by-number/${first.number}`, `by-ticket-id/${first.ticketId}`]) {
      expect((await get(path, bed.noTicketToken)).status, path).toBe(403)
    }
  })

  it('refuses what is not a ticket number with 422 naming path.number', async () => {
    for (const text of ['abc', '0', '-1', '1.5', '1e3', '0x10', '007', '1234567890123456']) {
      const answer = await get(`by-number/${encodeURIComponent(text)}`)
      expect(answer.status, text).toBe(422)
      expect(answer.body.error.issues, text).toContainEqual(expect.objectContaining({ path: 'path.number', message: expect.stringContaining('is not a ticket number') }))
    }
  })

  it("answers 404 for a number or ticketId this service does not have, another service's included", async () => {
    const missing = await get('by-number/999')
    expect(missing.status).toBe(404)
    expect(missing.body.error.issues).toEqual([expect.objectContaining({ path: 'path.number', code: 'not_found' })])
    const foreign = await get(`by-ticket-id/${theirs.ticketId}`)
    expect(foreign.status).toBe(404)
    expect(foreign.body.error.issues).toEqual([expect.objectContaining({ path: 'path.ticketId' })])
    // Number 1 exists in both services; each finds its own.
    expect((await ok(get('by-number/1'))).id).toBe(filed[0]!.id)
    expect((await ok(bed.call(`${bed.otherApi}/ticket/by-number/1`))).id).toBe(theirs.id)
  })

  it('filters the list by the numbers named, with or without #', async () => {
    const list = async (query: string) => (await ok(bed.call(`${tickets}?${query}`, { token: bed.agent.token }))).tickets.map((t: Filed) => t.number).sort()
    expect(await list('number=1,3')).toEqual([1, 3])
    expect(await list(`number=${encodeURIComponent('#2')}`)).toEqual([2])
    expect(await list('number=3&q=first')).toEqual([])
    expect(await list('number=999')).toEqual([])
    const bad = await bed.call(`${tickets}?number=2,x`, { token: bed.agent.token })
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues).toContainEqual(expect.objectContaining({ path: 'query.number', message: expect.stringContaining("'x' is not a ticket number") }))
  })
})
