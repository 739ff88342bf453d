/**
 * A throwaway PgBouncer in transaction mode on loopback, in front of the test PostgreSQL server:
 * what deployments put between many app instances and one database. Every database of the
 * server is reachable through it under its own name; its few server connections are shared by
 * every client, so consecutive transactions of one client run on different server sessions.
 * PgBouncer refuses to run as root, so as root it runs as the unprivileged `postgres` user, like
 * the test server (pg-cluster.ts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { freePort } from './pg-cluster.ts'

export interface PgBouncer {
  readonly port: number
  /** The URL of the same database as `directUrl` (a database of the server behind), through the pooler. */
  pooled(directUrl: string): string
  /** What PgBouncer logged, for a failure's message. */
  log(): string
  stop(): Promise<void>
}

export interface PgBouncerOptions {
  /** Server connections per database and user (`default_pool_size`); small, so they are really shared. */
  poolSize?: number
}

const BINARIES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']

function binary(): string {
  const found = process.env.OC_PGBOUNCER ?? BINARIES.find((path) => existsSync(path))
  if (!found) throw new Error('pgbouncer not found: install it (apt-get install pgbouncer, as scripts/ensure-test-deps.sh does) or set OC_PGBOUNCER')
  return found
}

/** Starts PgBouncer in front of the server at `serverUrl` (any database's URL on it) and waits until it accepts connections. */
export async function startPgBouncer(serverUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const server = new URL(serverUrl)
  const user = decodeURIComponent(server.username || 'postgres')
  const password = decodeURIComponent(server.password)
  const root = mkdtempSync(join(tmpdir(), 'oc-pgbouncer-'))
  const port = await freePort()
  const file = (name: string) => join(root, name)
  // `*`: any database name a client asks for is the server's database of that name.
  // PgBouncer 1.18 has no max_prepared_statements: the driver must not prepare (see storage/postgres.ts).
  const ini = `[databases]
* = host=${server.hostname} port=${server.port || 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
pool_mode = transaction
default_pool_size = ${options.poolSize ?? 2}
max_client_conn = 500
auth_type = trust
auth_file = ${file('users.txt')}
pidfile = ${file('pgbouncer.pid')}
logfile = ${file('pgbouncer.log')}
`
  writeFileSync(file('pgbouncer.ini'), ini)
  // With trust the client gives no password; the file's password is what PgBouncer logs in to the server with.
  writeFileSync(file('users.txt'), `"${user}" "${password.replaceAll('"', '""')}"\n`)
  const asRoot = userInfo().uid === 0
  let ids: { uid: number; gid: number } | undefined
  if (asRoot) {
    ids = { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()) }
    for (const name of ['', 'pgbouncer.ini', 'users.txt']) chownSync(join(root, name), ids.uid, ids.gid)
  }
  const log = () => (existsSync(file('pgbouncer.log')) ? readFileSync(file('pgbouncer.log'), 'utf8') : '')
  const child = spawn(binary(), [file('pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'], ...ids })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const stop = () => stopChild(child).finally(() => rmSync(root, { recursive: true, force: true }))
  try {
    await accepting(port, child, () => `${stderr}${log()}`)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    port,
    pooled(directUrl) {
      const url = new URL(directUrl)
      url.hostname = '127.0.0.1'
      url.port = String(port)
      url.password = ''
      return url.toString()
    },
    log,
    stop,
  }
}

/** Waits until the port takes a TCP connection (PgBouncer listens once it has read its configuration). */
async function accepting(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}: ${output()}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port} within 10 s: ${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** SIGTERM is PgBouncer 1.18's immediate shutdown (SIGINT would wait for clients); SIGKILL if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => (clearTimeout(kill), resolve()))
    child.kill('SIGTERM')
  })
}
