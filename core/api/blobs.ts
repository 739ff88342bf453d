/**
 * Files as plugins handle them: one tenant's blobs (`c.var.blobs`, `ctx.blobs.forTenant(scope)`),
 * what is stored, and the upload policy and its verdicts. The stores and the policy checks are
 * in storage/blob.ts.
 */

export interface BlobInfo {
  key: string
  contentType: string
  size: number
}

export interface StoredBlob extends BlobInfo {
  body: Uint8Array
}

/**
 * Size and type limits of an upload. `allowedTypes` lists the types the content may be (as
 * detected from its bytes); entries may end in `/*`. Without it any content is stored, typed
 * `application/octet-stream` when no signature matches.
 */
export interface BlobPolicy {
  maxBytes: number
  allowedTypes?: readonly string[]
}

/** What the upload policy says of a file: the type to store it as, or why it is refused (413 or 415). */
export type UploadVerdict = { ok: true; contentType: string } | { ok: false; status: 413 | 415; reason: string; accepted?: readonly string[] }

/** A store bound to the tenant of the current request, with the platform's default policy. */
export interface TenantBlobs {
  /**
   * Stores a file under the policy; the stored `contentType` is the detected one (`declaredType`
   * only tells text/csv from text/plain). Refusals are 413/415 with an issue at `field` (default `body`).
   */
  put(body: Uint8Array, declaredType: string | undefined, policy?: BlobPolicy, field?: string): Promise<BlobInfo>
  get(key: string): Promise<StoredBlob | null>
  delete(key: string): Promise<boolean>
}
