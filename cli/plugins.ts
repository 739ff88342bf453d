/**
 * Which plugins a command runs with: the first-party ones plus any third-party modules named
 * by `--plugin <path>` or `OC_PLUGINS` (comma-separated). Each module's default export is a plugin.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from '../core/mod.ts'
import { firstPartyPlugins } from '../plugins/index.ts'

export async function loadPlugins(paths: readonly string[], env: Record<string, string | undefined>): Promise<Plugin[]> {
  const named = [...paths, ...(env.OC_PLUGINS ?? '').split(',')].map((p) => p.trim()).filter(Boolean)
  const extra: Plugin[] = []
  for (const path of named) {
    const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: Plugin }
    if (!module.default?.__ocPlugin) throw new Error(`${path} has no default export made with definePlugin()`)
    extra.push(module.default)
  }
  return [...firstPartyPlugins, ...extra]
}
