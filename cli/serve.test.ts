/**
 * `opencontact serve` as a newcomer runs it: the start message names the address bound, the
 * embedded database is locked against a second process (item: two processes on one PGlite
 * folder), and `--demo` prints exactly what it made (checked by signing in with the printed
 * credentials), on a second run creating nothing again. The demo also runs in process on
 * PostgreSQL, through the same function.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { type Call, caller } from '../test/support/platform.ts'
import { httpFetch } from '../test/support/http.ts'
import { until } from '../test/support/events.ts'
import { freshPostgresUrl } from '../test/support/databases.ts'
import { generateMasterKey } from '../core/crypto/keyring.ts'
import { PACKAGE_VERSION } from '../core/version.ts'
import { platformFromEnvironment } from './environment.ts'
import { demo, DEMO_ADMIN_EMAIL, DEMO_AGENT_EMAIL } from './demo.ts'
import { loadPlugins } from './plugins.ts'

const run = promisify(execFile)
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oc-serve-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const environment = (dir: string) => ({ ...process.env, DATABASE_URL: '', OC_DATA_DIR: dir, OC_LOG_LEVEL: 'silent' })

interface Served {
  child: ChildProcess
  /** Everything the start printed. */
  text: string
  url: string
  stop(): Promise<void>
}

/** `opencontact serve --port 0 --host 127.0.0.1` on `dir`; resolves once the start message is out. */
async function serve(dir: string, ...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { env: environment(dir), stdio: ['ignore', 'pipe', 'pipe'] })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
  cleanups.push(stop)
  let text = ''
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start message within 60 s:\n${text}\n${stderr}`)), 60_000)
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${text}\n${stderr}`)))
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk
      // The start message is one write, ending with a newline.
      if (text.includes('OpenContact is listening on') && text.endsWith('\n')) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve()
      }
    })
  })
  const url = /OpenContact is listening on (http:\/\/127\.0\.0\.1:\d+) \(node, pglite\)/.exec(text)?.[1]
  if (!url) throw new Error(`no listening address in:\n${text}`)
  return { child, text, url, stop }
}

/** A CLI command on `dir`: its exit code and output. */
const cli = (dir: string, ...args: string[]) =>
  run(process.execPath, ['cli/bin.js', ...args], { env: environment(dir) }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  )

describe('opencontact serve', () => {
  it('prints the address bound, reports the package version and refuses a second process on its embedded database', async () => {
    expect(PACKAGE_VERSION).toBe(pkg.version)
    const dir = await dataDir()
    const server = await serve(dir)
    // Port 0 was asked: the message names the port picked, and it answers there.
    expect(server.url).not.toMatch(/:0$/)
    const call = caller(httpFetch(server.url), server.url, /oco_\w+/.exec(server.text)![0])
    expect((await call('/healthz', { token: null })).body).toMatchObject({ status: 'ok', version: pkg.version, database: 'pglite' })

    const lock = JSON.parse(await readFile(join(dir, 'lock'), 'utf8'))
    expect(lock).toMatchObject({ pid: server.child.pid, command: 'serve' })
    for (const command of [['operator-token', 'create'], ['migrate'], ['org', 'create', 'acme']]) {
      const refused = await cli(dir, ...command)
      expect(refused.code, command.join(' ')).toBe(1)
      expect(refused.stderr).toContain(`is in use by process ${server.child.pid} (opencontact serve`)
      expect(refused.stderr).toContain(`Stop that process (Ctrl-C in its terminal, or kill ${server.child.pid})`)
    }
    // Commands that need no database still run.
    expect((await cli(dir, 'plugins')).stdout).toContain('ticket@')

    // The server is unharmed and still the only writer: the first-run commands it printed work
    // as written, and the service they make has the ticket plugin contracted.
    const printed = [...server.text.matchAll(/curl -X POST (\S+) .* -d '(.+)'$/gm)]
    expect(printed).toHaveLength(2)
    for (const [, url, body] of printed) expect((await call(new URL(url!).pathname, { body: JSON.parse(body!) })).status).toBe(201)
    expect(Object.keys((await call('/o/acme/support/api/v1/openapi.json', { token: null })).body.paths).filter((path) => path.endsWith('/ticket/tickets'))).toHaveLength(1)
    expect((await call('/healthz', { token: null })).status).toBe(200)

    await server.stop()
    expect(existsSync(join(dir, 'lock'))).toBe(false)
    const made = await cli(dir, 'operator-token', 'create')
    expect(made.stdout).toMatch(/oco_\w+/)
  }, 120_000)

  it('takes over a lock left by a process that died', async () => {
    const dir = await dataDir()
    const gone = spawn(process.execPath, ['-e', ''])
    await once(gone, 'exit')
    await writeFile(join(dir, 'lock'), JSON.stringify({ pid: gone.pid, host: (await import('node:os')).hostname(), command: 'serve', startedAt: new Date().toISOString() }))
    const made = await cli(dir, 'operator-token', 'create')
    expect(made.stderr).toBe('')
    expect(made.stdout).toMatch(/oco_\w+/)
    expect(existsSync(join(dir, 'lock'))).toBe(false)
  }, 60_000)
})

/** What the demo's first-run text says it made. */
function parseDemo(text: string) {
  const signIn = (role: string) => {
    const match = new RegExp(`${role} sign-in: (\\S+) password (\\S+)`).exec(text)
    if (!match) throw new Error(`no ${role} sign-in in:\n${text}`)
    return { email: match[1]!, password: match[2]! }
  }
  const line = (label: string) => new RegExp(`^  ${label}: (.*)$`, 'm').exec(text)?.[1] ?? ''
  return {
    admin: signIn('Admin'),
    agent: signIn('Agent'),
    categories: line('Intake categories').split(', '),
    fields: [...line('Fields').matchAll(/(\w+) \(([^,)]+)(, personal info: encrypted)?\)/g)].map((m) => ({ code: m[1]!, name: m[2]!, personalInfo: Boolean(m[3]) })),
    tickets: [...line('Tickets').matchAll(/#(\d+) "([^"]+)"( \(with a reply\))?/g)].map((m) => ({ number: Number(m[1]), title: m[2]!, replied: Boolean(m[3]) })),
    trigger: /^ {2}Trigger: "(.*)"$/m.exec(text)?.[1],
  }
}

/** Signs in with what the text printed and finds, through the API, everything it claims. */
async function checkDemo(call: Call, text: string): Promise<string> {
  const claimed = parseDemo(text)
  expect(claimed.admin.email).toBe(DEMO_ADMIN_EMAIL)
  const login = async (who: { email: string; password: string }) => {
    const answer = await call('/o/demo/org/v1/auth/login', { body: who, token: null })
    expect(answer.status, `sign-in of ${who.email}`).toBe(200)
    return answer.body.accessToken as string
  }
  const token = await login(claimed.admin)
  expect(await login(claimed.agent)).toBeTruthy()
  const api = '/o/demo/support/api/v1'
  const get = async (path: string) => {
    const answer = await call(`${api}${path}`, { token })
    expect(answer.status, path).toBe(200)
    return answer.body
  }
  const agents = (await get('/agents')).agents as Array<{ email: string; role: string }>
  expect(agents.map((a) => [a.email, a.role]).sort()).toEqual([[DEMO_ADMIN_EMAIL, 'admin'], [DEMO_AGENT_EMAIL, 'agent']])
  expect((await get('/ticket/intake-categories')).categories.map((c: { names: { en: string } }) => c.names.en)).toEqual(claimed.categories)
  expect(claimed.categories.length).toBeGreaterThanOrEqual(3)
  const fields = (await get('/ticket/fields')).fields as Array<{ code: string; names: { en?: string }; personalInfo: boolean }>
  for (const field of claimed.fields) expect(fields.find((f) => f.code === field.code)).toMatchObject({ names: { en: field.name }, personalInfo: field.personalInfo })
  expect(claimed.fields.some((f) => f.personalInfo)).toBe(true)
  expect((await get('/ticket/triggers')).triggers.map((t: { title: string }) => t.title)).toEqual([claimed.trigger])
  // The trigger works: the refund request is assigned to the administrator once it has run.
  const adminAgent = (await get('/agents')).agents.find((a: { email: string }) => a.email === DEMO_ADMIN_EMAIL)
  await until('the trigger assigning the refund request', async () => ((await get('/ticket/tickets?sort=created:asc')).tickets as Array<{ title: string; assigneeAgentId: string | null }>).some((t) => /refund/i.test(t.title) && t.assigneeAgentId === adminAgent.id), 20_000, 200)
  const tickets = (await get('/ticket/tickets?sort=created:asc')).tickets as Array<{ id: string; number: number; title: string }>
  expect(tickets.map((t) => ({ number: t.number, title: t.title }))).toEqual(claimed.tickets.map(({ number, title }) => ({ number, title })))
  expect(claimed.tickets.filter((t) => t.replied)).toHaveLength(1)
  for (const claim of claimed.tickets) {
    const ticket = tickets.find((t) => t.number === claim.number)!
    const kinds = (await get(`/ticket/tickets/${ticket.id}/entries`)).entries.map((e: { kind: string }) => e.kind)
    expect(kinds.includes('agent-reply'), `#${claim.number} replied`).toBe(claim.replied)
  }
  return token
}

describe('opencontact serve --demo', () => {
  it('prints what it made, signs in with the printed credentials, and on a second start creates nothing again (PGlite)', async () => {
    const dir = await dataDir()
    const first = await serve(dir, '--demo')
    await checkDemo(caller(httpFetch(first.url), first.url, null), first.text)
    await first.stop()

    const second = await serve(dir, '--demo')
    expect(second.text).toContain("already has the organization 'demo'")
    expect(second.text).not.toContain('sign-in:')
    expect(second.text).not.toContain('This is a new database')
    expect(second.text).toContain('operator-token create')
    // Everything is there once, as the first text said: nothing was made twice.
    await checkDemo(caller(httpFetch(second.url), second.url, null), first.text)
  }, 180_000)

  it('does the same on PostgreSQL, in process', async () => {
    const env = { OC_LOG_LEVEL: 'silent', DATABASE_URL: await freshPostgresUrl(), OC_MASTER_KEYS: `1:${generateMasterKey()}` }
    const { platform, close } = await platformFromEnvironment(env, await loadPlugins([], {}), 'test')
    cleanups.push(close)
    await platform.start()
    const text = await demo(platform, 'http://demo.test')
    await checkDemo(caller(platform.fetch, 'http://demo.test', null), text)
    const again = await demo(platform, 'http://demo.test')
    expect(again).toContain("already has the organization 'demo'")
    await checkDemo(caller(platform.fetch, 'http://demo.test', null), text)
    // The setup token is revoked; only tokens someone holds remain.
    expect((await platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM oc_operator_tokens WHERE revoked_at IS NULL'))[0]!.n).toBe(0)
  }, 120_000)
})
