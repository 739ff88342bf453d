/**
 * The platform's lifecycle: migrations, then each area's `start`, each plugin's `onBoot` (in
 * dependency order) and each area's `ready`; on stop the same in reverse, with `quiesce` before
 * plugins shut down and `stop` after. `start` runs once however often it is called.
 */
import type { Plugin } from '../api/define.ts'
import type { PluginContext } from '../api/context.ts'
import { PluginError } from '../api/errors.ts'
import type { CoreArea } from '../area.ts'
import type { Db } from '../storage/db.ts'
import { migrate, type MigrationSet } from '../storage/migrations.ts'
import { coreMigrations } from '../storage/core-migrations.ts'
import type { Logger } from '../log.ts'

export interface LifecycleParts {
  readonly db: Db
  readonly log: Logger
  readonly plugins: readonly Plugin[]
  readonly areas: readonly CoreArea[]
  /** Run pending migrations in `start()` (the `migrateOnStart` option, default true). */
  readonly migrateOnStart: boolean
  readonly contextOf: (plugin: Plugin) => PluginContext
}

export interface Lifecycle {
  /** Applies pending migrations of the core and every plugin; returns their ids. */
  migrate(): Promise<string[]>
  start(): Promise<void>
  /** True once `start()` has finished. */
  readonly started: boolean
  stop(): Promise<void>
}

export function lifecycle(parts: LifecycleParts): Lifecycle {
  const { db, log, plugins, areas, contextOf } = parts
  const migrationSets: MigrationSet[] = [coreMigrations, ...plugins.filter((p) => p.migrations?.length).map((p) => ({ owner: p.id, migrations: p.migrations! }))]
  const runMigrations = () => migrate(db, migrationSets)
  const booted: Plugin[] = []
  const startedAreas: CoreArea[] = []
  let starting: Promise<void> | undefined
  let started = false

  const start = () =>
    (starting ??= (async () => {
      if (parts.migrateOnStart) {
        const applied = await runMigrations()
        if (applied.length) log.info('migrations applied', { applied })
      }
      for (const area of areas) {
        await area.start?.()
        startedAreas.push(area)
      }
      for (const plugin of plugins) {
        try {
          await plugin.onBoot?.(contextOf(plugin))
        } catch (cause) {
          throw new PluginError('OC_PLUGIN_BOOT_FAILED', plugin.id, `failed in onBoot: ${(cause as Error).message}`, cause)
        }
        booted.push(plugin)
      }
      for (const area of areas) await area.ready?.()
      started = true
    })())

  return {
    migrate: runMigrations,
    start,
    get started() {
      return started
    },
    async stop() {
      for (const area of [...startedAreas].reverse()) await area.quiesce?.()
      for (const plugin of booted.reverse()) {
        try {
          await plugin.onShutdown?.(contextOf(plugin))
        } catch (error) {
          log.error('onShutdown failed', { plugin: plugin.id, error })
        }
      }
      booted.length = 0
      for (const area of startedAreas.reverse()) await area.stop?.()
      startedAreas.length = 0
    },
  }
}
