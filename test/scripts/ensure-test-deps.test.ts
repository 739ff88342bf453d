/**
 * scripts/ensure-test-deps.sh waits for the dpkg lock instead of failing: a child process holds
 * /var/lib/dpkg/lock-frontend with an fcntl lock (as apt and dpkg take it) until the test lets
 * go. A plain apt-get (the script's step before) fails at once; the script's `apt_install` is
 * still running seconds into the hold and succeeds once the lock is free; with a short
 * OC_APT_LOCK_WAIT it gives up. The install asked for is `bash` with --no-upgrade: already
 * installed, so nothing changes on the machine. Needs root, as the script's install step does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const LOCK = '/var/lib/dpkg/lock-frontend'
const STEP = 'source scripts/ensure-test-deps.sh && apt_install bash'

/** Holds the lock from a child process until `release()`; resolves once it is held. */
async function holdLock(): Promise<{ release(): Promise<void> }> {
  const child = spawn('python3', ['-c', `import fcntl, sys\nf = open(${JSON.stringify(LOCK)}, 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('held', flush=True)\nsys.stdin.read()`], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve())
    child.on('error', reject)
  })
  return { release: () => (child.stdin!.end(), exited) }
}

function start(command: string, args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(command, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  let exitCode: number | null | undefined
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => ((exitCode = code), resolve({ code, stderr }))))
  return { child, done, running: () => exitCode === undefined }
}

/** Whether `parent` has an apt-get child, i.e. the step reached apt-get install (not the cache look-up before). */
const aptGetChild = (parent: number) => spawnSync('pgrep', ['-P', String(parent), '-x', 'apt-get']).status === 0
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function untilAptGetRuns(step: ReturnType<typeof start>) {
  for (let i = 0; i < 600 && step.running() && !aptGetChild(step.child.pid!); i++) await sleep(50)
  expect(step.running(), 'the step ended before reaching apt-get').toBe(true)
}

describe('ensure-test-deps.sh and the dpkg lock', () => {
  it('waits for a held dpkg lock and then installs, where plain apt-get fails at once', async () => {
    expect(spawnSync('id', ['-u']).stdout.toString().trim(), 'the install step needs root').toBe('0')
    const lock = await holdLock()
    try {
      const plain = await start('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '--no-upgrade', 'bash']).done
      expect(plain.code).toBe(100)
      expect(plain.stderr).toMatch(/Could not get lock .*lock-frontend/)

      const step = start('bash', ['-c', STEP], { OC_APT_LOCK_WAIT: '120' })
      await untilAptGetRuns(step)
      // apt-get has been asking for the lock for three seconds and is still waiting, not failed.
      await sleep(3000)
      expect(step.running()).toBe(true)
      await lock.release()
      const result = await step.done
      expect(result.code, result.stderr).toBe(0)
    } finally {
      await lock.release()
    }
  }, 120_000)

  it('gives up after OC_APT_LOCK_WAIT seconds when the lock stays held', async () => {
    const lock = await holdLock()
    try {
      const step = start('bash', ['-c', STEP], { OC_APT_LOCK_WAIT: '2' })
      await untilAptGetRuns(step)
      const result = await step.done
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/lock-frontend/)
    } finally {
      await lock.release()
    }
  }, 120_000)
})
