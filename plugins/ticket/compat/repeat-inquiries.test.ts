/**
 * Repeat-inquiry blocking on the compat ticket create, on both drivers: off by default; when a
 * service turns it on, one customer (OC-Client-IP, else usercode) is refused with resultCode
 * 1001 inside the interval and 1002 past the daily limit, other customers are not, refused
 * creates do not count, marks older than a day stop counting and are deleted, and customers are
 * stored only as hashes. Time passes by ageing the marks (as the database owner).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { compatBed, type CompatBed, signedClient } from '../../../test/oc-compat/harness.ts'
import { ocClient } from '../../../test/oc-compat/client.ts'
import { ok } from '../test-support.ts'

describe.each(DRIVERS)('compat repeat-inquiry blocking on %s', (driver) => {
  let bed: CompatBed
  let client: ReturnType<typeof ocClient>
  let categoryId: number
  beforeAll(async () => {
    bed = await compatBed(driver)
    client = signedClient(bed)
    categoryId = (await client.categories()).body.result.contents[1].categoryId
  }, 120_000)
  afterAll(() => bed?.t.close())

  const inquiry = (usercode: string, extra: Record<string, unknown> = {}) => ({
    categoryId,
    subject: 'help',
    content: 'please help',
    endUser: { usercode, email: `${usercode}@example.com` },
    userFields: [
      { code: 'order_no', value: 'A-1' },
      { code: 'privacy_consent', value: true },
    ],
    ...extra,
  })
  const from = (ip: string | null, usercode: string, extra?: Record<string, unknown>) => client.createTicket(inquiry(usercode, extra), ip ? { 'OC-Client-IP': ip } : undefined)
  const filed = async (answer: Promise<{ status: number; body: any }>) => {
    const done = await answer
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body.header).toMatchObject({ resultCode: 200, isSuccessful: true })
  }
  const blocked = async (answer: Promise<{ status: number; body: any }>, code: 1001 | 1002) => {
    const done = await answer
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body).toMatchObject({ header: { resultCode: code, isSuccessful: false }, result: null })
    return done.body.header.resultMessage as string
  }
  const age = (interval: string) => bed.t.db.query(`UPDATE ticket_compat_inquiries SET created_at = created_at - interval '${interval}'`)
  const settings = (body: Record<string, unknown>) => ok(bed.call(`${bed.api}/settings/ticket`, { method: 'PUT', body }))
  const ticketsOf = async (usercode: string) => (await client.list(usercode)).body.result.total as number

  it('lets repeats through while blocking is off (the default)', async () => {
    expect((await ok(bed.call(`${bed.api}/settings/ticket`))).values).toEqual({ repeatInquiryBlocking: false, repeatInquiryIntervalSeconds: 60, repeatInquiryDailyLimit: 10 })
    await filed(from('198.51.100.1', 'free'))
    await filed(from('198.51.100.1', 'free'))
    expect(await ticketsOf('free')).toBe(2)
  })

  it('refuses one customer inside the interval (1001) and past the daily limit (1002), not others', async () => {
    expect((await settings({ repeatInquiryBlocking: true, repeatInquiryIntervalSeconds: 60, repeatInquiryDailyLimit: 3 })).values.repeatInquiryBlocking).toBe(true)
    await filed(from('198.51.100.2', 'ip-a'))
    expect(await blocked(from('198.51.100.2', 'ip-a2'), 1001)).toMatch(/client IP 198\.51\.100\.2\) filed an inquiry \d+ seconds ago; this service takes one per 60 seconds, try again in \d+ seconds/)
    expect(await ticketsOf('ip-a2')).toBe(0)
    // Another address is another customer.
    await filed(from('198.51.100.3', 'ip-b'))

    await age('61 seconds')
    await filed(from('198.51.100.2', 'ip-a'))
    await age('61 seconds')
    await filed(from('198.51.100.2', 'ip-a'))
    await age('61 seconds')
    expect(await blocked(from('198.51.100.2', 'ip-a'), 1002)).toMatch(/filed 3 inquiries in the last 24 hours, this service's limit \(3\); try again in \d+ seconds/)
    expect(await ticketsOf('ip-a')).toBe(3)

    // A day later the marks no longer count, and are gone once a new one is written.
    await age('1 day')
    await filed(from('198.51.100.2', 'ip-a'))
    const [left] = await bed.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_compat_inquiries WHERE created_at < now() - interval '1 day'`)
    expect(left!.n).toBe(0)
  })

  it('counts only filed inquiries, keys calls without OC-Client-IP by usercode, and stores no customer in plain', async () => {
    await age('1 day')
    const { subject: _s, ...noSubject } = inquiry('careful')
    expect((await client.createTicket(noSubject, { 'OC-Client-IP': '198.51.100.4' })).status).toBe(400)
    await filed(from('198.51.100.4', 'careful'))

    await filed(from(null, 'no-ip'))
    expect(await blocked(from(null, 'no-ip'), 1001)).toMatch(/usercode 'no-ip'/)
    const rows = await bed.t.db.query<Record<string, unknown>>('SELECT * FROM ticket_compat_inquiries')
    expect(rows.length).toBeGreaterThan(0)
    expect(JSON.stringify(rows)).not.toMatch(/198\.51\.100|no-ip|careful/)
  })

  it('lets repeats through again once blocking is turned off', async () => {
    await settings({ repeatInquiryBlocking: false })
    await filed(from('198.51.100.5', 'later'))
    await filed(from('198.51.100.5', 'later'))
    expect(await ticketsOf('later')).toBe(2)
  })
})
