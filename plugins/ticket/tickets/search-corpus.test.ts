/**
 * Search measured on a corpus (search-corpus.ts), on both drivers: the tickets are filed through
 * the API into one service and every query runs through the list (`GET /ticket/tickets?q=`).
 * Recall and precision are printed per query and over all queries (each query's found and
 * expected tickets summed). Every query must find all its expected tickets; precision, which the
 * bigram method gives up where words share syllables but not meaning, must stay at its floor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { CORPUS_QUERIES, CORPUS_TICKETS, type TicketKey } from './search-corpus.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

/**
 * Measured on this corpus, the same on both drivers: recall 1, precision 0.969 (6 of 196 found
 * tickets not expected, all of a known kind: `배송지` inside `배송지연`, a delay that is not the
 * delivery's for `배송 지연`, `logging` searching `log` and so finding `login`). The floor is that
 * value rounded down, so a change that finds two more unexpected tickets (190 of 198) fails.
 */
const PRECISION_FLOOR = 0.96

interface Measured {
  q: string
  kind: string
  expected: number
  found: number
  relevant: number
  missing: TicketKey[]
  extra: TicketKey[]
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole)

function table(rows: readonly Measured[]): string {
  const line = (cells: (string | number)[]) => cells.map((cell, i) => String(cell).padEnd(i === 0 ? 16 : 9)).join(' ')
  return [
    line(['query', 'kind', 'expected', 'found', 'recall', 'precision', 'extra']),
    ...rows.map((row) => line([row.q, row.kind, row.expected, row.found, ratio(row.relevant, row.expected).toFixed(2), ratio(row.relevant, row.found).toFixed(2), row.extra.join(', ')])),
  ].join('\n')
}

describe.each(DRIVERS)('ticket search corpus on %s', (driver) => {
  let bed: TicketBed
  const keyOf = new Map<string, TicketKey>()
  beforeAll(async () => {
    bed = await ticketBed(driver, 'sc-org')
    for (const [key, ticket] of Object.entries(CORPUS_TICKETS)) {
      const made = await ok(bed.call(`${bed.api}/ticket/tickets`, { token: bed.agent.token, body: { ...ticket, channel: 'web', requester: { email: 'corpus@example.com' } } }), 201)
      keyOf.set(made.id, key as TicketKey)
    }
  }, 120_000)
  afterAll(() => bed.t.close())

  it('finds every expected ticket of every query, and keeps precision at its floor', async () => {
    const rows: Measured[] = []
    for (const { q, kind, expected } of CORPUS_QUERIES) {
      const answer = await ok(bed.call(`${bed.api}/ticket/tickets?limit=200&q=${encodeURIComponent(q)}`, { token: bed.agent.token }))
      const found = new Set<TicketKey>(answer.tickets.map((ticket: { id: string }) => keyOf.get(ticket.id)))
      const relevant = expected.filter((key) => found.has(key)).length
      rows.push({ q, kind, expected: expected.length, found: found.size, relevant, missing: expected.filter((key) => !found.has(key)), extra: [...found].filter((key) => !expected.includes(key)) })
    }
    const sum = (pick: (row: Measured) => number) => rows.reduce((total, row) => total + pick(row), 0)
    const recall = ratio(sum((row) => row.relevant), sum((row) => row.expected))
    const precision = ratio(sum((row) => row.relevant), sum((row) => row.found))
    console.log(`${table(rows)}\n\n${driver}: ${rows.length} queries over ${keyOf.size} tickets, recall ${recall.toFixed(3)} (${sum((row) => row.relevant)} of ${sum((row) => row.expected)} expected), precision ${precision.toFixed(3)} (of ${sum((row) => row.found)} found; floor ${PRECISION_FLOOR})`)

    expect(rows.filter((row) => row.missing.length).map(({ q, missing }) => ({ q, missing }))).toEqual([])
    expect(precision).toBeGreaterThanOrEqual(PRECISION_FLOOR)
  })
})
