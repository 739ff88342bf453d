/**
 * What a file is, read from its own bytes (magic numbers), never from the type a client declares
 * or the file's name: both are chosen by the sender, and a browser trusts the type we serve. Pure;
 * every upload path goes through {@link detectFileType} (storage/blob.ts, `inspectUpload`).
 *
 * Recognised: raster images (PNG, JPEG, GIF, WebP, BMP, TIFF, HEIC, AVIF), PDF, audio and video
 * containers (MP3, AAC, WAV, OGG, FLAC, AMR, MP4/M4A/3GP, QuickTime, AVI, WebM/Matroska), ZIP and
 * the formats built on it (Word, Excel and PowerPoint 2007+, HWPX), 7z, the OLE2 compound files
 * of Word 97, Excel 97, PowerPoint 97 and HWP 5, and text (valid UTF-8 without NUL or other binary control bytes). Markup (HTML,
 * SVG, XML) has no signature of its own: it is text, so it is stored and served as `text/plain`,
 * which a browser shows and never runs.
 */

const ascii = (bytes: Uint8Array, at: number, text: string) => {
  if (bytes.byteLength < at + text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false
  return true
}
const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b)
const u16 = (bytes: Uint8Array, at: number) => (at + 2 <= bytes.byteLength ? bytes[at]! | (bytes[at + 1]! << 8) : -1)
const u32 = (bytes: Uint8Array, at: number) => (at + 4 <= bytes.byteLength ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0 : -1)

export const OOXML = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  excel: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  powerpoint: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const

/**
 * The media type the content is, or null when it matches no known signature and is not text.
 * `declared` only chooses between equivalent readings of text (`text/csv` when declared so,
 * `text/plain` otherwise); it never makes content something it is not.
 */
export function detectFileType(bytes: Uint8Array, declared?: string): string | null {
  if (bytes.byteLength === 0) return null
  return binaryType(bytes) ?? textType(bytes, declared)
}

function binaryType(b: Uint8Array): string | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif'
  if (ascii(b, 0, 'RIFF')) {
    if (ascii(b, 8, 'WEBP')) return 'image/webp'
    if (ascii(b, 8, 'WAVE')) return 'audio/wav'
    if (ascii(b, 8, 'AVI ')) return 'video/x-msvideo'
  }
  // "BM" alone is too short (text can start so): the reserved words are zero and the DIB header has a known size.
  if (ascii(b, 0, 'BM') && u32(b, 6) === 0 && [12, 40, 52, 56, 64, 108, 124].includes(u32(b, 14))) return 'image/bmp'
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff'
  if (ascii(b, 0, '%PDF-')) return 'application/pdf'
  if (ascii(b, 4, 'ftyp')) return isoMediaType(b)
  if (['moov', 'mdat', 'wide'].some((atom) => ascii(b, 4, atom))) return 'video/quicktime'
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return includesAscii(b.subarray(0, 64), 'webm') ? 'video/webm' : 'video/x-matroska'
  if (ascii(b, 0, 'OggS')) return 'audio/ogg'
  if (ascii(b, 0, 'fLaC')) return 'audio/flac'
  if (ascii(b, 0, '#!AMR')) return 'audio/amr'
  if (ascii(b, 0, 'ID3')) return 'audio/mpeg'
  // An MPEG audio frame: 11 sync bits; layer bits 00 are AAC in ADTS, else MP1-3.
  if (b.byteLength >= 4 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[2]! & 0xf0) !== 0xf0) return (b[1]! & 0x06) === 0 ? 'audio/aac' : 'audio/mpeg'
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return zipType(b)
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'application/x-7z-compressed'
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundFileType(b)
  return null
}

function includesAscii(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i + text.length <= bytes.byteLength; i++) if (ascii(bytes, i, text)) return true
  return false
}

/** ISO base media files: the major brand names the format. */
function isoMediaType(b: Uint8Array): string {
  const brand = String.fromCharCode(...b.subarray(8, 12))
  if (brand === 'qt  ') return 'video/quicktime'
  if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4'
  if (brand.startsWith('3g')) return 'video/3gpp'
  if (brand === 'avif' || brand === 'avis') return 'image/avif'
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic'
  return 'video/mp4'
}

/** ZIP: the Office formats by their main part, HWPX by its `mimetype` entry; any other archive stays `application/zip`. */
function zipType(b: Uint8Array): string {
  const names = zipEntryNames(b)
  if (names.has('word/document.xml')) return OOXML.word
  if (names.has('xl/workbook.xml')) return OOXML.excel
  if (names.has('ppt/presentation.xml')) return OOXML.powerpoint
  // OCF containers (HWPX, like ODF and EPUB) store `mimetype` first and uncompressed.
  const nameLength = u16(b, 26)
  if (u16(b, 8) === 0 && nameLength === 8 && ascii(b, 30, 'mimetype') && ascii(b, 30 + 8 + u16(b, 28), 'application/hwp+zip')) return 'application/hwp+zip'
  return 'application/zip'
}

/** The entry names of the central directory (found through the end record), or none when it cannot be read. */
function zipEntryNames(b: Uint8Array): Set<string> {
  const names = new Set<string>()
  let end = -1
  for (let i = b.byteLength - 22; i >= Math.max(0, b.byteLength - 22 - 0xffff); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      end = i
      break
    }
  }
  if (end < 0) return names
  const decoder = new TextDecoder()
  let at = u32(b, end + 16)
  for (let n = u16(b, end + 10); n > 0 && at >= 0 && u32(b, at) === 0x02014b50; n--) {
    const nameLength = u16(b, at + 28)
    names.add(decoder.decode(b.subarray(at + 46, at + 46 + nameLength)))
    at += 46 + nameLength + u16(b, at + 30) + u16(b, at + 32)
  }
  return names
}

/** OLE2 compound files: the streams in the directory name the application. Unknown ones are refused (null). */
function compoundFileType(b: Uint8Array): string | null {
  const names = compoundStreamNames(b)
  if (names.has('WordDocument')) return 'application/msword'
  if (names.has('Workbook') || names.has('Book')) return 'application/vnd.ms-excel'
  if (names.has('PowerPoint Document')) return 'application/vnd.ms-powerpoint'
  if (names.has('FileHeader') && names.has('BodyText')) return 'application/x-hwp'
  return null
}

/** Walks the directory sector chain through the FAT (the first 109 FAT sectors, listed in the header). */
function compoundStreamNames(b: Uint8Array): Set<string> {
  const names = new Set<string>()
  const shift = u16(b, 0x1e)
  if (shift !== 9 && shift !== 12) return names
  const size = 1 << shift
  const offset = (sector: number) => (sector + 1) * size
  const perFatSector = size / 4
  const next = (sector: number) => {
    const fatSector = u32(b, 0x4c + Math.floor(sector / perFatSector) * 4)
    return fatSector < 0 || fatSector >= 0xfffffffa ? -1 : u32(b, offset(fatSector) + (sector % perFatSector) * 4)
  }
  let sector = u32(b, 0x30)
  for (let hops = 0; sector >= 0 && sector < 0xfffffffa && hops < 4096 && offset(sector) + size <= b.byteLength; hops++) {
    for (let entry = offset(sector); entry < offset(sector) + size; entry += 128) {
      const length = u16(b, entry + 64)
      if (length < 2 || length > 64) continue
      let name = ''
      for (let i = 0; i < length - 2; i += 2) name += String.fromCharCode(u16(b, entry + i))
      names.add(name)
    }
    sector = next(sector)
  }
  return names
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text has no C0 controls but TAB, LF, VT, FF, CR and ESC: NUL or SOH-BS mean a binary file (an executable's header can be valid UTF-8). */
const binaryByte = (b: number) => b <= 0x08 || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)

function textType(bytes: Uint8Array, declared: string | undefined): string | null {
  if (bytes.some(binaryByte)) return null
  try {
    utf8.decode(bytes)
  } catch {
    return null
  }
  const essence = declared?.split(';')[0]!.trim().toLowerCase()
  return `${essence === 'text/csv' ? 'text/csv' : 'text/plain'}; charset=utf-8`
}

// RFC 9110 token characters; a type is `token/token`, each parameter `token=token` or a quoted string.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
const ESSENCE = new RegExp(`^(${TOKEN})/(${TOKEN})$`)
const CHARSET = new RegExp(`;\\s*charset\\s*=\\s*"?(${TOKEN})"?\\s*(?:;|$)`, 'i')

/** Why a declared content type cannot be taken (a control character, e.g. CR/LF), or null. */
export function contentTypeProblem(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'contains a control character (such as CR or LF); send one media type such as image/png'
  return null
}

/**
 * A stored type in its one form: the essence in lower case, and for text only a `charset`
 * parameter (lower case). Null when it is not `type/subtype` or holds control characters, so
 * a caller can refuse it (input) or fall back to `application/octet-stream` (stored rows).
 */
export function normalizeContentType(value: string): string | null {
  if (contentTypeProblem(value)) return null
  const [head, ...rest] = value.split(';')
  const match = ESSENCE.exec(head!.trim())
  if (!match) return null
  const essence = `${match[1]}/${match[2]}`.toLowerCase()
  const charset = essence.startsWith('text/') && rest.length ? CHARSET.exec(`;${rest.join(';')}`)?.[1] : undefined
  return charset ? `${essence}; charset=${charset.toLowerCase()}` : essence
}
