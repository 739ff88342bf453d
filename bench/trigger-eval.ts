/**
 * `bench trigger-eval-100` and `trigger-eval-1000`: the time to evaluate one ticket event against
 * a service's 100 and 1,000 active triggers, as the runner does it: build the event's facts from
 * the ticket row, then test every compiled trigger, with no database query (the runner reads the
 * ticket once per event; the compiled triggers come from the per-service cache). Goal: 1,000
 * triggers under 1,000 µs per event.
 *
 * The triggers mix what administrators write: event kinds, text tests on title, content and
 * requester domain, regular expressions, categories with sub-categories, number fields and
 * status changes, two to four conditions each, some in "any" groups. Events rotate over tickets
 * that match different triggers, so no branch is constant.
 *
 * Baseline, in the same run: compiling the triggers for every event (what the cache saves: regex
 * compilation, category sets), so the ratio says how much the compilation buys.
 */
import { benchOptions, type BenchOptions } from './lib.ts'
import { CategoryTree, type CategoryRecord } from '../plugins/ticket/categories/tree.ts'
import { compileTriggers, evaluateTriggers, type CompileEnv } from '../plugins/ticket/triggers/compile.ts'
import { ticketFacts } from '../plugins/ticket/triggers/facts.ts'
import type { Condition, Trigger } from '../plugins/ticket/triggers/model.ts'
import type { TicketRow } from '../plugins/ticket/tickets/store.ts'
import type { FieldDefinition } from '../plugins/ticket/fields/types.ts'

const CATEGORIES = 60

function categoryTree(): CategoryTree {
  const records: CategoryRecord[] = []
  for (let i = 0; i < CATEGORIES; i++) {
    // Three levels: 6 roots, each with 3 children, each with grandchildren.
    const parentId = i < 6 ? null : i < 24 ? `cat-${i % 6}` : `cat-${6 + (i % 18)}`
    records.push({ id: `cat-${i}`, parentId, names: { ko: `분류 ${i}` }, active: true, orderNo: i, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' })
  }
  return new CategoryTree(records)
}

const fields: CompileEnv['fields'] = new Map(
  [
    { code: 'order_no', type: 'text', personalInfo: false, details: {} },
    { code: 'quantity', type: 'number', personalInfo: false, details: {} },
    { code: 'color', type: 'dropdown', personalInfo: false, details: { options: [{ value: 'red', labels: {} }, { value: 'blue', labels: {} }] } },
  ].map((f) => [f.code, f as Pick<FieldDefinition, 'code' | 'type' | 'personalInfo' | 'details'>]),
)

function makeTriggers(n: number): Trigger[] {
  const pick = (i: number): Condition[] => {
    switch (i % 8) {
      case 0:
        return [{ attribute: 'event', operator: 'is', value: 'created' }, { attribute: 'requesterDomain', operator: 'is', value: `customer${i % 40}.example` }]
      case 1:
        return [{ attribute: 'title', operator: 'contains', value: `keyword${i % 50}` }, { attribute: 'channel', operator: 'is', value: 'web' }]
      case 2:
        return [{ attribute: 'intakeCategory', operator: 'is', value: `cat-${i % 24}` }, { attribute: 'status', operator: 'is-not', value: 'completed' }]
      case 3:
        return [{ attribute: 'title', operator: 'regex', value: `order-${i % 97}\\d+` }]
      case 4:
        return [{ attribute: 'field', field: 'quantity', operator: 'greater', value: i % 30 }, { attribute: 'event', operator: 'is', value: 'updated' }, { attribute: 'field', field: 'quantity', operator: 'changed' }]
      case 5:
        return [{ attribute: 'status', operator: 'changed-to', value: 'open' }, { attribute: 'content', operator: 'contains', value: `refund ${i % 20}` }]
      case 6:
        return [{ attribute: 'requesterEmail', operator: 'starts-with', value: `vip${i % 10}` }, { attribute: 'field', field: 'color', operator: 'is', value: 'red' }, { attribute: 'field', field: 'order_no', operator: 'starts-with', value: 'A-' }]
      default:
        return [{ attribute: 'assignee', operator: 'is', value: null }]
    }
  }
  return Array.from({ length: n }, (_, i) => ({
    id: `trigger-${i}`,
    position: i,
    title: `trigger ${i}`,
    active: true,
    // Every third trigger puts its tests in an "any" group.
    conditions: i % 3 === 0 ? { all: [], any: pick(i) } : { all: pick(i), any: [] },
    results: [{ type: 'callback', url: 'https://hooks.example/x' }],
    version: 1,
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  }))
}

function tickets(): TicketRow[] {
  const base = { number: 1, public_id: 'T1', language: 'ko', requester_name: '고객', requester_member_id: null, requester_usercode: null, assignee_group_id: null, processing_category_id: null, secret_fields: {}, secret_index: [], created_by_type: 'operator', created_by_id: null, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', created_key: '', updated_key: '' }
  const content = '안녕하세요. 지난주에 주문한 상품의 refund 7 요청드립니다. '.repeat(20)
  return [
    { ...base, id: 'a', title: 'Refund for order-4242 keyword7', content, status: 'new', channel: 'web', requester_email: 'vip3@customer3.example', assignee_agent_id: null, intake_category_id: 'cat-40', fields: { order_no: 'A-1', quantity: 12, color: 'red' } },
    { ...base, id: 'b', title: '배송 문의', content, status: 'open', channel: 'email', requester_email: 'lee@elsewhere.example', assignee_agent_id: 'agent-1', intake_category_id: 'cat-7', fields: { quantity: 3 } },
    { ...base, id: 'c', title: 'keyword12 order-55123', content, status: 'pending', channel: 'web', requester_email: 'kim@customer12.example', assignee_agent_id: null, intake_category_id: null, fields: { color: 'blue' } },
    { ...base, id: 'd', title: 'Hello', content: 'short', status: 'open', channel: 'phone', requester_email: null, assignee_agent_id: 'agent-2', intake_category_id: 'cat-59', fields: {} },
  ] as TicketRow[]
}

const EVENTS: { kind: 'created' | 'updated'; changed: string[] }[] = [
  { kind: 'created', changed: [] },
  { kind: 'updated', changed: ['status', 'fields.quantity'] },
  { kind: 'updated', changed: ['title'] },
  { kind: 'created', changed: [] },
]

const noCrypto = () => {
  throw new Error('no personal-info field is read in this benchmark')
}

/** Microseconds per event over `seconds`, and how many triggers matched in total (kept so the work cannot be optimised away). */
async function measure(seconds: number, event: (i: number) => Promise<number>): Promise<{ micros: number; matched: number }> {
  let matched = 0
  let i = 0
  const end = performance.now() + seconds * 1000
  const start = performance.now()
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) matched += await event(i++)
  }
  return { micros: ((performance.now() - start) * 1000) / i, matched }
}

export async function run(options: BenchOptions): Promise<string[]> {
  const intake = categoryTree()
  const env: CompileEnv = { intake, processing: new CategoryTree([]), fields }
  const rows = tickets()
  const lines: string[] = []
  for (const n of [100, 1000]) {
    const triggers = makeTriggers(n)
    const compiled = compileTriggers(triggers, env)
    const cached = async (i: number) => {
      const e = EVENTS[i % EVENTS.length]!
      const facts = await ticketFacts(rows[i % rows.length]!, e.kind, e.changed, compiled.secretCodes, noCrypto)
      return evaluateTriggers(compiled, facts).length
    }
    const uncached = async (i: number) => {
      const e = EVENTS[i % EVENTS.length]!
      const fresh = compileTriggers(triggers, env)
      const facts = await ticketFacts(rows[i % rows.length]!, e.kind, e.changed, fresh.secretCodes, noCrypto)
      return evaluateTriggers(fresh, facts).length
    }
    await measure(Math.min(1, options.warmupSeconds), cached)
    const fast = await measure(options.seconds, cached)
    const slow = await measure(Math.max(0.5, options.seconds / 5), uncached)
    if (!fast.matched) throw new Error('no trigger ever matched: the benchmark measures nothing')
    lines.push(`bench trigger-eval-${n}: ${fast.micros.toFixed(2)} µs per event (ratio ${(slow.micros / fast.micros).toFixed(2)} vs compiling per event)`)
  }
  return lines
}

// `node --import tsx bench/trigger-eval.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  run(benchOptions()).then((lines) => console.log(lines.join('\n')))
}
