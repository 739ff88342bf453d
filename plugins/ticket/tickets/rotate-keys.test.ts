/** Rotation of ticket field values to a new master key: readable after, searchable after, nothing else touched. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyring, generateMasterKey } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { rotateTicketFieldKeys } from './rotate-keys.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

describe.each(DRIVERS)('ticket field key rotation on %s', (driver) => {
  const first = generateMasterKey()
  const second = generateMasterKey()
  let bed: TicketBed
  beforeAll(async () => {
    bed = await ticketBed(driver, 'rot-org', createKeyring([{ version: 1, key: first }]))
  }, 60_000)
  afterAll(() => bed.t.close())

  it('re-seals every personal-info value under the new key, keeps it readable and searchable, and leaves updated_at alone', async () => {
    const tickets = `${bed.api}/ticket/tickets`
    const residentNumbers = ['900101-1234567', '850505-2000001', '770707-1000003']
    for (const [i, resident_no] of residentNumbers.entries()) {
      await ok(bed.call(tickets, { token: bed.agent.token, body: { title: `Ticket ${i}`, content: '본문', channel: 'email', requester: { email: `c${i}@example.com` }, intakeCategoryId: bed.intake.billing, fields: { order_no: `R${i}`, resident_no, privacy_consent: true } } }), 201)
    }
    const before = await bed.t.db.query<{ id: string; updated_at: Date; secret_fields: Record<string, string> }>('SELECT id, updated_at, secret_fields FROM tickets ORDER BY number')
    expect(before.every((r) => r.secret_fields.resident_no!.startsWith('oc1.1.'))).toBe(true)

    const rotated = createKeyring([{ version: 1, key: first }, { version: 2, key: second }])
    const result = await rotateTicketFieldKeys(bed.t.db, rotated, { batchSize: 2 })
    expect(result).toEqual({ rotated: 3, failed: [] })
    expect(await rotateTicketFieldKeys(bed.t.db, rotated)).toEqual({ rotated: 0, failed: [] })

    const after = await bed.t.db.query<{ id: string; org_id: string; service_id: string; updated_at: Date; secret_fields: Record<string, string>; secret_index: string[] }>(
      'SELECT id, org_id, service_id, updated_at, secret_fields, secret_index FROM tickets ORDER BY number',
    )
    for (const [i, row] of after.entries()) {
      const fields = rotated.forTenant({ orgId: row.org_id, serviceId: row.service_id })
      expect(row.secret_fields.resident_no!.startsWith('oc1.2.')).toBe(true)
      expect(JSON.parse(await fields.decrypt(row.secret_fields.resident_no!, 'field:resident_no'))).toBe(residentNumbers[i])
      expect(row.secret_index).toEqual([`resident_no:${await fields.blindIndex('resident_no', residentNumbers[i]!)}`])
      expect(new Date(row.updated_at).getTime()).toBe(new Date(before[i]!.updated_at).getTime())
      expect(JSON.stringify(row)).not.toContain(residentNumbers[i])
    }
  })
})
