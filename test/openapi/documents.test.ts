/**
 * The OpenAPI documents as a client generator sees them: the platform document, the service
 * document of a service with every first-party plugin contracted (and the example plugin), linted
 * with @redocly/cli's recommended rules, then turned into a typed client (openapi-typescript 6 +
 * openapi-fetch) whose calls are type-checked with the repository's `tsc`.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import { firstPartyPlugins } from '../../plugins/index.ts'
import { testPlatform, type TestPlatform } from '../support/platform.ts'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name)

/** Redocly's report (its JSON format on stdout; the Node 20 banner goes to stderr). */
async function lint(file: string): Promise<{ totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] }> {
  const output = await run(bin('redocly'), ['lint', '--extends=recommended', '--format=json', file], { cwd: ROOT }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))
  return JSON.parse(output.stdout)
}

async function typecheck(dir: string, files: string[]): Promise<{ ok: boolean; output: string }> {
  const config = {
    compilerOptions: { strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'], types: [], paths: { 'openapi-fetch': [join(ROOT, 'node_modules/openapi-fetch/dist/index.d.mts')] } },
    files: files.map((f) => join(dir, f)),
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config))
  try {
    await run(bin('tsc'), ['--noEmit', '-p', join(dir, 'tsconfig.json')], { cwd: ROOT })
    return { ok: true, output: '' }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

describe('OpenAPI documents', () => {
  let t: TestPlatform
  const dir = mkdtempSync(join(tmpdir(), 'oc-openapi-'))
  const docs: Record<string, any> = {}
  beforeAll(async () => {
    t = await testPlatform({ plugins: [...firstPartyPlugins, hello] })
    await t.createService('acme', 'everything', [...firstPartyPlugins.map((p) => p.id), hello.id])
    await t.createService('acme', 'bare', [])
    docs.platform = (await t.call('/openapi.json', { token: null })).body
    docs.service = (await t.call('/o/acme/everything/api/v1/openapi.json', { token: null })).body
    docs.bare = (await t.call('/o/acme/bare/api/v1/openapi.json', { token: null })).body
    for (const [name, doc] of Object.entries(docs)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc))
  })
  afterAll(() => t.close())

  it('gives every operation a unique operationId and declares every path parameter', () => {
    for (const doc of Object.values(docs)) {
      const ids = new Set<string>()
      for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
        const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
        for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
          const op = item[method]
          if (!op) continue
          expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][\w-]*\.[a-z]\w*$/)
          expect(ids.has(op.operationId), `${op.operationId} twice`).toBe(false)
          ids.add(op.operationId)
          const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])].filter((p: any) => p.in === 'path').map((p: any) => p.name)
          expect(declared.sort(), `${method} ${path}`).toEqual([...names].sort())
        }
      }
    }
    expect(docs.platform.info.license).toEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' })
    expect(docs.service.paths['/ticket/tickets'].get.operationId).toBe('ticket.listTickets')
  })

  it.each(['platform', 'service', 'bare'])('%s document is clean under @redocly/cli lint (recommended)', async (name) => {
    const report = await lint(join(dir, `${name}.json`))
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([])
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
  }, 120_000)

  // Calls a client written against the documents makes: an `{org}` path parameter (the org
  // API's prefix), a `{service}` one (operator API), bodies, and the service API.
  const CALLS = `
import createClient from 'openapi-fetch'
import type { paths as Platform } from './platform'
import type { paths as Service } from './service'

export async function calls() {
  const platform = createClient<Platform>({ baseUrl: 'http://localhost:8787' })
  const members = await platform.GET('/o/{org}/org/v1/members', { params: { path: { org: 'acme' } } })
  const patched = await platform.PATCH('/o/{org}/org/v1/members/{memberId}', { params: { path: { org: 'acme', memberId: 'm-1' } }, body: { name: 'Ada' } })
  const contract = await platform.GET('/operator/v1/organizations/{org}/services/{service}/contract', { params: { path: { org: 'acme', service: 'desk' } } })
  const created = await platform.POST('/operator/v1/organizations', { body: { slug: 'acme', name: 'Acme' } })
  const service = createClient<Service>({ baseUrl: 'http://localhost:8787/o/acme/desk/api/v1' })
  const tickets = await service.GET('/ticket/tickets', {})
  const ticket = await service.GET('/ticket/tickets/{id}', { params: { path: { id: 't-1' } } })
  return [members.data, patched.data?.name, contract.data, created.data, tickets.data, ticket.data, members.error?.error.code]
}
`

  it('generates a typed client (openapi-typescript 6 + openapi-fetch) that type-checks its calls, and catches a missing path parameter', async () => {
    for (const name of ['platform', 'service']) await run(bin('openapi-typescript'), [join(dir, `${name}.json`), '-o', join(dir, `${name}.d.ts`)], { cwd: ROOT })
    writeFileSync(join(dir, 'calls.ts'), CALLS)
    const good = await typecheck(dir, ['calls.ts'])
    expect(good.output).toBe('')
    expect(good.ok).toBe(true)
    // The call the issue reports: an org route without `params.path.org`.
    writeFileSync(join(dir, 'calls.ts'), CALLS.replace("'/o/{org}/org/v1/members', { params: { path: { org: 'acme' } } }", "'/o/{org}/org/v1/members', { params: { path: {} } }"))
    const bad = await typecheck(dir, ['calls.ts'])
    expect(bad.ok).toBe(false)
    expect(bad.output).toMatch(/calls\.ts\(8,\d+\): error TS2741: Property 'org' is missing/)
  }, 180_000)
})
