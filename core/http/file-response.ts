/**
 * The one way a stored file leaves the platform (attachment downloads, vendor-compatible
 * downloads, the help center's files). Files are served on the origin every tenant's console
 * shares, so a file must never become a page of that origin:
 *
 * - inline only for types a browser shows without running anything (PNG, JPEG, GIF, WebP, BMP,
 *   AVIF, PDF, plain text); everything else, SVG and HTML included, is `attachment`;
 * - `X-Content-Type-Options: nosniff`, so the browser keeps to the type we send;
 * - `Content-Security-Policy: sandbox; default-src 'none'`: even if a document were rendered, it
 *   runs in an opaque origin with no script, no subresources and no forms;
 * - `Cross-Origin-Resource-Policy: same-site`, `Referrer-Policy: no-referrer` (the URL carries an
 *   unguessable id) and `Cache-Control: private` (no shared cache keeps a tenant's file);
 * - the file name in an ASCII fallback and RFC 8187 UTF-8, so no name can break the header;
 * - a stored type that is malformed (rows from before types were normalised) is served as
 *   `application/octet-stream`, never a 500.
 */
import { cleanText } from '../text.ts'
import { normalizeContentType } from '../storage/file-types.ts'

export interface ServedFile {
  body: Uint8Array
  /** The stored type; normalised here again, so any stored value is safe to pass. */
  contentType: string
  fileName: string
}

export type FileDisposition = 'inline' | 'attachment'

const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'application/pdf', 'text/plain'])

/** The headers every file response carries, whatever its type. */
export const FILE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cross-origin-resource-policy': 'same-site',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private',
}

/** Whether a browser may be asked to show this (normalised) type inline. */
export function isInlineSafe(contentType: string): boolean {
  return INLINE_TYPES.has(contentType.split(';')[0]!)
}

/**
 * A response serving a stored file. `disposition: 'inline'` is a wish (e.g. the compat API's
 * `type=open`): granted only for {@link isInlineSafe} types.
 * @example return fileResponse({ body: blob.body, contentType: row.content_type, fileName: row.file_name }, { disposition: 'inline' })
 */
export function fileResponse(file: ServedFile, options: { disposition?: FileDisposition } = {}): Response {
  const contentType = normalizeContentType(file.contentType) ?? 'application/octet-stream'
  const disposition = options.disposition === 'inline' && isInlineSafe(contentType) ? 'inline' : 'attachment'
  return new Response(file.body as BodyInit, {
    status: 200,
    headers: {
      ...FILE_RESPONSE_HEADERS,
      'content-type': contentType,
      'content-length': String(file.body.byteLength),
      'content-disposition': contentDisposition(disposition, file.fileName),
    },
  })
}

// RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else is percent-encoded.
const encodeExtValue = (name: string) => Array.from(new TextEncoder().encode(name), (b) => (/[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')

/** `attachment; filename="ascii"; filename*=UTF-8''…`, whatever the stored name holds. */
export function contentDisposition(disposition: FileDisposition, fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const name = cleanText(fileName).replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'file'
  const fallback = name.replace(/[^\x20-\x7e]|["%]/g, '_')
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`
}
