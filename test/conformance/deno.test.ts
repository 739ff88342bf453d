/**
 * The conformance suite on Deno: `test/runtimes/deno-server.ts` in a Deno child process, on a
 * fresh PostgreSQL database, spoken to over HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freshPostgresUrl } from '../support/databases.ts'
import { httpFetch } from '../support/http.ts'
import { CONFORMANCE_BASE_DOMAIN, CONFORMANCE_BODY_LIMIT, conformanceSuite } from './suite.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
// Cold start includes Deno resolving and transpiling the whole core.
const READY_TIMEOUT_MS = 60_000

conformanceSuite('deno', async () => {
  const child = spawn('node_modules/.bin/deno', ['run', '-A', '--config', 'deno.json', 'test/runtimes/deno-server.ts'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: await freshPostgresUrl(), OC_BASE_DOMAIN: CONFORMANCE_BASE_DOMAIN, OC_BODY_LIMIT: String(CONFORMANCE_BODY_LIMIT) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const { port, token } = await waitForReady(child)
    return {
      fetch: httpFetch(`http://127.0.0.1:${port}`),
      operatorToken: token,
      close: () => stop(child),
    }
  } catch (error) {
    await stop(child)
    throw error
  }
})

/** Resolves with the READY line's port and token; rejects with the child's stderr on exit or timeout. */
function waitForReady(child: ChildProcess): Promise<{ port: number; token: string }> {
  let stdout = ''
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer)
      reject(new Error(`deno-server ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`printed no READY line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS)
    child.once('error', (error) => fail(`could not start: ${error.message}`))
    child.once('exit', (code, signal) => fail(`exited before READY (code ${code}, signal ${signal})`))
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const ready = /^READY (\d+) (\S+)$/m.exec(stdout)
      if (!ready) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ port: Number(ready[1]), token: ready[2]! })
    })
  })
}

/** SIGTERM (the server shuts down cleanly), then SIGKILL if it has not exited in 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
