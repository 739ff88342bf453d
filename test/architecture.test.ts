/**
 * The layering rules of ARCHITECTURE.md §1, checked on the sources so they stay true:
 * - no import circle in core/, plugins/, cli/ or examples/, type-only imports included;
 * - a plugin's files (tests aside) import the core only through its public entry, other
 *   plugins only through theirs (`mod.ts`, `api.ts`), and otherwise only their own files;
 * - runtime detection (`process.`, `Deno.`, `navigator`, `Bun`, `node:` imports) only in
 *   core/runtime/ (tests aside), so the rest runs unchanged on Node, Deno and Workers;
 * - the contract layer (core/api/) imports only its own files and leaf modules (files that
 *   import no project file), so it can be read, and replaced, without the core behind it.
 */
import { describe, expect, it } from 'vitest'
import { importCircles, isTest, sourceFiles, withoutComments, type SourceFile } from './support/source-files.ts'

const files = sourceFiles(['core', 'plugins', 'cli', 'examples'])

const RUNTIME_USE = /\bprocess\.|\bDeno\.|\bnavigator\b|\bBun\b/

describe('architecture rules', () => {
  it('has no import circle', () => {
    expect(importCircles(files)).toEqual([])
  })

  it('keeps the contract layer (core/api/) to its own files and leaf modules', () => {
    expect(apiImportViolations(files)).toEqual([])
  })

  it("keeps plugins to the core's public entry, other plugins' public entries and their own files", () => {
    expect(pluginImportViolations(files)).toEqual([])
  })

  it('detects the runtime only in core/runtime/', () => {
    expect(runtimeDetecting(files)).toEqual([])
  })

  it('has plugins open tenant transactions one way: a TenantDb, never the owner database', () => {
    expect(ownerTenantTransactions(files)).toEqual([])
  })

  it('names no feature plugin in the core: tickets, chat and phone are plugins', () => {
    expect(pluginWordsInCore(files)).toEqual([])
  })

  it('sees what it checks: a circle, a deep import, a contract import and a runtime use planted in sample files are found', () => {
    const sample = (path: string, imports: string[], text = '', packages: string[] = []): SourceFile => ({ path, text, imports, packages })
    expect(importCircles([sample('core/a.ts', ['core/b.ts']), sample('core/b.ts', ['core/a.ts']), sample('core/c.ts', ['core/c.ts'])])).toEqual([['core/a.ts', 'core/b.ts'], ['core/c.ts']])
    const plugin = [
      sample('plugins/chat/routes.ts', ['plugins/chat/store.ts', 'core/mod.ts', 'plugins/ticket/api.ts', 'core/storage/db.ts', 'plugins/ticket/tickets/store.ts'], '', ['hono', 'opencontact/internal']),
      sample('plugins/chat/routes.test.ts', ['core/storage/db.ts']),
    ]
    expect(pluginImportViolations(plugin)).toEqual(['plugins/chat/routes.ts imports core/storage/db.ts', 'plugins/chat/routes.ts imports plugins/ticket/tickets/store.ts', 'plugins/chat/routes.ts imports opencontact/internal'])
    const runtime = [
      sample('core/a.ts', [], 'const env = process.env.X'),
      sample('core/b.ts', [], '// runs in process. fine\nconst x = 1'),
      sample('plugins/x/c.ts', [], '', ['node:fs']),
      sample('core/runtime/node.ts', [], 'process.exit(1)'),
    ]
    expect(runtimeDetecting(runtime)).toEqual(['core/a.ts', 'plugins/x/c.ts'])
    const words = [
      sample('core/a.ts', [], "// a ticket plugin would\nconst PERMISSIONS = ['ticket', 'chat']"),
      sample('core/b.ts', [], "const Type = z.string().openapi({ example: 'ticket.created' })\n/** e.g. a chat */ const x = 1"),
      sample('core/c.test.ts', [], "const phone = '010'"),
      sample('plugins/ticket/d.ts', [], "const ticket = 1"),
    ]
    expect(pluginWordsInCore(words)).toEqual(["core/a.ts:2: const PERMISSIONS = ['ticket', 'chat']"])
    const transactions = [
      sample('plugins/x/a.ts', [], 'await ctx.db.tenantTransaction(scope, (tx) => tx.sql`SELECT 1`)'),
      sample('plugins/x/b.ts', [], 'await ctx.tenantDb(scope).tx((tx) => tx.sql`SELECT 1`)'),
      sample('plugins/x/c.test.ts', [], 'await db.tenantTransaction(scope, fn)'),
    ]
    expect(ownerTenantTransactions(transactions)).toEqual(['plugins/x/a.ts'])
    const api = [
      sample('core/api/context.ts', ['core/api/db.ts', 'core/log.ts', 'core/storage/blob.ts'], '', ['hono']),
      sample('core/api/db.ts', []),
      sample('core/log.ts', []),
      sample('core/storage/blob.ts', ['core/api/db.ts']),
      sample('core/api/context.test.ts', ['core/storage/blob.ts']),
    ]
    expect(apiImportViolations(api)).toEqual(['core/api/context.ts imports core/storage/blob.ts'])
  })
})

/** Imports from core/api/ (tests aside) of anything but core/api/ files and leaf modules. */
function apiImportViolations(sources: readonly SourceFile[]): string[] {
  const leaves = new Set(sources.filter((f) => f.imports.length === 0).map((f) => f.path))
  return sources
    .filter((f) => f.path.startsWith('core/api/') && !isTest(f.path))
    .flatMap((f) => f.imports.filter((target) => !target.startsWith('core/api/') && !leaves.has(target)).map((target) => `${f.path} imports ${target}`))
}

function pluginImportViolations(sources: readonly SourceFile[]): string[] {
  const wrong: string[] = []
  for (const file of sources.filter((f) => /^(plugins|examples)\/[^/]+\//.test(f.path) && !isTest(f.path))) {
    const own = file.path.split('/').slice(0, 2).join('/') + '/'
    for (const target of file.imports) {
      const allowed = target.startsWith(own) || target === 'core/mod.ts' || target === 'core/testing.ts' || /^plugins\/[^/]+\/(mod|api)\.ts$/.test(target)
      if (!allowed) wrong.push(`${file.path} imports ${target}`)
    }
    // By package name, a plugin reaches the same public entries: `opencontact`, `opencontact/plugins/<id>(/api)`,
    // and the testing entry, which test helpers outside `*.test.ts` use (e.g. the example's flows.ts).
    for (const name of file.packages) if (name.startsWith('opencontact/') && !/^opencontact\/(testing|plugins\/[^/]+(\/api)?)$/.test(name)) wrong.push(`${file.path} imports ${name}`)
  }
  return wrong
}

/** Plugin files (tests aside) that open a tenant transaction on the owner database instead of a `TenantDb` (`c.var.db`, `ctx.tenantDb(scope)`). */
function ownerTenantTransactions(sources: readonly SourceFile[]): string[] {
  return sources.filter((f) => /^(plugins|examples)\//.test(f.path) && !isTest(f.path) && /\.tenantTransaction\(/.test(withoutComments(f.text))).map((f) => f.path)
}

/**
 * Lines of the core (tests aside) naming a first-party feature area outside comments and the
 * documentation strings of schemas (`example`, `description`, `summary`), where a ticket is the
 * natural example.
 */
function pluginWordsInCore(sources: readonly SourceFile[]): string[] {
  return sources
    .filter((f) => f.path.startsWith('core/') && !isTest(f.path))
    .flatMap((f) =>
      withoutComments(f.text)
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${f.path}:${i + 1}` }))
        .filter(({ line }) => PLUGIN_WORDS.test(line) && !DOCUMENTATION.test(line))
        .map(({ line, at }) => `${at}: ${line}`),
    )
}

const PLUGIN_WORDS = /ticket|chat|phone/i
const DOCUMENTATION = /\b(example|examples|description|summary)\s*:/

function runtimeDetecting(sources: readonly SourceFile[]): string[] {
  return sources
    .filter((f) => /^(core|plugins)\//.test(f.path) && !f.path.startsWith('core/runtime/') && !isTest(f.path))
    .filter((f) => f.packages.some((p) => p.startsWith('node:')) || RUNTIME_USE.test(withoutComments(f.text)))
    .map((f) => f.path)
}
