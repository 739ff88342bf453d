/** The `opencontact` command against a real PostgreSQL database, as an operator would use it. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { freshPostgresUrl } from '../test/support/databases.ts'
import { postgresDb } from '../core/storage/postgres.ts'
import { testPlatform } from '../test/support/platform.ts'
import hello from '../examples/hello-plugin/mod.ts'
import ticket from '../plugins/ticket/mod.ts'
import { createKeyring, generateMasterKey } from '../core/mod.ts'

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
    expect((await cli('contract', 'set', 'acme', 'help', '--plugins', 'ticket,hello')).stdout).toBe('contract of acme/help: ticket, hello\n')
    expect((await cli('plugins')).stdout).toContain('hello@1.0.0')

    const failure = await cli('service', 'create', 'acme', 'Bad Code').catch((error: { code: number; stderr: string }) => error)
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('service: code:') })

    const db = postgresDb(url)
    const t = await testPlatform({ db, plugins: [ticket, hello] })
    const ping = await t.call('/o/acme/help/api/v1/hello/ping', { token })
    expect(ping.body).toEqual({ pong: true, service: 'help' })
    expect((await t.call('/o/acme/help/api/v1/settings', { token })).status).toBe(200)
    await t.close()
    await db.close()
  }, 60_000)

  it('re-seals everything sealed under older keys at once after a key is added (keys rotate)', async () => {
    const url = await freshPostgresUrl()
    const [first, second] = [generateMasterKey(), generateMasterKey()]
    const db = postgresDb(url)
    const t = await testPlatform({ db, plugins: [ticket], keyring: createKeyring([{ version: 1, key: first }]) })
    await t.createService('acme', 'help', ['ticket'])
    const api = '/o/acme/help/api/v1'
    const field = (await t.call(`${api}/ticket/fields`, { body: { code: 'resident_no', audience: 'agent', type: 'text', names: { ko: '주민번호' }, personalInfo: true } })).body
    const made = await t.call(`${api}/ticket/tickets`, { body: { title: 't', content: 'c', channel: 'api', fields: { resident_no: '900101-1234567' } } })
    expect(made.status).toBe(201)
    await t.call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } })
    expect((await t.call(`${api}/open-api/keys`, { body: { name: 'integration' } })).status).toBe(201)
    await t.close()

    const rotate = () => run(process.execPath, ['cli/bin.js', 'keys', 'rotate'], { env: { ...process.env, DATABASE_URL: url, OC_LOG_LEVEL: 'silent', OC_MASTER_KEYS: `2:${second},1:${first}` } })
    const { stdout } = await rotate()
    expect(stdout).toContain('re-sealing under key version 2:')
    expect(stdout).toContain('ticket:rotate-field-keys: re-sealed 1 tickets')
    expect(stdout).toContain('ticket:rotate-mail-keys: re-sealed 0 mail account passwords')
    expect(stdout).toMatch(/:rotate-service-key-seals: re-sealed 1 service keys/)
    expect(stdout).toMatch(/:rotate-settings-secrets: re-sealed the secrets of \d+ plugin settings/)
    const [row] = await db.query<{ secret_fields: Record<string, string> }>('SELECT secret_fields FROM tickets WHERE id = $1', [made.body.id])
    expect(row!.secret_fields.resident_no).toMatch(/^oc1\.2\./)
    // Nothing is left under the old key.
    expect((await rotate()).stdout).toContain('ticket:rotate-field-keys: re-sealed 0 tickets')
    await db.close()
  }, 60_000)
})
