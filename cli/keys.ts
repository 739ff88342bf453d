/** `opencontact keys`: master keys for field encryption (S3). */
import type { Platform } from '../core/platform.ts'
import { generateMasterKey } from '../core/crypto/keyring.ts'
import { fieldCrypto } from '../core/crypto/tenant-crypto.ts'
import type { Keyring } from '../core/api/crypto.ts'
import type { JobRun } from '../core/jobs/scheduler.ts'

/** What `keys` prints, and whether every re-sealing job finished. */
export interface KeysOutcome {
  readonly text: string
  readonly ok: boolean
}

export async function keysCommand(platform: Platform | undefined, verb: string | undefined, keyring?: Keyring): Promise<KeysOutcome> {
  switch (verb) {
    case 'generate':
      return { ok: true, text: `${generateMasterKey()}\nadd it to OC_MASTER_KEYS with the next version, e.g. OC_MASTER_KEYS="2:<this key>,1:<the current key>"` }
    case 'rotate': {
      const crypto = fieldCrypto(keyring)
      if (!crypto.configured) throw new Error('no master key: set OC_MASTER_KEYS (or OC_MASTER_KEY, OC_MASTER_KEYS_FILE)')
      if (!platform) throw new Error('keys rotate needs the database')
      await platform.migrate()
      // Every job of the core and the installed plugins that keeps something sealed (`keyRotation`), now.
      const runs = await platform.runJobsNow((_key, job) => job.keyRotation === true)
      const line = (run: JobRun) =>
        run.outcome === 'done' ? `${run.key}: ${run.summary ?? 'done'}` : run.outcome === 'failed' ? `${run.key}: failed: ${run.error}` : `${run.key}: running on another instance, which re-seals the rest`
      return { ok: runs.every((run) => run.outcome !== 'failed'), text: `re-sealing under key version ${crypto.current}:\n  ${runs.map(line).join('\n  ')}` }
    }
    default:
      throw new Error('usage: opencontact keys generate | keys rotate')
  }
}
