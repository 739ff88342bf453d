/**
 * Scale data for the benchmarks: one big service (1,000,000 tickets by default) and 100 small
 * ones (1,000 tickets each), loaded into a PostgreSQL server fast enough to run in a benchmark.
 *
 * What a service is made of goes through the platform's own API, as an administrator would set
 * it up (bench/ticket-setup.ts): the organization, service, contract, intake category tree,
 * processing categories, fields (order_no, quantity, resident_no, and the `product_type`
 * dropdown), members, agents and groups. The tickets themselves are bulk-loaded as the owner
 * with COPY, several streams at once, in batches of {@link BATCH} rows: the HTTP create path
 * is measured by `ticket-create`, and a million creates through it would take an hour. No
 * history, entries or events are written; `search` is a generated column, computed by the
 * database. Each service's counter is set to its last number, and the table is VACUUMed (the
 * GIN indexes' pending lists are merged) and ANALYZEd, so the planner sees the real data.
 *
 * The rows look like a shop's help desk over two years (texts: bench/scale-text.ts): numbers
 * follow creation time, which grows denser towards now (a growing business); old tickets are
 * nearly all completed, recent ones are new, open or pending; assignees come from the
 * service's agents (a few of them take more tickets), groups and intake categories follow the
 * topic; updated_at is never before created_at nor after now. Everything is drawn from a seeded
 * generator, so a seed gives the same data.
 *
 * As a command, on a database of its own (it creates organization `scale` and `scale-s0`…):
 *
 *   node --import tsx bench/scale-data.ts --url postgres://postgres@127.0.0.1:5432/bench \
 *     [--tickets 1000000] [--small-services 100] [--small-tickets 1000] [--seed 1]
 *
 * The load time and rows/s go to stderr.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import postgres from 'postgres'
import { searchQuery } from '../core/mod.ts'
import { detail } from './lib.ts'
import { GROUPS, INTAKE_TREE, PROCESSING, PRODUCT_TYPES, requesterName, seededRandom, ticketText, weightedPicker } from './scale-text.ts'
import { benchService, startTicketBench, type BenchService, type TicketBench } from './ticket-setup.ts'

export interface ScaleOptions {
  /** Tickets of the big service. */
  readonly tickets: number
  readonly smallServices: number
  readonly smallTickets: number
  readonly seed: number
}

export const DEFAULT_SCALE: ScaleOptions = { tickets: 1_000_000, smallServices: 100, smallTickets: 1_000, seed: 1 }

/** A loaded service: its API, key and the ids the list benchmark filters on. */
export interface ScaleService extends BenchService {
  readonly tickets: number
  readonly agentIds: readonly string[]
  readonly groupIds: ReadonlyMap<string, string>
}

export interface ScaleData {
  readonly big: ScaleService
  readonly small: readonly ScaleService[]
  /** Tickets loaded, all services. */
  readonly rows: number
  /** COPY until the last row, then VACUUM ANALYZE (the setup through the API not included). */
  readonly loadSeconds: number
  readonly setupSeconds: number
}

/** Rows per COPY statement: a stream that fails loses one batch's work, and progress shows per batch. */
const BATCH = 100_000
/** COPY streams at once: one server backend each (the machine the benchmarks run on has 2 cores). */
const STREAMS = 2
const BIG_AGENTS = 50
const SMALL_AGENTS = 3
const SMALL_ORGS = 10
const TWO_YEARS_MS = 2 * 365 * 86_400_000
const DAY_MS = 86_400_000
/** Members made by the loader sign in with this; it never leaves the benchmark's database. */
const MEMBER_PASSWORD = 'scale-data-member'

const COLUMNS = [
  'org_id', 'service_id', 'number', 'public_id', 'title', 'content', 'status', 'channel', 'language', 'requester_email', 'requester_name',
  'assignee_agent_id', 'assignee_group_id', 'intake_category_id', 'processing_category_id', 'fields', 'created_by_type', 'created_by_id', 'created_at', 'updated_at',
] as const

const CHANNELS: ReadonlyArray<readonly [string, number]> = [['web', 40], ['email', 25], ['kakao', 10], ['api', 8], ['chat', 8], ['phone', 6], ['twitter', 2], ['sms', 1]]
const pickChannel = weightedPicker(CHANNELS.map(([, w]) => w))
const pickProduct = weightedPicker(PRODUCT_TYPES.map(([, w]) => w))
const STATUSES = ['new', 'open', 'pending', 'on-hold', 'completed'] as const
/** Status weights by age: under a week, under two months, older (nearly everything old is completed). */
const STATUS_BY_AGE = [weightedPicker([25, 30, 15, 5, 25]), weightedPicker([2, 8, 6, 4, 80]), weightedPicker([0.3, 0.7, 0.7, 0.8, 97.5])]

/** What a service's tickets refer to: the ids its setup made. */
interface ServicePlan {
  readonly service: ScaleService
  readonly categories: ReadonlyMap<string, string>
  readonly processing: readonly string[]
  /** Drawn with weight 1 / (1 + i / 10): a few agents take more tickets, as on a real team. */
  readonly pickAgent: (random: () => number) => number
  /** Created times run from `startMs` to `endMs`. */
  readonly startMs: number
  readonly endMs: number
  /** Seeds the service's rows together with the seed of the run. */
  readonly serviceIndex: number
  readonly seed: number
}

/** COPY text format: the generator's text has no tab, newline or backslash, so only NULL needs spelling. */
const cell = (value: string | null) => (value === null ? '\\N' : value)

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** The compat ticketId (`T` + creation ms + five letters), the letters spelling the number: unique per service. */
function publicId(createdMs: number, number: number): string {
  let letters = ''
  for (let n = number, i = 0; i < 5; i++, n = Math.floor(n / LETTERS.length)) letters = LETTERS[n % LETTERS.length] + letters
  return `T${createdMs}${letters}`
}

/** An order number unique per service: the ticket number times a prime, modulo a larger prime. */
const orderNo = (number: number) => `OC${String((number * 48_271) % 99_999_989).padStart(8, '0')}`

/** Rows `from`..`to` (ticket numbers) of a service, as COPY text, in chunks of a thousand lines. */
function* ticketLines(plan: ServicePlan, from: number, to: number): Generator<string> {
  const { service } = plan
  const total = service.tickets
  // Each batch has its own generator, so batches give the same rows whichever stream takes them.
  const random = seededRandom(plan.seed * 7_919 + plan.serviceIndex * 1_000_003 + from)
  const span = plan.endMs - plan.startMs
  let chunk: string[] = []
  for (let number = from; number <= to; number++) {
    // Density grows linearly towards now: the square root spreads the numbers accordingly.
    const createdMs = Math.floor(plan.startMs + span * Math.sqrt((number - 1 + random()) / total))
    const ageMs = plan.endMs - createdMs
    const status = STATUSES[STATUS_BY_AGE[ageMs < 7 * DAY_MS ? 0 : ageMs < 60 * DAY_MS ? 1 : 2]!(random)]!
    // Completed tickets were last touched about two days after creation, others any time since; never after now.
    const touchedMs = createdMs + Math.floor((status === 'completed' ? -Math.log(1 - random()) * 2 * DAY_MS : random() * ageMs) + 60_000)
    const updatedMs = status === 'new' ? createdMs : touchedMs <= plan.endMs ? touchedMs : createdMs + Math.floor(random() * ageMs)
    const order = orderNo(number)
    const text = ticketText(random, order)
    const agent = (status === 'new' ? random() < 0.1 : random() < 0.95) ? service.agentIds[plan.pickAgent(random)]! : null
    const group = random() < 0.9 ? service.groupIds.get(text.topic.group)! : null
    const channel = CHANNELS[pickChannel(random)]![0]
    const customer = Math.floor(random() * random() * Math.max(1, total / 3))
    const fields = `{"order_no": "${order}", "quantity": ${1 + Math.floor(random() * random() * 5)}, "product_type": "${PRODUCT_TYPES[pickProduct(random)]![0]}"}`
    const [createdByType, createdById] = channel === 'phone' && agent ? ['agent', agent] : channel === 'api' ? ['service-key', null] : ['anonymous', null]
    const row = [
      service.orgId, service.serviceId, String(number), publicId(createdMs, number), text.title, text.content, status, channel, text.language,
      `customer${customer}@example.com`, requesterName(random, text.language), agent, group, plan.categories.get(text.topic.category)!,
      status === 'completed' ? plan.processing[Math.floor(random() * random() * plan.processing.length)]! : null,
      fields, createdByType, createdById, new Date(createdMs).toISOString(), new Date(updatedMs).toISOString(),
    ]
    chunk.push(row.map(cell).join('\t'))
    if (chunk.length === 1000) {
      yield chunk.join('\n') + '\n'
      chunk = []
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n'
}

/** Sets up one service through the API: categories, the product_type field, members as agents, groups. */
async function setUpService(bench: TicketBench, org: string, code: string, memberEmails: readonly string[], tickets: number, at: { serviceIndex: number; seed: number; endMs: number }): Promise<ServicePlan> {
  const base = await benchService(bench, org, code)
  const post = (path: string, body: unknown) => bench.call('POST', `${base.api}${path}`, body)
  const categories = new Map<string, string>()
  for (const [parent, leaves] of INTAKE_TREE) {
    const top = await post('/ticket/intake-categories', { names: { ko: parent } })
    for (const leaf of leaves) categories.set(leaf, (await post('/ticket/intake-categories', { names: { ko: leaf }, parentId: top.id })).id)
  }
  const processing: string[] = []
  for (const name of PROCESSING) processing.push((await post('/ticket/processing-categories', { names: { ko: name } })).id)
  const options = PRODUCT_TYPES.map(([value]) => ({ value, names: { ko: value } }))
  await post('/ticket/fields', { audience: 'customer', code: 'product_type', type: 'dropdown', names: { ko: '상품 종류' }, details: { options } })
  const agentIds: string[] = []
  for (const email of memberEmails) agentIds.push((await post('/agents', { email, role: 'agent' })).id)
  const groupIds = new Map<string, string>()
  for (const [i, name] of GROUPS.entries()) {
    const members = agentIds.filter((_, a) => a % GROUPS.length === i)
    groupIds.set(name, (await post('/groups', { name, agentIds: members })).id)
  }
  const service: ScaleService = { ...base, tickets, agentIds, groupIds }
  const pickAgent = weightedPicker(agentIds.map((_, i) => 1 / (1 + i / 10)))
  return { service, categories, processing, pickAgent, startMs: at.endMs - TWO_YEARS_MS, endMs: at.endMs, serviceIndex: at.serviceIndex, seed: at.seed }
}

/** Members of `org` (created with a password, so they exist at once) to become agents. */
async function members(bench: TicketBench, org: string, count: number): Promise<string[]> {
  await bench.call('POST', '/operator/v1/organizations', { slug: org, name: org })
  const emails: string[] = []
  for (let i = 0; i < count; i++) {
    const email = `agent${i}@${org}.example.com`
    await bench.call('POST', `/operator/v1/organizations/${org}/members`, { email, name: `상담원 ${i + 1}`, orgRole: 'member', password: MEMBER_PASSWORD })
    emails.push(email)
  }
  return emails
}

/** The foreign keys of `tickets` that the COPY did not check row by row: how many rows break one (must be 0). */
const REFERENCES_CHECK = `
  SELECT count(*) AS n FROM tickets t
  WHERE NOT EXISTS (SELECT 1 FROM oc_services s WHERE s.id = t.service_id)
     OR (t.intake_category_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_categories c WHERE c.service_id = t.service_id AND c.kind = t.intake_kind AND c.id = t.intake_category_id))
     OR (t.processing_category_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_categories c WHERE c.service_id = t.service_id AND c.kind = t.processing_kind AND c.id = t.processing_category_id))`

interface Batch {
  readonly plan: ServicePlan
  readonly from: number
  readonly to: number
}

/** Creates the services through the API and COPYs their tickets in; see the module header. */
export async function loadScaleData(bench: TicketBench, options: ScaleOptions = DEFAULT_SCALE): Promise<ScaleData> {
  const setupStarted = performance.now()
  // One "now" for every service, a minute back, so no row is dated after the load began.
  const endMs = Date.now() - 60_000
  const { seed } = options
  const bigPlan = await setUpService(bench, 'scale', 'big', await members(bench, 'scale', BIG_AGENTS), options.tickets, { serviceIndex: 0, seed, endMs })
  const orgMembers = new Map<string, string[]>()
  for (let o = 0; o < Math.min(SMALL_ORGS, options.smallServices); o++) orgMembers.set(`scale-s${o}`, await members(bench, `scale-s${o}`, SMALL_AGENTS))
  // Four setups at a time: each is some forty small requests, and the server has cores to spare.
  const smallPlans: ServicePlan[] = new Array(options.smallServices)
  let nextSmall = 0
  const setUpSmall = async () => {
    for (let i = nextSmall++; i < options.smallServices; i = nextSmall++) {
      const org = `scale-s${i % SMALL_ORGS}`
      smallPlans[i] = await setUpService(bench, org, `small${i}`, orgMembers.get(org)!, options.smallTickets, { serviceIndex: i + 1, seed, endMs })
    }
  }
  await Promise.all(Array.from({ length: 4 }, setUpSmall))
  const setupSeconds = (performance.now() - setupStarted) / 1000
  detail(`scale-data: ${1 + options.smallServices} services set up through the API in ${setupSeconds.toFixed(1)} s`)

  const batches: Batch[] = []
  for (const plan of [bigPlan, ...smallPlans]) {
    for (let from = 1; from <= plan.service.tickets; from += BATCH) batches.push({ plan, from, to: Math.min(plan.service.tickets, from + BATCH - 1) })
  }
  const rows = options.tickets + options.smallServices * options.smallTickets
  // The rows refer only to ids the API just returned, so the three foreign-key checks per row
  // (replica mode skips them, as pg_restore --disable-triggers does) are replaced by one
  // set-wise check after the load (REFERENCES_CHECK): a third less load time.
  const sql = postgres(bench.url, { max: STREAMS, onnotice: () => {}, connection: { session_replication_role: 'replica' } })
  try {
    const loadStarted = performance.now()
    let loaded = 0
    let next = 0
    const stream = async () => {
      for (let batch = batches[next++]; batch; batch = batches[next++]) {
        const copy = await sql`COPY tickets (${sql.unsafe(COLUMNS.join(', '))}) FROM STDIN`.writable()
        await pipeline(Readable.from(ticketLines(batch.plan, batch.from, batch.to)), copy)
        const before = loaded
        loaded += batch.to - batch.from + 1
        if (Math.floor(before / 200_000) !== Math.floor(loaded / 200_000)) detail(`scale-data: ${loaded} of ${rows} tickets after ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`)
      }
    }
    await Promise.all(Array.from({ length: STREAMS }, stream))
    const copySeconds = (performance.now() - loadStarted) / 1000
    const [unreferenced] = await sql.unsafe<{ n: string }[]>(REFERENCES_CHECK)
    if (Number(unreferenced!.n) !== 0) throw new Error(`scale-data: ${unreferenced!.n} loaded tickets refer to a service or category that does not exist`)
    for (const plan of [bigPlan, ...smallPlans]) {
      await sql`INSERT INTO ticket_counters (org_id, service_id, last_number) VALUES (${plan.service.orgId}, ${plan.service.serviceId}, ${plan.service.tickets})`
    }
    const vacuumStarted = performance.now()
    await sql.unsafe('VACUUM ANALYZE tickets')
    const loadSeconds = (performance.now() - loadStarted) / 1000
    detail(
      `scale-data: ${rows} tickets in ${loadSeconds.toFixed(1)} s, ${Math.round(rows / loadSeconds)} rows/s ` +
        `(COPY ${copySeconds.toFixed(1)} s over ${STREAMS} streams, VACUUM ANALYZE ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s)`,
    )
    return { big: bigPlan.service, small: smallPlans.map((p) => p.service), rows, loadSeconds, setupSeconds }
  } finally {
    await sql.end()
  }
}

/** How many of the service's tickets a search `q` matches, counted as the owner (the list benchmark prints it beside its words). */
export async function searchMatches(url: string, service: ScaleService, q: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql<{ n: string }[]>`SELECT count(*) AS n FROM tickets WHERE service_id = ${service.serviceId} AND search @@ to_tsquery('simple', ${searchQuery(q)!})`
    return Number(row!.n)
  } finally {
    await sql.end()
  }
}

function cliOptions(argv: readonly string[]): { url: string; scale: ScaleOptions } {
  const value = (flag: string) => {
    const at = argv.indexOf(flag)
    return at < 0 ? undefined : argv[at + 1]
  }
  const count = (flag: string, fallback: number, min: number) => {
    const text = value(flag)
    if (text === undefined) return fallback
    const n = Number(text.replace(/_/g, ''))
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`${flag} must be a whole number of at least ${min}, not '${text}'`)
    return n
  }
  const url = value('--url')
  if (!url) throw new Error('--url is required: the superuser URL of an empty database, e.g. --url postgres://postgres@127.0.0.1:5432/bench')
  return {
    url,
    scale: {
      tickets: count('--tickets', DEFAULT_SCALE.tickets, 1),
      smallServices: count('--small-services', DEFAULT_SCALE.smallServices, 0),
      smallTickets: count('--small-tickets', DEFAULT_SCALE.smallTickets, 1),
      seed: count('--seed', DEFAULT_SCALE.seed, 0),
    },
  }
}

async function main(): Promise<void> {
  const { url, scale } = cliOptions(process.argv.slice(2))
  const bench = await startTicketBench(4, url)
  try {
    const data = await loadScaleData(bench, scale)
    detail(`scale-data: big service ${data.big.api} (service key ${data.big.serviceKey}); ${data.small.length} small services ${data.small[0]?.api ?? ''}…`)
  } finally {
    await bench.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`scale-data: ${(error as Error).message}`)
      process.exit(1)
    },
  )
}
