/**
 * `npm test`: the typecheck (`tsc --noEmit`, counted as one test), then every suite (Node, Deno,
 * workerd) in one vitest run, then one plain closing line `N passed, N failed` with the totals,
 * so the result reads the same in any CI log. A subset (`--project node`, a file) skips the
 * typecheck; `npm run typecheck` runs it alone.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface VitestReport {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  success: boolean
}

const subset = process.argv.length > 2
const typecheck = subset ? null : spawnSync(join('node_modules', '.bin', 'tsc'), ['--noEmit'], { stdio: 'inherit' })
if (typecheck) console.log(typecheck.status === 0 ? 'typecheck passed' : 'typecheck failed')

const folder = mkdtempSync(join(tmpdir(), 'oc-test-'))
const report = join(folder, 'report.json')
const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } },
)

let passed = 0
let failed = 0
let skipped = 0
try {
  const totals = JSON.parse(readFileSync(report, 'utf8')) as VitestReport
  passed = totals.numPassedTests
  failed = totals.numFailedTests
  skipped = totals.numPendingTests + totals.numTodoTests
} catch {
  // No report: vitest failed before running tests; count that as a failure below.
}
rmSync(folder, { recursive: true, force: true })
const broken = result.status !== 0 && failed === 0
if (broken) failed = 1
if (typecheck?.status === 0) passed++
else if (typecheck) failed++
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(result.status === 0 && failed === 0 ? 0 : 1)
