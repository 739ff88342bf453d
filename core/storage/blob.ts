/**
 * Files (C14): attachments and help-center assets live in a blob store behind this interface.
 * Keys are chosen by the platform and scoped per tenant; drivers never see a tenant's key
 * outside its scope. Limits are checked before anything is written.
 *
 * One upload policy for every way in (API uploads, vendor-compatible uploads, mail): the type
 * stored is the one the content's own signature shows (storage/file-types.ts), never the type the
 * sender declared or the file's name, and content outside the policy's list is refused. What is
 * stored is then served by http/file-response.ts, which decides what a browser may show inline.
 */
import { OcError } from '../http/errors.ts'
import type { TenantScope } from './db.ts'
import type { BlobInfo, BlobPolicy, StoredBlob, TenantBlobs, UploadVerdict } from '../api/blobs.ts'
import { detectFileType, OOXML } from './file-types.ts'

export type { BlobInfo, BlobPolicy, StoredBlob, TenantBlobs, UploadVerdict } from '../api/blobs.ts'

/** A driver: local disk, the database, or an S3-compatible store. */
export interface BlobStore {
  readonly driver: string
  put(scope: TenantScope, key: string, body: Uint8Array, contentType: string): Promise<BlobInfo>
  get(scope: TenantScope, key: string): Promise<StoredBlob | null>
  delete(scope: TenantScope, key: string): Promise<boolean>
}

/**
 * The files a help desk takes from customers and agents: raster images, PDF, audio and video,
 * plain text and CSV (UTF-8), ZIP and 7z, Word, Excel, PowerPoint (97 and 2007+) and HWP/HWPX.
 * SVG and HTML are not among them: they are text, so they are stored as `text/plain`.
 */
export const DOCUMENT_TYPES: readonly string[] = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff', 'image/heic', 'image/avif',
  'audio/*', 'video/*', 'application/pdf', 'text/plain', 'text/csv',
  'application/zip', 'application/x-7z-compressed', OOXML.word, OOXML.excel, OOXML.powerpoint, 'application/hwp+zip',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-hwp',
]

/**
 * Checks a file against a policy without storing it (mail intake turns a refusal into a note).
 * @example const verdict = inspectUpload(bytes, 'image/png', policy) // { ok: true, contentType: 'image/png' }
 */
export function inspectUpload(body: Uint8Array, declaredType: string | undefined, policy: BlobPolicy): UploadVerdict {
  if (body.byteLength > policy.maxBytes) return { ok: false, status: 413, reason: `the file has ${body.byteLength} bytes; the limit is ${policy.maxBytes} bytes` }
  const detected = detectFileType(body, declaredType)
  const allowed = policy.allowedTypes
  if (!allowed) return { ok: true, contentType: detected ?? 'application/octet-stream' }
  const essence = detected?.split(';')[0]
  if (essence && allowed.some((t) => (t.endsWith('/*') ? essence.startsWith(t.slice(0, -1)) : essence === t))) return { ok: true, contentType: detected! }
  return { ok: false, status: 415, reason: essence ? `its content is ${essence}, which is not accepted` : 'its content is not a file type accepted here', accepted: allowed }
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

/** Refuses keys that could escape a tenant's folder or bucket prefix. */
export function assertBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new OcError('OC_BAD_REQUEST', `blob key '${key}' is not valid: use letters, digits, '.', '_' and '-'`)
}

/** Checks an upload against a policy; returns the type to store, or throws 413 or 415 naming the field and the limit. */
export function checkBlobPolicy(body: Uint8Array, declaredType: string | undefined, policy: BlobPolicy, field = 'body'): string {
  const verdict = inspectUpload(body, declaredType, policy)
  if (verdict.ok) return verdict.contentType
  const [code, issue] = verdict.status === 413 ? (['OC_PAYLOAD_TOO_LARGE', 'too_big'] as const) : (['OC_UNSUPPORTED_MEDIA_TYPE', 'unsupported_type'] as const)
  // The type is read from the bytes, so say so: renaming the file or declaring another type does not help.
  const message = verdict.accepted ? `${verdict.reason} (types are read from the file's bytes, not its name or declared type); accepted: ${verdict.accepted.join(', ')}` : verdict.reason
  throw new OcError(code, `${field}: ${message}`, { issues: [{ path: field, message, code: issue }] })
}

export function bindBlobs(store: BlobStore, scope: TenantScope, defaults: BlobPolicy): TenantBlobs {
  return {
    async put(body, declaredType, policy = defaults, field) {
      return store.put(scope, crypto.randomUUID(), body, checkBlobPolicy(body, declaredType, policy, field))
    },
    get: (key) => (KEY_PATTERN.test(key) ? store.get(scope, key) : Promise.resolve(null)),
    delete: (key) => (KEY_PATTERN.test(key) ? store.delete(scope, key) : Promise.resolve(false)),
  }
}
