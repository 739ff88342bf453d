/**
 * What every benchmark shares: run options (`BENCH_SECONDS`, `--quick` / `BENCH_QUICK=1`), HTTP
 * load runs with autocannon, and the one output line,
 * `bench <name>: <value> <unit> (ratio <r> vs <baseline>, ...)`.
 *
 * Fairness: autocannon runs in a child process, so the server under test has this process to
 * itself and the CPU this process spends during a run is the server's (reported as CPU time per
 * request, a figure other load on the machine disturbs far less than req/s). Every target gets
 * the same connections, pipelining, warm-up and duration, in interleaved slices (see
 * {@link compare}). A run with any error, timeout or unexpected status throws: a ratio over
 * failed requests means nothing.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import type { Options, Result } from 'autocannon'

export interface BenchOptions {
  /** Measured seconds per target (split into interleaved slices, see {@link compare}). */
  readonly seconds: number
  /** Length of the unmeasured run before measuring a target (JIT, caches, connections). */
  readonly warmupSeconds: number
  readonly quick: boolean
}

/** A benchmark module: `run` returns its output lines (see {@link benchLine}). */
export interface Bench {
  readonly name: string
  run(options: BenchOptions): Promise<string[]>
}

/** `BENCH_SECONDS` wins; otherwise 1 s with `--quick` or `BENCH_QUICK=1`, else 5 s. */
export function benchOptions(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = argv.includes('--quick') || (env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0')
  const given = env.BENCH_SECONDS ? Number(env.BENCH_SECONDS) : undefined
  if (given !== undefined && !(given > 0)) throw new Error(`BENCH_SECONDS must be a positive number of seconds, not '${env.BENCH_SECONDS}'`)
  const seconds = given ?? (quick ? 1 : 5)
  return { seconds, warmupSeconds: Math.min(2, Math.max(0.5, seconds / 5)), quick }
}

/** Context beside the result lines (baselines, latency), on stderr so stdout keeps only result lines. */
export function detail(message: string): void {
  process.stderr.write(`  ${message}\n`)
}

/** `bench <name>: <value> <unit> (ratio <r> vs <baseline>, <r2> vs <baseline2>)`, ratios to 2 decimals. */
export function benchLine(name: string, value: number, unit: string, ratios: ReadonlyArray<readonly [ratio: number, baseline: string]>): string {
  const shown = ratios.map(([ratio, baseline]) => `${ratio.toFixed(2)} vs ${baseline}`).join(', ')
  return `bench ${name}: ${Math.round(value)} ${unit} (ratio ${shown})`
}

export interface LoadTarget {
  /** Shown in details and failures. */
  readonly label: string
  readonly url: string
  readonly headers?: Record<string, string>
  /** GET unless given; `body` is sent with every request. */
  readonly method?: 'GET' | 'POST'
  readonly body?: string
  /** Every response must have this status (default 200). */
  readonly status?: number
}

export interface LoadSettings {
  readonly connections: number
  readonly pipelining: number
}

export interface LoadResult {
  readonly requestsPerSecond: number
  readonly requests: number
  readonly seconds: number
  /** CPU time (user + system, all threads) this process spent per request. */
  readonly cpuMicrosPerRequest: number
  /** The 99th percentile latency (the worst slice's, for {@link compare}). */
  readonly latencyP99Ms: number
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon')
const CHILD = `require(${JSON.stringify(AUTOCANNON)})(JSON.parse(process.argv[1])).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1) })`

function autocannon(options: Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD, JSON.stringify(options)], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`autocannon failed: ${stderr || error.message}`))
      else resolve(JSON.parse(stdout) as Result)
    })
  })
}

/** One autocannon run; throws unless every response had the expected status. */
export async function loadRun(target: LoadTarget, seconds: number, settings: LoadSettings): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage()
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    body: target.body,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: seconds,
    // autocannon stops only at a sample tick (1 s by default); ticking often keeps slices as long as asked.
    sampleInt: 100,
  })
  const cpu = process.cpuUsage(cpuBefore)
  const expected = String(target.status ?? 200)
  const statuses = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}: ${count}`)
  const unexpected = Object.keys(result.statusCodeStats).some((code) => code !== expected)
  const requests = result.requests.total
  if (result.errors || result.timeouts || unexpected || requests === 0) {
    throw new Error(
      `${target.label}: expected only ${expected} answers from ${target.url}, got ${statuses.join(', ') || 'none'}` +
        ` (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    )
  }
  return {
    requestsPerSecond: requests / result.duration,
    requests,
    seconds: result.duration,
    cpuMicrosPerRequest: (cpu.user + cpu.system) / requests,
    latencyP99Ms: result.latency.p99,
  }
}

/**
 * Measures several targets under the same load: each is warmed up (checked, discarded), then
 * they take turns in rounds of equal slices until each has run `options.seconds`. Taking turns
 * spreads other load on the machine evenly over all targets, where back-to-back runs would let
 * it land on one of them and skew the ratio.
 */
export async function compare(targets: readonly LoadTarget[], options: BenchOptions, settings: LoadSettings): Promise<LoadResult[]> {
  for (const target of targets) await loadRun(target, options.warmupSeconds, settings)
  const rounds = Math.max(2, Math.round(options.seconds))
  const totals = targets.map(() => ({ requests: 0, seconds: 0, cpuMicros: 0, latencyP99Ms: 0 }))
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) {
      const slice = await loadRun(target, options.seconds / rounds, settings)
      const total = totals[i]!
      total.requests += slice.requests
      total.seconds += slice.seconds
      total.cpuMicros += slice.cpuMicrosPerRequest * slice.requests
      total.latencyP99Ms = Math.max(total.latencyP99Ms, slice.latencyP99Ms)
    }
  }
  return totals.map((t) => ({ requestsPerSecond: t.requests / t.seconds, requests: t.requests, seconds: t.seconds, cpuMicrosPerRequest: t.cpuMicros / t.requests, latencyP99Ms: t.latencyP99Ms }))
}

/** Runs `once` from `clients` concurrent loops, each keeping one call in flight, for `seconds`; returns the completed count. */
export async function closedLoop(clients: number, seconds: number, once: () => Promise<void>): Promise<number> {
  const stopAt = performance.now() + seconds * 1000
  let done = 0
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < stopAt) {
        await once()
        done++
      }
    }),
  )
  return done
}

/** One request of a {@link mixedLatencies} mix: its kind (what the latencies are grouped by) and where it goes. */
export interface MixRequest {
  readonly kind: string
  readonly url: string
  readonly headers?: Record<string, string>
}

/**
 * The client of {@link mixedLatencies}, run as a child process: `clients` loops, each keeping
 * one GET in flight, take the requests in turn from the one schedule, so every kind gets the
 * same share of starts whatever its latency. Warm-up answers are checked and not timed.
 */
const MIX_CHILD = `
const { requests, clients, warmupSeconds, seconds, minPerKind } = JSON.parse(process.argv[1])
const samples = {}
for (const r of requests) samples[r.kind] = []
let next = 0
let failure = null
async function phase(ms, timed) {
  const stopAt = performance.now() + ms
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!failure && (performance.now() < stopAt || (timed && Object.values(samples).some((s) => s.length < minPerKind)))) {
      const r = requests[next++ % requests.length]
      const started = performance.now()
      const res = await fetch(r.url, { headers: r.headers })
      const body = await res.text()
      const ms = performance.now() - started
      if (res.status !== 200) failure = r.kind + ' ' + r.url + ' answered ' + res.status + ': ' + body.slice(0, 300)
      else if (timed) samples[r.kind].push(ms)
    }
  }))
}
phase(warmupSeconds * 1000, false).then(() => phase(seconds * 1000, true)).then(
  () => { if (failure) { console.error(failure); process.exit(1) } process.stdout.write(JSON.stringify(samples)) },
  (e) => { console.error(e); process.exit(1) })`

/**
 * Latencies of a mix of GET requests from `clients` concurrent loops in a child process (see
 * {@link MIX_CHILD}), for `options.seconds` after the warm-up and until every kind has
 * `minPerKind` samples; sorted milliseconds per kind. Throws on the first answer that is not a 200.
 */
export function mixedLatencies(requests: readonly MixRequest[], clients: number, options: BenchOptions, minPerKind: number): Promise<Record<string, number[]>> {
  // The schedule takes the kinds in turn (each cycling through its own requests), so a kind with
  // more variants gets no larger share of the mix.
  const byKind = new Map<string, MixRequest[]>()
  for (const request of requests) byKind.set(request.kind, [...(byKind.get(request.kind) ?? []), request])
  const longest = Math.max(...[...byKind.values()].map((list) => list.length))
  const schedule = Array.from({ length: longest }, (_, i) => [...byKind.values()].map((list) => list[i % list.length]!)).flat()
  const settings = JSON.stringify({ requests: schedule, clients, warmupSeconds: options.warmupSeconds, seconds: options.seconds, minPerKind })
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', MIX_CHILD, settings], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`mixed load failed: ${stderr || error.message}`))
      const samples = JSON.parse(stdout) as Record<string, number[]>
      for (const list of Object.values(samples)) list.sort((a, b) => a - b)
      resolve(samples)
    })
  })
}
