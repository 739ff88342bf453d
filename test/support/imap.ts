/**
 * A real IMAP server on loopback for tests: Debian's dovecot (`dovecot-imapd`) with a throwaway
 * configuration in a temporary folder (plaintext login without TLS on 127.0.0.1, one passwd-file
 * user, maildir storage, its own log), started on a free port and removed on stop.
 *
 * Dovecot runs unprivileged: as root the whole server runs as the `dovecot` user the package
 * creates (like pg-cluster.ts runs PostgreSQL as `postgres`), otherwise as the current user;
 * either way that user is also its internal, login and mail user, and nothing is chrooted.
 * Test mail is delivered with IMAP APPEND, the way a mail client files a message.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { ImapFlow } from 'imapflow'
import { freePort } from './pg-cluster.ts'

export interface TestImapServer {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** Files a message in a mailbox (INBOX by default), unseen; returns its UID. */
  append(raw: string | Uint8Array, mailbox?: string): Promise<number>
  /** The flags of every message of a mailbox, by UID. */
  flags(mailbox?: string): Promise<Map<number, Set<string>>>
  /** How many messages a mailbox holds. */
  count(mailbox?: string): Promise<number>
  /** The server's log, for failure messages. */
  log(): string
  stop(): Promise<void>
}

function dovecotBinary(): string {
  const bin = process.env.OC_DOVECOT_BIN ?? ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p))
  if (!bin) throw new Error('dovecot not found: install dovecot-imapd (apt-get install dovecot-imapd, or run scripts/ensure-test-deps.sh) or set OC_DOVECOT_BIN')
  return bin
}

function config(root: string, port: number, account: { user: string; group: string }): string {
  return `# Throwaway test server; see test/support/imap.ts.
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${account.user}
default_internal_group = ${account.group}
default_login_user = ${account.user}
first_valid_uid = 1
mail_location = maildir:${root}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${root}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${root}/users
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`
}

async function waitForPort(port: number, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${log()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function startImapServer(): Promise<TestImapServer> {
  const bin = dovecotBinary()
  const root = mkdtempSync(join(tmpdir(), 'oc-imap-'))
  const asRoot = userInfo().uid === 0
  const account = asRoot ? { user: 'dovecot', group: 'dovecot' } : { user: userInfo().username, group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim() }
  if (asRoot && spawnSync('id', ['-u', 'dovecot']).status !== 0) execFileSync('useradd', ['--system', '--no-create-home', '--user-group', 'dovecot'])
  const uid = Number(execFileSync('id', ['-u', account.user], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', account.user], { encoding: 'utf8' }).trim())
  const port = await freePort()
  const user = 'desk'
  const password = `pw-${crypto.randomUUID()}`
  for (const dir of ['run', 'state', 'mail', 'home']) mkdirSync(join(root, dir))
  const conf = join(root, 'dovecot.conf')
  writeFileSync(conf, config(root, port, account))
  writeFileSync(join(root, 'users'), `${user}:{PLAIN}${password}:${uid}:${gid}::${root}/home/${user}::\n`)
  if (asRoot) {
    chmodSync(root, 0o755)
    for (const path of [root, ...['run', 'state', 'mail', 'home', 'dovecot.conf', 'users'].map((p) => join(root, p))]) chownSync(path, uid, gid)
  }
  // Output goes to a file, not a pipe: the daemon keeps its inherited descriptors open, and
  // spawnSync would wait on a pipe until the server exits.
  const run = (args: string[]) => {
    const out = openSync(join(root, 'control.out'), 'w')
    try {
      const options = { stdio: ['ignore', out, out] as ['ignore', number, number], timeout: 15_000 }
      const result = asRoot ? spawnSync('runuser', ['-u', account.user, '--', bin, ...args], options) : spawnSync(bin, args, options)
      return { status: result.status, output: readFileSync(join(root, 'control.out'), 'utf8') }
    } finally {
      closeSync(out)
    }
  }
  const log = () => (existsSync(join(root, 'dovecot.log')) ? readFileSync(join(root, 'dovecot.log'), 'utf8') : '(no log)')
  const started = run(['-c', conf])
  if (started.status !== 0) {
    rmSync(root, { recursive: true, force: true })
    throw new Error(`dovecot failed to start: ${started.output}`)
  }
  await waitForPort(port, 10_000, log)

  const withClient = async <T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.logout().catch(() => client.close())
    }
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    append: (raw, mailbox = 'INBOX') =>
      withClient(async (client) => {
        const answer = await client.append(mailbox, typeof raw === 'string' ? raw : Buffer.from(raw), [])
        if (!answer || !answer.uid) throw new Error(`APPEND to ${mailbox} gave no UID`)
        return answer.uid
      }),
    flags: (mailbox = 'INBOX') =>
      withClient(async (client) => {
        const lock = await client.getMailboxLock(mailbox)
        try {
          const flags = new Map<number, Set<string>>()
          if (client.mailbox && client.mailbox.exists > 0) for await (const m of client.fetch('1:*', { uid: true, flags: true })) flags.set(m.uid, m.flags ?? new Set())
          return flags
        } finally {
          lock.release()
        }
      }),
    count: (mailbox = 'INBOX') =>
      withClient(async (client) => {
        const status = await client.status(mailbox, { messages: true })
        return status ? (status.messages ?? 0) : 0
      }),
    log,
    async stop() {
      try {
        run(['-c', conf, 'stop'])
        // `stop` signals the master; wait until its pid file is gone so the folder can go.
        const deadline = Date.now() + 5_000
        while (existsSync(join(root, 'run', 'master.pid')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    },
  }
}

