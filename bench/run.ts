/**
 * Runs the benchmarks in `bench/` one after another and prints their result lines,
 * `bench <name>: <value> <unit> (ratio <r> vs <baseline>)`. Each measures its baselines in the
 * same run, so the ratio carries over between machines far better than the absolute value.
 *
 *   npm run bench                        every benchmark, BENCH_SECONDS (default 5) per run
 *   npm run bench -- --quick             about 1 s per run (or BENCH_QUICK=1)
 *   npm run bench -- platform-path       only the named ones
 *
 * A new benchmark is one file exporting `run(options)` and one line in BENCHES. Exits non-zero
 * when any benchmark throws.
 */
import { type Bench, benchOptions } from './lib.ts'
import * as platformPath from './platform-path.ts'

const BENCHES: readonly Bench[] = [
  { name: 'platform-path', run: platformPath.run },
  { name: 'login', run: (options) => import('./login.ts').then((login) => login.run(options)) },
  { name: 'outbox', run: (options) => import('./outbox-delivery.ts').then((outbox) => outbox.run(options)) },
  { name: 'ticket-create', run: (options) => import('./ticket-create.ts').then((bench) => bench.run(options)) },
  { name: 'ticket-list', run: (options) => import('./ticket-list.ts').then((bench) => bench.run(options)) },
  { name: 'ticket-list-1m', run: (options) => import('./ticket-list-1m.ts').then((bench) => bench.run(options)) },
  { name: 'oc-compat-create', run: (options) => import('./oc-compat-create.ts').then((bench) => bench.run(options)) },
  { name: 'mail-render', run: (options) => import('./mail-render.ts').then((bench) => bench.run(options)) },
  { name: 'trigger-eval', run: (options) => import('./trigger-eval.ts').then((bench) => bench.run(options)) },
  { name: 'helpcenter-render', run: (options) => import('./helpcenter-render.ts').then((bench) => bench.run(options)) },
  { name: 'helpcenter-http', run: (options) => import('./helpcenter-http.ts').then((bench) => bench.run(options)) },
]

async function main(): Promise<number> {
  const options = benchOptions()
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
  const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name))
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`)
    return 2
  }
  let failed = 0
  for (const bench of BENCHES.filter((b) => !wanted.length || wanted.includes(b.name))) {
    try {
      for (const line of await bench.run(options)) console.log(line)
    } catch (error) {
      failed++
      console.error(`bench ${bench.name} FAILED: ${(error as Error).stack ?? error}`)
    }
  }
  return failed ? 1 : 0
}

// Exit explicitly: a benchmark that leaves a handle open must not hang the run.
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
