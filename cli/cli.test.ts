/** The `opencontact` command against a real PostgreSQL database, as an operator would use it. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { freshPostgresUrl } from '../test/support/databases.ts'
import { postgresDb } from '../core/storage/postgres.ts'
import { testPlatform } from '../test/support/platform.ts'
import hello from '../examples/hello-plugin/mod.ts'

const run = promisify(execFile)

describe('opencontact CLI', () => {
  it('migrates and bootstraps an organization, a service and its contract', async () => {
    const url = await freshPostgresUrl()
    const cli = (...args: string[]) => run(process.execPath, ['cli/bin.js', ...args, '--plugin', 'examples/hello-plugin/mod.ts'], { env: { ...process.env, DATABASE_URL: url, OC_LOG_LEVEL: 'silent' } })

    expect((await cli('migrate')).stdout).toMatch(/applied \d+ migrations/)
    expect((await cli('migrate')).stdout).toContain('the database is up to date')
    const token = (await cli('operator-token', 'create', '--name', 'ops')).stdout.match(/oco_\w+/)![0]
    expect((await cli('org', 'create', 'acme', '--name', 'Acme')).stdout).toContain('created organization acme')
    expect((await cli('service', 'create', 'acme', 'help', '--name', 'Help', '--languages', 'ko,en')).stdout).toContain('created service acme/help')
    expect((await cli('contract', 'set', 'acme', 'help', '--plugins', 'hello')).stdout).toBe('contract of acme/help: hello\n')
    expect((await cli('plugins')).stdout).toContain('hello@1.0.0')

    const failure = await cli('service', 'create', 'acme', 'Bad Code').catch((error: { code: number; stderr: string }) => error)
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('service: code:') })

    const db = postgresDb(url)
    const t = await testPlatform({ db, plugins: [hello] })
    const ping = await t.call('/o/acme/help/api/v1/hello/ping', { token })
    expect(ping.body).toEqual({ pong: true, service: 'help' })
    expect((await t.call('/o/acme/help/api/v1/settings', { token })).status).toBe(200)
    await t.close()
    await db.close()
  }, 60_000)
})
