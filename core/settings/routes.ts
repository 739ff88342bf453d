/**
 * Per-service plugin settings over the API (C9): read (secrets redacted), replace (validated by
 * the plugin's schema, unknown fields refused, omitted secrets kept) and the JSON Schema.
 * Only plugins contracted for the service are visible.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../plugin/app.ts'
import { route } from '../plugin/app.ts'
import type { Plugin } from '../api/define.ts'
import type { PlatformContext } from '../api/context.ts'
import { commonErrors, json, jsonBody } from '../http/schemas.ts'
import { errors } from '../http/errors.ts'
import { zodIssues } from '../http/validation.ts'
import { isContracted } from '../tenancy/contract.ts'
import { keepSecrets, redact, secretKeys } from './secrets.ts'
import { effectiveSettings, readStoredSettings, writeSettings } from './store.ts'
import type { FieldCrypto } from '../api/crypto.ts'
import { recordAudit, requestActor } from '../audit/record.ts'

const tags = ['Settings']
const access = { role: 'admin' } as const

const PluginSettings = z
  .object({
    plugin: z.string(),
    configured: z.boolean().openapi({ description: 'false while required settings have never been saved' }),
    values: z.record(z.string(), z.unknown()).openapi({ description: 'Current values with defaults; secrets are never included' }),
    secretsSet: z.array(z.string()).openapi({ description: 'Secret fields that hold a value' }),
  })
  .openapi('PluginSettings')

const PluginParam = z.object({ plugin: z.string().openapi({ param: { name: 'plugin', in: 'path' }, example: 'ticket' }) })

const routes = {
  list: route({ method: 'get', path: '/settings', tags, access, summary: 'Settings of every contracted plugin', responses: { 200: json(z.object({ plugins: z.array(PluginSettings) }), 'Settings'), ...commonErrors } }),
  get: route({ method: 'get', path: '/settings/{plugin}', tags, access, summary: "One plugin's settings", request: { params: PluginParam }, responses: { 200: json(PluginSettings, 'Settings'), ...commonErrors } }),
  put: route({
    method: 'put',
    path: '/settings/{plugin}',
    tags,
    access,
    summary: "Replace one plugin's settings",
    description: 'Validated against the plugin schema; secret fields left out keep their stored value.',
    request: { params: PluginParam, ...jsonBody(z.record(z.string(), z.unknown())) },
    responses: { 200: json(PluginSettings, 'Saved'), ...commonErrors },
  }),
  schema: route({ method: 'get', path: '/settings/{plugin}/schema', tags, access, summary: "JSON Schema of one plugin's settings", request: { params: PluginParam }, responses: { 200: json(z.record(z.string(), z.unknown()), 'JSON Schema (draft 2020-12)'), ...commonErrors } }),
}

export function registerSettingsRoutes(app: PluginApp, installed: ReadonlyMap<string, Plugin>, crypto: FieldCrypto): void {
  /** The plugin named in the path, if it has settings and is contracted for this service. */
  const settingsOf = (c: PlatformContext, id: string) => {
    const plugin = installed.get(id)
    if (!plugin?.settings || !isContracted(c.var.tenant.service.contract, id)) throw errors.notFound(`settings of plugin '${id}' for this service`)
    return { plugin, schema: plugin.settings }
  }
  const view = (plugin: Plugin, stored: Record<string, unknown> | null) => {
    const effective = effectiveSettings(plugin.settings!, stored)
    const { values, secretsSet } = redact(effective ?? stored ?? {}, secretKeys(plugin.settings!))
    return { plugin: plugin.id, configured: effective !== null, values, secretsSet }
  }

  app.openapi(routes.list, async (c) => {
    const contracted = [...installed.values()].filter((p) => p.settings && isContracted(c.var.tenant.service.contract, p.id))
    const plugins = await c.var.db.tx(async (tx) => Promise.all(contracted.map(async (p) => view(p, await readStoredSettings(tx, p.id, crypto)))))
    return c.json({ plugins }, 200)
  })

  app.openapi(routes.get, async (c) => {
    const { plugin } = settingsOf(c, c.req.valid('param').plugin)
    return c.json(view(plugin, await c.var.db.tx((tx) => readStoredSettings(tx, plugin.id, crypto))), 200)
  })

  app.openapi(routes.put, async (c) => {
    const { plugin, schema } = settingsOf(c, c.req.valid('param').plugin)
    const saved = await c.var.db.tx(async (tx) => {
      const stored = (await readStoredSettings(tx, plugin.id, crypto)) ?? {}
      const secrets = secretKeys(schema)
      const parsed = schema.strict().safeParse(keepSecrets(c.req.valid('json'), stored, secrets))
      if (!parsed.success) throw errors.invalid(zodIssues(parsed.error, 'body'))
      const next = parsed.data as Record<string, unknown>
      await writeSettings(tx, plugin.id, next, secrets, crypto)
      // Secrets never reach the trail: only which of them are set, before and after.
      await recordAudit(tx, requestActor(c), { action: 'settings.updated', target: { type: 'plugin-settings', id: plugin.id }, before: redact(stored, secrets), after: redact(next, secrets) })
      return next
    })
    plugin.onSettingsSaved?.({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id })
    return c.json(view(plugin, saved), 200)
  })

  app.openapi(routes.schema, (c) => {
    const { schema } = settingsOf(c, c.req.valid('param').plugin)
    return c.json(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, 200)
  })
}
