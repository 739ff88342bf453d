/**
 * The project's own tests' platform: the public test harness (core/testing.ts) with the
 * signature these tests grew up with. `driver: 'postgres'` means a fresh database on the test
 * cluster; the password work factor stays the platform's default unless a test asks for the
 * cheap one (identity.ts `identityOptions`).
 */
import type { Plugin } from '../../core/mod.ts'
import type { PlatformOptions } from '../../core/platform.ts'
import { DEFAULT_PASSWORD_ITERATIONS } from '../../core/identity/passwords.ts'
import type { Db } from '../../core/storage/db.ts'
import { createTestPlatform, type TestPlatform as HarnessPlatform } from '../../core/testing.ts'
import { type Driver, freshPostgresUrl } from './databases.ts'

export { caller } from '../../core/testing.ts'
export type { ApiAnswer, Call, CallOptions } from '../../core/testing.ts'

export interface TestPlatform extends HarnessPlatform {
  /** Creates an organization (if new) and a service with the given plugins contracted. */
  createService(org: string, service: string, plugins?: string[]): Promise<{ orgId: string; serviceId: string }>
}

export async function testPlatform(options: { driver?: Driver; db?: Db; plugins?: readonly Plugin[] } & Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const { driver = 'pglite', plugins = [], ...rest } = options
  const t = await createTestPlatform({
    ...rest,
    plugins,
    driver: driver === 'postgres' && !rest.db ? { postgresUrl: await freshPostgresUrl() } : 'pglite',
    identity: { passwordIterations: DEFAULT_PASSWORD_ITERATIONS, ...rest.identity },
  })
  return {
    ...t,
    async createService(org, service, contracted = []) {
      const { orgId, serviceId } = await t.service(org, service, { plugins: contracted })
      return { orgId, serviceId }
    },
  }
}
