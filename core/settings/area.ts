/** The settings area: per-service plugin settings over the API (C9). */
import type { CoreAreaFactory } from '../area.ts'
import type { FieldCrypto } from '../api/crypto.ts'
import type { Db } from '../storage/db.ts'
import { rotateColumn, unopenedSummary } from '../crypto/rotate.ts'
import { registerSettingsRoutes } from './routes.ts'

export const settingsArea: CoreAreaFactory = ({ installed, crypto }) => ({
  id: 'settings',
  serviceRoutes: (app) => registerSettingsRoutes(app, installed, crypto),
  jobs: [
    {
      // Re-seals settings secrets after a master key is added; a cheap query when nothing is old.
      id: 'rotate-settings-secrets',
      cron: '*/10 * * * *',
      keyRotation: true,
      async run(ctx, tick) {
        if (!crypto.configured) return
        const { rotated, failed, failures } = await rotateSettingsSecrets(ctx.db, crypto, tick.signal)
        if (rotated || failed) ctx.log.info('settings secrets rotated', { rotated, failed, failures })
        return `re-sealed the secrets of ${rotated} plugin settings${unopenedSummary(failed, failures, (f) => `plugin ${String(f.key[1])} (service ${String(f.key[0])}): ${f.code}`)}`
      },
    },
  ],
})

/** Re-seals every service's settings secrets still under an older master-key version. */
export function rotateSettingsSecrets(db: Db, crypto: FieldCrypto, signal?: AbortSignal) {
  return rotateColumn(db, { table: 'oc_plugin_settings', column: 'sealed_secrets', keyColumns: ['service_id', 'plugin_id'], context: (row) => `settings:${String(row.plugin_id)}`, signal }, crypto)
}
