/**
 * login: password sign-ins per second through the whole organization route (`POST
 * /o/{org}/org/v1/auth/login` over HTTP: throttle check, member lookup, PBKDF2-SHA256 at the
 * production 600,000 iterations, session and refresh-token insert, JWT signing), against the
 * floor, bare PBKDF2 derivations at the same work factor and concurrency.
 *
 * Meant to be slow: the key derivation is the point, so the ratio shows how close the route comes
 * to the cost of hashing alone. Both run with as many requests in flight as libuv has worker
 * threads (WebCrypto's PBKDF2 runs there, UV_THREADPOOL_SIZE, 4 by default), and take turns in
 * slices so other load on the machine lands on both alike.
 */
import { createPlatform, type PlatformOptions } from '../core/platform.ts'
import { serveNode } from '../core/runtime/node.ts'
import { pgliteDb } from '../core/storage/pglite.ts'
import { createLogger } from '../core/log.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import { DEFAULT_PASSWORD_ITERATIONS } from '../core/identity/passwords.ts'
import { benchLine, type BenchOptions, detail } from './lib.ts'

const CONCURRENCY = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
const PASSWORD = 'a benchmark password'

/** Runs `once` from CONCURRENCY loops for `seconds`; returns completions per second. */
async function rate(once: () => Promise<void>, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000
  let done = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await once()
        done++
      }
    }),
  )
  return done / ((performance.now() - started) / 1000)
}

async function derive(): Promise<void> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(PASSWORD), 'PBKDF2', false, ['deriveBits'])
  await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: crypto.getRandomValues(new Uint8Array(16)), iterations: DEFAULT_PASSWORD_ITERATIONS }, key, 256)
}

export async function run(options: BenchOptions): Promise<string[]> {
  const db = await pgliteDb()
  // The event dispatcher's background loop has nothing to do here; keep it from competing.
  const platform = createPlatform({ db, log: createLogger('silent'), events: { background: false } } as PlatformOptions)
  await platform.start()
  const server = await serveNode(platform, { port: 0, hostname: '127.0.0.1' })
  try {
    const { token } = await createOperatorToken(db, 'bench operator')
    const operator = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const post = async (path: string, body: unknown, headers: Record<string, string> = operator) => fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    const org = await post('/operator/v1/organizations', { slug: 'bench', name: 'Bench' })
    if (org.status !== 201) throw new Error(`creating the organization answered ${org.status}: ${await org.text()}`)
    const member = await post('/operator/v1/organizations/bench/members', { email: 'bench@example.com', password: PASSWORD })
    if (member.status !== 201) throw new Error(`creating the member answered ${member.status}: ${await member.text()}`)

    const login = async () => {
      const res = await post('/o/bench/org/v1/auth/login', { email: 'bench@example.com', password: PASSWORD }, { 'content-type': 'application/json' })
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
    await rate(login, options.warmupSeconds)
    await rate(derive, options.warmupSeconds)
    // Each sign-in takes most of a second: slices shorter than a few of them would measure rounding.
    const slices = Math.max(2, Math.floor(options.seconds / 2.5))
    let logins = 0
    let derivations = 0
    for (let i = 0; i < slices; i++) {
      logins += await rate(login, options.seconds / slices)
      derivations += await rate(derive, options.seconds / slices)
    }
    logins /= slices
    derivations /= slices
    detail(`login: ${logins.toFixed(2)} logins/s, pbkdf2-600k: ${derivations.toFixed(2)} derivations/s, ${CONCURRENCY} in flight, PBKDF2-SHA256 ${DEFAULT_PASSWORD_ITERATIONS} iterations`)
    return [benchLine('login', logins, 'logins/s', [[logins / derivations, 'pbkdf2-600k']])]
  } finally {
    await server.close()
    await platform.stop()
    await db.close()
  }
}
