/** `opencontact keys`: master keys for field encryption (S3). */
import type { Platform } from '../core/platform.ts'
import { generateMasterKey } from '../core/crypto/keyring.ts'
import { fieldCrypto } from '../core/crypto/tenant-crypto.ts'
import type { Keyring } from '../core/crypto/keyring.ts'
import { rotateTicketFieldKeys } from '../plugins/ticket/tickets/rotate-keys.ts'
import { rotateServiceKeySeals } from '../core/identity/rotate-service-keys.ts'
import { rotateSettingsSecrets } from '../core/settings/area.ts'

export async function keysCommand(platform: Platform, verb: string | undefined, keyring?: Keyring): Promise<string> {
  switch (verb) {
    case 'generate':
      return `${generateMasterKey()}\nadd it to OC_MASTER_KEYS with the next version, e.g. OC_MASTER_KEYS="2:<this key>,1:<the current key>"`
    case 'rotate': {
      const crypto = fieldCrypto(keyring)
      if (!crypto.configured) throw new Error('no master key: set OC_MASTER_KEYS (or OC_MASTER_KEY, OC_MASTER_KEYS_FILE)')
      await platform.migrate()
      const { rotated, failed } = await rotateTicketFieldKeys(platform.db, crypto)
      const keys = await rotateServiceKeySeals(platform.db, crypto)
      const settings = await rotateSettingsSecrets(platform.db, crypto)
      const failures = [
        ...failed.map((f) => `\n  ticket ${f.ticketId} (service ${f.serviceId}): ${f.error}`),
        ...keys.failures.map((f) => `\n  service key ${String(f.key[1])} (service ${String(f.key[0])}): ${f.code}`),
        ...settings.failures.map((f) => `\n  settings of plugin ${String(f.key[1])} (service ${String(f.key[0])}): ${f.code}`),
      ].join('')
      const unopened = failed.length + keys.failed + settings.failed
      return `re-sealed ${rotated} tickets, ${keys.rotated} service keys and ${settings.rotated} plugin settings under key version ${crypto.current}${unopened ? `; ${unopened} could not be opened:${failures}` : ''}`
    }
    default:
      throw new Error('usage: opencontact keys generate | keys rotate')
  }
}
