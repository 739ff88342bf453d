/**
 * Sign-in throttling, kept in the database so it holds across instances. Failures are counted
 * per account (organization + e-mail) and per client address; a count starts over after a
 * quiet `windowSeconds`. From the limit on, each failure locks the key for `lockSeconds`,
 * doubling with every further failure up to `maxLockSeconds`. While locked, sign-ins are refused
 * (429 with Retry-After) before the password is checked, so a lock also spares the CPU. A
 * success clears the account's count, never the address's: an attacker's own account must not
 * reset the count of the address they spray from.
 */
import type { Db } from '../storage/db.ts'
import type { IdentitySettings } from './options.ts'

export interface ThrottleKey {
  readonly key: string
  readonly limit: number
}

export interface LoginThrottle {
  /** The keys of one sign-in attempt. */
  keys(orgId: string, email: string, address: string | undefined): ThrottleKey[]
  /** Seconds until every key is unlocked, or 0 when none is locked. */
  lockedFor(keys: readonly ThrottleKey[]): Promise<number>
  recordFailure(keys: readonly ThrottleKey[]): Promise<void>
  recordSuccess(keys: readonly ThrottleKey[]): Promise<void>
}

export function loginThrottle(db: Db, settings: IdentitySettings['throttle']): LoginThrottle {
  return {
    keys(orgId, email, address) {
      const keys: ThrottleKey[] = [{ key: `account:${orgId}:${email}`, limit: settings.accountFailures }]
      if (address) keys.push({ key: `address:${address}`, limit: settings.addressFailures })
      return keys
    },
    async lockedFor(keys) {
      const names = keys.map((k) => k.key)
      const [row] = await db.sql<{ seconds: number | null }>`
        SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
        FROM oc_login_throttle WHERE key IN (${names[0]}, ${names[1] ?? names[0]}) AND locked_until > now()`
      return Math.max(0, row?.seconds ?? 0)
    },
    async recordFailure(keys) {
      await db.transaction(async (tx) => {
        for (const { key, limit } of keys) {
          const [row] = await tx.sql<{ failures: number }>`
            INSERT INTO oc_login_throttle AS t (key, failures, last_failure_at) VALUES (${key}, 1, now())
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => ${settings.windowSeconds}) THEN 1 ELSE t.failures + 1 END,
              last_failure_at = now()
            RETURNING failures`
          const failures = row!.failures
          if (failures >= limit) {
            const seconds = Math.min(settings.maxLockSeconds, settings.lockSeconds * 2 ** Math.min(failures - limit, 20))
            await tx.sql`UPDATE oc_login_throttle SET locked_until = now() + make_interval(secs => ${seconds}) WHERE key = ${key}`
          }
        }
        // Keys quiet for a day are of no further use; failures are rare enough to sweep here.
        if (Math.random() < 0.05) await tx.sql`DELETE FROM oc_login_throttle WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`
      })
    },
    async recordSuccess(keys) {
      const account = keys.find((k) => k.key.startsWith('account:'))
      if (account) await db.sql`DELETE FROM oc_login_throttle WHERE key = ${account.key} AND (locked_until IS NULL OR locked_until < now())`
    },
  }
}
