/**
 * The lock of an embedded data folder (`OC_DATA_DIR`): one process at a time may open its
 * PGlite database. PGlite is PostgreSQL in a single process with no shared memory between
 * processes, so a second process on the same folder (a CLI command beside `npm start`) would
 * write pages the first does not know of, corrupting the database; and a server would not see
 * what the other wrote anyway (its caches are kept fresh by its own LISTEN/NOTIFY only).
 *
 * The lock is the file `<dir>/lock`, holding the owner's pid, host and command as JSON. It is
 * created atomically (written aside, then hard-linked into place, which fails if one exists),
 * held for the life of the process (or until `release`), and removed at exit. A lock left by a
 * process that died (same host, pid no longer running) is stale: it is taken over. A lock of a
 * running process is refused with a message naming the process and what to do.
 *
 * Node and Deno (through `node:fs`/`node:process`); Workers have no embedded database.
 */
import { link, readFile, unlink, writeFile } from 'node:fs/promises'
import { unlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { OcError } from '../http/errors.ts'

export interface LockHolder {
  readonly pid: number
  readonly host: string
  readonly command: string
  readonly startedAt: string
}

export interface DataDirLock {
  readonly file: string
  /** Removes the lock (idempotent); also done when the process exits. */
  release(): Promise<void>
}

export const LOCK_FILE = 'lock'

/** Locks this process holds: a lock with our own pid that is not among them was left by an earlier process that had our pid (a container restarted). */
const heldHere = new Set<string>()

/** Whether a process with this pid runs on this machine (EPERM: it runs, under another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readHolder(file: string): Promise<LockHolder | null | 'gone'> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  try {
    const holder = JSON.parse(text) as LockHolder
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : null
  } catch {
    // Written aside and linked into place, a lock is never half-written: unreadable means not ours.
    return null
  }
}

/** The refusal: who holds the folder and how to proceed. */
export function lockedMessage(dir: string, holder: LockHolder): string {
  const who = `process ${holder.pid}${holder.host === hostname() ? '' : ` on host ${holder.host}`} (opencontact ${holder.command || 'serve'}, since ${holder.startedAt})`
  return (
    `the embedded database in ${dir} is in use by ${who}. Two processes must never open one PGlite folder (it would corrupt it). ` +
    `Stop that process (Ctrl-C in its terminal, or kill ${holder.pid}), run this command, then start the server again; ` +
    `or use PostgreSQL (DATABASE_URL), where commands run beside a server. ` +
    `If no such process exists any more, delete ${join(dir, LOCK_FILE)}.`
  )
}

/** Takes the lock of `dir` for this process, or throws `OC_DATA_DIR_LOCKED` naming the holder. */
export async function lockDataDir(dir: string, command: string): Promise<DataDirLock> {
  const file = join(dir, LOCK_FILE)
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() }
  const aside = join(dir, `${LOCK_FILE}.${process.pid}.${crypto.randomUUID().slice(0, 8)}`)
  await writeFile(aside, `${JSON.stringify(me)}\n`, { mode: 0o600 })
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(aside, file)
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error
      }
      const holder = await readHolder(file)
      if (holder === 'gone') continue
      // A pid can only be checked on its own host; a lock from elsewhere (a shared folder) stands.
      // Two processes taking over one stale lock at the same instant could both succeed; that
      // needs a crash and two starts within milliseconds, which a lock file cannot rule out.
      const ours = holder !== null && holder.pid === process.pid && heldHere.has(file)
      const stale = holder === null || (holder.host === me.host && !ours && (holder.pid === process.pid || !running(holder.pid)))
      if (!stale) throw new OcError('OC_DATA_DIR_LOCKED', lockedMessage(dir, holder))
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    }
  } finally {
    await unlink(aside).catch(() => {})
  }

  let held = true
  heldHere.add(file)
  const removeAtExit = () => {
    if (!held) return
    held = false
    heldHere.delete(file)
    try {
      unlinkSync(file)
    } catch {
      // already gone
    }
  }
  process.once('exit', removeAtExit)
  return {
    file,
    async release() {
      if (!held) return
      held = false
      heldHere.delete(file)
      process.removeListener('exit', removeAtExit)
      await unlink(file).catch(() => {})
    },
  }
}
