/**
 * Per-agent settings that plugins declare (`agentSettings`): an assignment switch, a cap of open
 * work, anything a plugin keeps per agent. The core stores them in `oc_agents.plugin_settings`,
 * one object per plugin, and knows none of them by name: each plugin's zod schema validates its
 * part, gives the defaults and documents it in the agent API.
 */
import { z } from '@hono/zod-openapi'
import { errors } from '../http/errors.ts'
import { PluginError } from '../api/errors.ts'
import { zodIssues } from '../http/validation.ts'

import type { AgentSettings } from '../api/services.ts'

export type { AgentSettings }

interface AgentSettingsSource {
  readonly id: string
  readonly agentSettings?: z.ZodObject
}

export interface AgentSettingsCatalogue {
  /** The `settings` of an agent view: each installed plugin's values, defaults applied. */
  readonly view: z.ZodType<AgentSettings>
  /** What a create or change may send: per plugin, any of its settings (no defaults filled in). */
  readonly input: z.ZodType<Record<string, Record<string, unknown>> | undefined>
  /** Stored values with every plugin's defaults applied; a value its plugin's schema no longer takes reads as the default. */
  resolve(stored: unknown): AgentSettings
  /** `stored` with `change` applied, each plugin's part validated whole; 422 naming `body.settings.<plugin>.<setting>`. */
  merge(stored: unknown, change: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined): AgentSettings
}

/** Builds the catalogue from the installed plugins; every setting must have a default (checked here, at start). */
export function agentSettingsCatalogue(plugins: readonly AgentSettingsSource[]): AgentSettingsCatalogue {
  const schemas = new Map<string, z.ZodObject>()
  for (const plugin of plugins) {
    if (!plugin.agentSettings) continue
    if (!plugin.agentSettings.safeParse({}).success) {
      throw new PluginError('OC_PLUGIN_AGENT_SETTINGS', plugin.id, 'declares agentSettings that an empty object does not satisfy: give every setting a .default(...)')
    }
    schemas.set(plugin.id, plugin.agentSettings)
  }
  const partOf = (stored: unknown, id: string): Record<string, unknown> => {
    const part = stored && typeof stored === 'object' ? (stored as Record<string, unknown>)[id] : undefined
    return part && typeof part === 'object' ? (part as Record<string, unknown>) : {}
  }
  const withoutDefaults = (schema: z.ZodObject) =>
    z.strictObject(Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()])))

  const resolve = (stored: unknown): AgentSettings =>
    Object.fromEntries([...schemas].map(([id, schema]) => {
      const parsed = schema.safeParse(partOf(stored, id))
      return [id, parsed.success ? parsed.data : schema.parse({})]
    }))

  return {
    view: z.object(Object.fromEntries(schemas)).openapi({ description: "Each plugin's per-agent settings (its `agentSettings`), defaults applied" }) as never,
    input: z
      .strictObject(Object.fromEntries([...schemas].map(([id, schema]) => [id, withoutDefaults(schema).optional()])))
      .optional()
      .openapi({ description: "Per plugin, the per-agent settings to set; others keep their value" }) as never,
    resolve,
    merge(stored, change) {
      const current = resolve(stored)
      return Object.fromEntries([...schemas].map(([id, schema]) => {
        const parsed = schema.safeParse({ ...current[id], ...change?.[id] })
        if (!parsed.success) throw errors.invalid(zodIssues(parsed.error, `body.settings.${id}`))
        return [id, parsed.data]
      }))
    },
  }
}
