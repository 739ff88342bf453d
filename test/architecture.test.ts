/**
 * The layering rules of ARCHITECTURE.md §1, checked on the sources so they stay true:
 * - no import circle in core/, plugins/, cli/ or examples/, type-only imports included;
 * - a plugin's files (tests aside) import the core only through its public entry, other
 *   plugins only through theirs (`mod.ts`, `api.ts`), and otherwise only their own files;
 * - runtime detection (`process.`, `Deno.`, `navigator`, `Bun`, `node:` imports) only in
 *   core/runtime/ (tests aside), so the rest runs unchanged on Node, Deno and Workers.
 * The core's remaining import circles are listed here by file until the contract layer
 * dissolves them: a new circle fails the test, and so does any change to those, so they only shrink.
 */
import { describe, expect, it } from 'vitest'
import { importCircles, isTest, sourceFiles, withoutComments, type SourceFile } from './support/source-files.ts'

const files = sourceFiles(['core', 'plugins', 'cli', 'examples'])

/** The core's remaining circles, which the contract layer (core/api/) dissolves. */
const CORE_CIRCLES_TO_DISSOLVE = [
  ['core/plugin/context.ts', 'core/plugin/service-access.ts', 'core/storage/tenant-db.ts'],
  [
    'core/area.ts', 'core/audit/area.ts', 'core/events/area.ts', 'core/events/dispatcher.ts', 'core/events/options.ts', 'core/identity/area.ts',
    'core/identity/authenticators.ts', 'core/identity/invitations.ts', 'core/identity/login-throttle.ts', 'core/identity/open-api-access.ts',
    'core/identity/options.ts', 'core/identity/routes/agents.ts', 'core/identity/routes/auth.ts', 'core/identity/routes/groups.ts',
    'core/identity/routes/members.ts', 'core/identity/routes/open-api.ts', 'core/identity/routes/operator-members.ts', 'core/identity/runtime.ts',
    'core/identity/sessions.ts', 'core/platform.ts', 'core/settings/area.ts', 'core/tenancy/area.ts',
  ],
]

const RUNTIME_USE = /\bprocess\.|\bDeno\.|\bnavigator\b|\bBun\b/

describe('architecture rules', () => {
  it('has no import circle but the listed core ones, which may only shrink', () => {
    const circles = importCircles(files)
    const known = new Set(CORE_CIRCLES_TO_DISSOLVE.map((c) => c.join()))
    expect(circles.filter((c) => !known.has(c.join()))).toEqual([])
    expect(circles.map((c) => c.length).sort()).toEqual(CORE_CIRCLES_TO_DISSOLVE.map((c) => c.length).sort())
  })

  it("keeps plugins to the core's public entry, other plugins' public entries and their own files", () => {
    expect(pluginImportViolations(files)).toEqual([])
  })

  it('detects the runtime only in core/runtime/', () => {
    expect(runtimeDetecting(files)).toEqual([])
  })

  it('sees what it checks: a circle, a deep import and a runtime use planted in sample files are found', () => {
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
  })
})

function pluginImportViolations(sources: readonly SourceFile[]): string[] {
  const wrong: string[] = []
  for (const file of sources.filter((f) => /^(plugins|examples)\/[^/]+\//.test(f.path) && !isTest(f.path))) {
    const own = file.path.split('/').slice(0, 2).join('/') + '/'
    for (const target of file.imports) {
      const allowed = target.startsWith(own) || target === 'core/mod.ts' || /^plugins\/[^/]+\/(mod|api)\.ts$/.test(target)
      if (!allowed) wrong.push(`${file.path} imports ${target}`)
    }
    // By package name, a plugin reaches the same public entries: `opencontact`, `opencontact/plugins/<id>(/api)`.
    for (const name of file.packages) if (name.startsWith('opencontact/') && !/^opencontact\/plugins\/[^/]+(\/api)?$/.test(name)) wrong.push(`${file.path} imports ${name}`)
  }
  return wrong
}

function runtimeDetecting(sources: readonly SourceFile[]): string[] {
  return sources
    .filter((f) => /^(core|plugins)\//.test(f.path) && !f.path.startsWith('core/runtime/') && !isTest(f.path))
    .filter((f) => f.packages.some((p) => p.startsWith('node:')) || RUNTIME_USE.test(withoutComments(f.text)))
    .map((f) => f.path)
}
