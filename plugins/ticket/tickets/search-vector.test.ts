/**
 * What the `search` column holds (`ticket_search_vector`, 0021_ticket_search_bigrams) on both
 * drivers, that the migration is still the statement applied, and that tickets filed before that migration are searchable by bigrams after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS, freshDb } from '../../../test/support/databases.ts'
import { coreMigrations } from '../../../core/storage/core-migrations.ts'
import { migrate } from '../../../core/storage/migrations.ts'
import type { Db } from '../../../core/storage/db.ts'
import ticket from '../mod.ts'
import { ticketSearchBigramsMigration } from './migrations.ts'
import { bigramSearchVectorSql, searchQuery } from '../../../core/mod.ts'

/** SHA-256 of 0021's statement as it was applied, before the core's builder generated it. */
const APPLIED_0021_SHA256 = '4e3fea7229031ff6621372ca7e72e413a7fc55165c8af04e47746ec6560c8d49'

it('generates 0021 from the core builder byte for byte as it was applied', async () => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ticketSearchBigramsMigration.sql!)))
  expect([...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('')).toBe(APPLIED_0021_SHA256)
  expect(ticketSearchBigramsMigration.sql).toContain(bigramSearchVectorSql('ticket_search_vector', ['title', 'content']))
})

describe.each(DRIVERS)('ticket search vector on %s', (driver) => {
  let db: Db
  const scope = { orgId: crypto.randomUUID(), serviceId: crypto.randomUUID() }
  const lexemes = async (title: string, content: string) =>
    (await db.query<{ lexeme: string }>(`SELECT lexeme FROM unnest(ticket_search_vector($1, $2)) ORDER BY lexeme`, [title, content])).map((row) => row.lexeme)

  beforeAll(async () => {
    db = await freshDb(driver)
    const all = ticket.migrations!
    const before = all.filter((migration) => migration.id !== ticketSearchBigramsMigration.id)
    expect(before).toHaveLength(all.length - 1)
    await migrate(db, [coreMigrations, { owner: 'ticket', migrations: before }])
    await db.query(`INSERT INTO oc_organizations (id, slug, name) VALUES ($1, 'sv', 'Search vector')`, [scope.orgId])
    await db.query(`INSERT INTO oc_services (org_id, id, code, name, default_language, languages, timezone) VALUES ($1, $2, 'desk', 'Desk', 'ko', '{ko}', 'Asia/Seoul')`, [scope.orgId, scope.serviceId])
    await db.query(
      `INSERT INTO tickets (org_id, service_id, number, public_id, title, content, status, channel, created_by_type) VALUES ($1, $2, 1, 'SV-1', '배송지연 문의', '택배가 안 와요', 'new', 'web', 'system')`,
      [scope.orgId, scope.serviceId],
    )
    await migrate(db, [coreMigrations, { owner: 'ticket', migrations: all }])
  }, 60_000)
  afterAll(() => db.close())

  it('holds the words, folded and split at punctuation and between scripts, and the bigrams of every Hangul run', async () => {
    expect(await lexemes('배송지연 AS센터', 'A-1042, 집!')).toEqual(['1042', 'a', 'as', '배송', '배송지연', '센터', '송지', '지연', '집'])
    expect(await lexemes('Refund request', 'kim@example.com')).toEqual(['com', 'example', 'kim', 'refund', 'request'])
    // Folded with NFKC first: full-width Latin, Hangul in decomposed jamo.
    expect(await lexemes('ＶＩＰ', '배송'.normalize('NFD'))).toEqual(['vip', '배송'])
    expect(await lexemes('', '')).toEqual([])
  })

  it('indexes tickets filed before the bigrams, so part of their words finds them', async () => {
    const find = (q: string) =>
      db.tenantTransaction(scope, async (tx) => (await tx.query<{ ids: string[] }>(`SELECT ticket_page($1::jsonb) AS ids`, [JSON.stringify({ sort: 'created:desc', limit: 10, search: searchQuery(q) })])).map((row) => row.ids.length))
    expect(await find('지연')).toEqual([1])
    expect(await find('배송 지연')).toEqual([1])
    expect(await find('택배는')).toEqual([1])
    expect(await find('환불')).toEqual([0])
  })
})
