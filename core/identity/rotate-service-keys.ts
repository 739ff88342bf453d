/**
 * Key rotation of sealed service keys (C16, S3): re-seals every key still under an older
 * master-key version, across every tenant, beside live traffic (see `rotateColumn`). Opened
 * keys cached for signature checks stay valid: the key itself does not change, only its seal.
 */
import type { FieldCrypto } from '../api/crypto.ts'
import { rotateColumn, type RotationResult } from '../crypto/rotate.ts'
import type { Db } from '../storage/db.ts'
import { serviceKeyContext } from './service-keys.ts'

export function rotateServiceKeySeals(db: Db, crypto: FieldCrypto, signal?: AbortSignal): Promise<RotationResult> {
  return rotateColumn(db, { table: 'oc_service_keys', column: 'sealed_key', keyColumns: ['service_id', 'id'], context: (row) => serviceKeyContext(String(row.id)), signal }, crypto)
}
