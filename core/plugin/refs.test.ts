/**
 * Services between plugins (refs.ts): declarations checked at registration with coded errors
 * naming the plugins, providers ordered before their users, `ctx.use` limited to declared refs,
 * one service per platform made with its provider's context, and a call across plugins that
 * is part of the caller's transaction (a rollback undoes both plugins' writes), on both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceRef, definePlugin, errors, json, jsonBody, provide, route, z, type PluginContext, type PluginDefinition, type TenantTx } from '../mod.ts'
import { registerPlugins } from './registry.ts'
import { PluginError } from '../api/errors.ts'
import { DRIVERS } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'

interface NotesService {
  readonly madeFor: string
  add(tx: TenantTx, text: string): Promise<void>
}
const notesRef = createServiceRef<NotesService>('notes.notes')
const plugin = (id: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ id, version: '1.0.0', core: '^1', ...extra })

function failure(run: () => unknown): PluginError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError)
    return error as PluginError
  }
  throw new Error('expected a PluginError')
}

describe('service refs at registration', () => {
  const notes = plugin('notes', { provides: [provide(notesRef, () => ({ madeFor: 'x', add: async () => {} }))] })

  it('orders a provider before the plugins that use its service, without a dependsOn', () => {
    expect(registerPlugins([plugin('journal', { uses: { notes: notesRef } }), notes]).map((p) => p.id)).toEqual(['notes', 'journal'])
  })

  it('refuses a used ref that no installed plugin provides, naming the user, the ref and its plugin', () => {
    const error = failure(() => registerPlugins([plugin('journal', { uses: { notes: notesRef } })]))
    expect(error.code).toBe('OC_PLUGIN_REF_MISSING')
    expect(error.message).toMatch(/plugin 'journal' uses ref 'notes\.notes'.*install plugin 'notes'/)
  })

  it("refuses a ref outside the provider's namespace, and one provided twice, naming the plugin", () => {
    const foreign = failure(() => registerPlugins([notes, plugin('copy', { provides: [provide(notesRef, () => ({ madeFor: 'z', add: async () => {} }))] })]))
    expect(foreign.code).toBe('OC_PLUGIN_REF_NAMESPACE')
    expect(foreign.message).toContain("plugin 'copy' provides ref 'notes.notes'; name it 'copy.<name>'")
    const make = () => ({ madeFor: 'x', add: async () => {} })
    const twice = failure(() => registerPlugins([plugin('notes', { provides: [provide(notesRef, make), provide(notesRef, make)] })]))
    expect(twice.code).toBe('OC_PLUGIN_REF_DUPLICATE')
    expect(twice.message).toContain("plugin 'notes' provides ref 'notes.notes' twice")
  })

  it('refuses plugins that use each other\'s services, with the whole cycle', () => {
    const aRef = createServiceRef<object>('a.api')
    const bRef = createServiceRef<object>('b.api')
    const error = failure(() => registerPlugins([plugin('a', { provides: [provide(aRef, () => ({}))], uses: { b: bRef } }), plugin('b', { provides: [provide(bRef, () => ({}))], uses: { a: aRef } })]))
    expect(error.code).toBe('OC_PLUGIN_DEPENDENCY_CYCLE')
    expect(error.message).toContain('a -> b -> a')
  })

  it('checks a ref id', () => {
    expect(() => createServiceRef('tickets')).toThrow(/'<plugin id>\.<name>'/)
  })
})

describe.each(DRIVERS)('a service used across plugins on %s', (driver) => {
  let t: TestPlatform
  let made = 0
  let journalContext: PluginContext
  const api = '/o/refs-org/desk/api/v1'
  const undeclaredRef = createServiceRef<object>('notes.hidden')

  const notes = plugin('notes', {
    migrations: [{ id: '0001_notes', sql: "CREATE TABLE refs_notes (org_id uuid NOT NULL, service_id uuid NOT NULL, text text NOT NULL); SELECT oc_tenant_table('refs_notes');" }],
    provides: [
      provide(notesRef, (ctx: PluginContext) => {
        made++
        return { madeFor: ctx.pluginId, add: async (tx, text) => void (await tx.query('INSERT INTO refs_notes (text) VALUES ($1)', [text])) }
      }),
      provide(undeclaredRef, () => ({})),
    ],
  })
  const journal = plugin('journal', {
    uses: { notes: notesRef },
    migrations: [{ id: '0001_entries', sql: "CREATE TABLE refs_entries (org_id uuid NOT NULL, service_id uuid NOT NULL, text text NOT NULL); SELECT oc_tenant_table('refs_entries');" }],
    onBoot(ctx) {
      journalContext = ctx
    },
    routes(app, ctx) {
      app.openapi(route({ method: 'post', path: '/entries', access: 'public', request: jsonBody(z.object({ text: z.string(), fail: z.boolean().default(false) })), responses: { 201: json(z.object({ ok: z.boolean() }), 'Written') } }), async (c) => {
        const { text, fail } = c.req.valid('json')
        await c.var.db.tx(async (tx) => {
          await tx.query('INSERT INTO refs_entries (text) VALUES ($1)', [text])
          await ctx.use(notesRef).add(tx, `about ${text}`)
          if (fail) throw errors.invalid([{ path: 'body.fail', message: 'asked to fail after both writes', code: 'custom' }])
        })
        return c.json({ ok: true }, 201)
      })
    },
  })

  beforeAll(async () => {
    t = await testPlatform({ driver, plugins: [journal, notes] })
    await t.createService('refs-org', 'desk', ['journal', 'notes'])
  })
  afterAll(() => t.close())

  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n

  it("commits the user's and the provider's writes together, and a rollback undoes both", async () => {
    expect((await t.call(`${api}/journal/entries`, { body: { text: 'kept' }, token: null })).status).toBe(201)
    expect([await count('refs_entries'), await count('refs_notes')]).toEqual([1, 1])
    const failed = await t.call(`${api}/journal/entries`, { body: { text: 'undone', fail: true }, token: null })
    expect(failed.status).toBe(422)
    expect([await count('refs_entries'), await count('refs_notes')]).toEqual([1, 1])
  })

  it("makes the service once, with its provider's context, and refuses a ref the user did not declare", () => {
    const service = journalContext.use(notesRef)
    expect(service.madeFor).toBe('notes')
    expect(journalContext.use(notesRef)).toBe(service)
    expect(made).toBe(1)
    const error = failure(() => journalContext.use(undeclaredRef))
    expect(error.code).toBe('OC_PLUGIN_REF_UNDECLARED')
    expect(error.message).toContain("plugin 'journal' uses ref 'notes.hidden' without declaring it")
  })
})
