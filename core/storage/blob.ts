/**
 * Files (C14): attachments and help-center assets live in a blob store behind this interface.
 * Keys are chosen by the platform and scoped per tenant; drivers never see a tenant's key
 * outside its scope. Limits are checked before anything is written.
 */
import { OcError } from '../http/errors.ts'
import type { TenantScope } from './db.ts'

export interface BlobInfo {
  key: string
  contentType: string
  size: number
}

export interface StoredBlob extends BlobInfo {
  body: Uint8Array
}

/** A driver: local disk, the database, or an S3-compatible store. */
export interface BlobStore {
  readonly driver: string
  put(scope: TenantScope, key: string, body: Uint8Array, contentType: string): Promise<BlobInfo>
  get(scope: TenantScope, key: string): Promise<StoredBlob | null>
  delete(scope: TenantScope, key: string): Promise<boolean>
}

/** Size and type limits of an upload. `allowedTypes` entries may end in `/*`. */
export interface BlobPolicy {
  maxBytes: number
  allowedTypes?: readonly string[]
}

/** A store bound to the tenant of the current request, with the platform's default policy. */
export interface TenantBlobs {
  put(body: Uint8Array, contentType: string, policy?: BlobPolicy): Promise<BlobInfo>
  get(key: string): Promise<StoredBlob | null>
  delete(key: string): Promise<boolean>
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

/** Refuses keys that could escape a tenant's folder or bucket prefix. */
export function assertBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new OcError('OC_BAD_REQUEST', `blob key '${key}' is not valid: use letters, digits, '.', '_' and '-'`)
}

/** Checks an upload against a policy; throws 413 or 415 naming the limit. */
export function checkBlobPolicy(size: number, contentType: string, policy: BlobPolicy): void {
  if (size > policy.maxBytes) {
    throw new OcError('OC_PAYLOAD_TOO_LARGE', `the file has ${size} bytes; the limit is ${policy.maxBytes} bytes`)
  }
  const essence = contentType.split(';')[0]!.trim().toLowerCase()
  const allowed = policy.allowedTypes
  if (allowed && !allowed.some((t) => (t.endsWith('/*') ? essence.startsWith(t.slice(0, -1)) : essence === t))) {
    throw new OcError('OC_UNSUPPORTED_MEDIA_TYPE', `files of type '${essence}' are not accepted; allowed: ${allowed.join(', ')}`)
  }
}

export function bindBlobs(store: BlobStore, scope: TenantScope, defaults: BlobPolicy): TenantBlobs {
  return {
    async put(body, contentType, policy = defaults) {
      checkBlobPolicy(body.byteLength, contentType, policy)
      return store.put(scope, crypto.randomUUID(), body, contentType)
    },
    get: (key) => (KEY_PATTERN.test(key) ? store.get(scope, key) : Promise.resolve(null)),
    delete: (key) => (KEY_PATTERN.test(key) ? store.delete(scope, key) : Promise.resolve(false)),
  }
}
