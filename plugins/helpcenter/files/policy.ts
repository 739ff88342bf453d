/**
 * What the help center's file manager takes (W3), read from the bytes, never the name: raster
 * images and UTF-8 text, 5 MiB at most. Text is stored as `text/plain`; a text file named `.css`
 * or `.js` is served as a stylesheet or script (themes link them), any other text (SVG and HTML
 * included) stays `text/plain` and is always downloaded as an attachment, never shown inline.
 */
import type { BlobPolicy } from '../../../core/mod.ts'

export const FILE_POLICY: BlobPolicy = {
  maxBytes: 5 * 1024 * 1024,
  allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'text/plain'],
}

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp'])

/** The type a stored file is served as: the detected one, except text that its name says is CSS or JavaScript. */
export function servedType(storedType: string, fileName: string): string {
  if (!storedType.startsWith('text/plain')) return storedType
  if (/\.css$/i.test(fileName)) return 'text/css; charset=utf-8'
  if (/\.m?js$/i.test(fileName)) return 'text/javascript; charset=utf-8'
  return storedType
}

/** Only images are shown in the page; everything else is an attachment. */
export const servedInline = (storedType: string) => INLINE_IMAGES.has(storedType.split(';')[0]!)
