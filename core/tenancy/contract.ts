/**
 * Contracts (C2): which installed plugins, and which of their features, a service has.
 * Validation names each wrong field: an unknown plugin, a feature the plugin does not have,
 * a feature value of the wrong type, a plugin contracted without the plugins it depends on.
 */
import { z } from 'zod'
import type { Plugin } from '../api/define.ts'
import { errors, type FieldIssue } from '../http/errors.ts'
import { zodIssues } from '../http/validation.ts'
import type { Contract } from './types.ts'

/** The wire shape; per-plugin features are checked against each plugin's own schema below. */
export const ContractInput = z
  .strictObject({
    plugins: z.record(z.string(), z.strictObject({ features: z.record(z.string(), z.unknown()).optional() })),
  })
  .meta({ id: 'ContractInput' })

export type ContractInput = z.infer<typeof ContractInput>

/** Checks a contract against the installed plugins; returns it with feature defaults applied. */
export function normalizeContract(input: ContractInput, installed: ReadonlyMap<string, Plugin>): Contract {
  const issues: FieldIssue[] = []
  const plugins: Contract['plugins'] = {}
  for (const [id, entry] of Object.entries(input.plugins)) {
    const path = `body.plugins.${id}`
    const plugin = installed.get(id)
    if (!plugin) {
      issues.push({ path, message: `no plugin '${id}' is installed; installed: ${[...installed.keys()].join(', ') || 'none'}`, code: 'unknown_plugin' })
      continue
    }
    for (const dep of plugin.dependsOn ?? []) {
      if (!(dep in input.plugins)) issues.push({ path, message: `plugin '${id}' needs '${dep}' in the same contract`, code: 'dependency_missing' })
    }
    const features = z.strictObject({ ...(plugin.contract?.features ?? {}) }).safeParse(entry.features ?? {})
    if (features.success) plugins[id] = { features: features.data }
    else issues.push(...zodIssues(features.error, `${path}.features`))
  }
  if (issues.length) throw errors.invalid(issues)
  return { plugins }
}

export const isContracted = (contract: Contract, pluginId: string): boolean => Object.hasOwn(contract.plugins, pluginId)
