/**
 * Small real files for upload tests, built byte by byte: each starts with its format's signature
 * and carries the structure the core's type detection reads (a ZIP's central directory, an OLE2
 * compound file's directory), plus the hostile documents (HTML and SVG with script).
 */

/** A 1×1 red PNG. */
export const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'))
export const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1])
export const GIF = new TextEncoder().encode('GIF89a\x01\x00\x01\x00')
export const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
export const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])

/** A page whose script calls the test's hook (`window.__ocScriptRan`) and, failing that, alerts and logs. */
export const SCRIPT_HTML = new TextEncoder().encode('<!doctype html><html><body><h1>hi</h1><script>window.__ocScriptRan && window.__ocScriptRan("html"); console.log("OC-SCRIPT-RAN"); alert("OC-SCRIPT-RAN")</script><img src=x onerror="window.__ocScriptRan && window.__ocScriptRan(\'onerror\')"></body></html>')
export const SCRIPT_SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__ocScriptRan &amp;&amp; window.__ocScriptRan(\'svg-onload\')"><script>window.__ocScriptRan &amp;&amp; window.__ocScriptRan("svg"); console.log("OC-SCRIPT-RAN")</script><rect width="10" height="10"/></svg>')

const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff]
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]

/** A ZIP of stored (uncompressed) entries, in order, with its central directory. */
export function zip(entries: readonly [name: string, content: string][]): Uint8Array {
  const encoder = new TextEncoder()
  const local: number[] = []
  const central: number[] = []
  for (const [name, content] of entries) {
    const n = [...encoder.encode(name)]
    const data = [...encoder.encode(content)]
    const offset = local.length
    local.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(data.length), ...u32(data.length), ...u16(n.length), ...u16(0), ...n, ...data)
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(data.length), ...u32(data.length), ...u16(n.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...n)
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(central.length), ...u32(local.length), ...u16(0)]
  return Uint8Array.from([...local, ...central, ...end])
}

/** An OLE2 compound file (512-byte sectors) whose directory lists these stream names. */
export function compoundFile(streams: readonly string[]): Uint8Array {
  const sector = 512
  const names = ['Root Entry', ...streams]
  const directorySectors = Math.ceil(names.length / 4)
  const file = new Uint8Array(sector * (2 + directorySectors))
  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
  file.set(u16(0x3e), 0x18)
  file.set(u16(3), 0x1a)
  file.set(u16(0xfffe), 0x1c)
  file.set(u16(9), 0x1e)
  file.set(u16(6), 0x20)
  file.set(u32(1), 0x2c) // one FAT sector
  file.set(u32(1), 0x30) // the directory starts at sector 1
  file.set(u32(0xfffffffe), 0x3c)
  file.set(u32(0xfffffffe), 0x44)
  for (let i = 0; i < 109; i++) file.set(u32(i === 0 ? 0 : 0xffffffff), 0x4c + i * 4)
  // FAT (sector 0): itself, then the directory chain 1 → 2 → … → end.
  const fat = sector
  file.set(u32(0xfffffffd), fat)
  for (let s = 1; s <= directorySectors; s++) file.set(u32(s === directorySectors ? 0xfffffffe : s + 1), fat + s * 4)
  for (let s = directorySectors + 1; s < 128; s++) file.set(u32(0xffffffff), fat + s * 4)
  names.forEach((name, i) => {
    const at = sector * 2 + i * 128
    for (let c = 0; c < name.length; c++) file.set(u16(name.charCodeAt(c)), at + c * 2)
    file.set(u16((name.length + 1) * 2), at + 64)
    file[at + 66] = i === 0 ? 5 : 2
  })
  return file
}
