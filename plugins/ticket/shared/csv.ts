/**
 * CSV documents as spreadsheet programs open them: RFC 4180 (CRLF line ends, a field quoted when
 * it holds a quote, comma, CR or LF, quotes doubled) in UTF-8 with a byte-order mark, without
 * which Excel reads UTF-8 as the local code page and breaks Korean text.
 */

const BYTE_ORDER_MARK = '\uFEFF'

export type CsvCell = string | number | boolean | null

function csvField(cell: CsvCell): string {
  const text = cell === null ? '' : String(cell)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The whole document as UTF-8 bytes: BOM, header row, then one line per row, each ending in CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Uint8Array {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n')
  return new TextEncoder().encode(BYTE_ORDER_MARK + lines.join(''))
}
