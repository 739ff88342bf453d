/**
 * A throwaway PostgreSQL cluster on loopback for tests and benchmarks: initdb into a temporary
 * folder, start on a free port, remove it all on stop. `initdb` refuses root, so as root the
 * server runs as the unprivileged `postgres` user.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

export interface Cluster {
  /** Superuser URL of the `postgres` database. */
  readonly url: string
  readonly port: number
  stop(): Promise<void>
}

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin']

function binDir(): string {
  const dir = process.env.OC_PG_BIN ?? BIN_DIRS.find((d) => existsSync(join(d, 'initdb')))
  if (!dir) throw new Error('PostgreSQL server binaries not found: install postgresql (apt-get install postgresql) or set OC_PG_BIN')
  return dir
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export async function startCluster(): Promise<Cluster> {
  const bin = binDir()
  const root = mkdtempSync(join(tmpdir(), 'oc-pg-'))
  const data = join(root, 'data')
  const asRoot = userInfo().uid === 0
  let uid = 0
  let gid = 0
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    if (id.status !== 0) execFileSync('useradd', ['--system', '--no-create-home', 'postgres'])
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chmodSync(root, 0o755)
    chownSync(root, uid, gid)
  }
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd)
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' }) : spawnSync(full, args, { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`)
  }
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'])
  const port = await freePort()
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB`
  run('pg_ctl', ['-D', data, '-l', join(root, 'log'), '-w', '-o', options, 'start'])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    },
  }
}
