/**
 * IP addresses and CIDR ranges (IPv4, IPv6, IPv4-mapped IPv6) for the Open API allowlist and
 * the trusted-proxy list. Written here rather than taken from a package so that it runs the
 * same on Node, Deno and Workers and so that its rules are ours: strict parsing (no octal or
 * shortened IPv4, no host bits set in a range), and an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is the IPv4 address it carries, in addresses and in ranges alike.
 */

export interface IpAddress {
  readonly version: 4 | 6
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array
}

export interface CidrRange extends IpAddress {
  /** Leading bits that must match: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number
}

const IPV4_PART = /^(?:0|[1-9]\d{0,2})$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/i

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  const bytes = new Uint8Array(4)
  for (const [i, part] of parts.entries()) {
    // Leading zeros are refused: some stacks read `010` as octal 8, so it has no single meaning.
    if (!IPV4_PART.test(part)) return null
    const value = Number(part)
    if (value > 255) return null
    bytes[i] = value
  }
  return bytes
}

function parseIpv6(text: string): Uint8Array | null {
  if (text.length > 45) return null
  let head = text
  let tail4: Uint8Array | null = null
  // An embedded IPv4 tail (`::ffff:192.0.2.1`, `64:ff9b::10.0.0.1`) fills the last two groups.
  const lastColon = text.lastIndexOf(':')
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseIpv4(text.slice(lastColon + 1))
    if (!tail4) return null
    head = text.slice(0, lastColon + 1)
    head = head.endsWith('::') ? head : head.slice(0, -1)
  }
  const groupsWanted = tail4 ? 6 : 8
  const halves = head.split('::')
  if (halves.length > 2) return null
  const split = (part: string) => (part === '' ? [] : part.split(':'))
  const left = split(halves[0]!)
  const right = halves.length === 2 ? split(halves[1]!) : []
  if (![...left, ...right].every((g) => HEX_GROUP.test(g))) return null
  const present = left.length + right.length
  if (halves.length === 2 ? present > groupsWanted - 1 : present !== groupsWanted) return null
  const groups = [...left, ...Array<string>(groupsWanted - present).fill('0'), ...right]
  const bytes = new Uint8Array(16)
  for (const [i, group] of groups.entries()) {
    const value = parseInt(group, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  }
  if (tail4) bytes.set(tail4, 12)
  return bytes
}

/** True for `::ffff:a.b.c.d`, the IPv6 form of an IPv4 address on dual-stack sockets. */
function isIpv4Mapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
}

/**
 * Parses an address; IPv4-mapped IPv6 becomes IPv4. A zone (`fe80::1%eth0`) is dropped: it names
 * an interface of this host, not a different peer. Returns null for anything else.
 */
export function parseIp(text: string): IpAddress | null {
  const trimmed = text.trim()
  if (trimmed.includes(':')) {
    const bytes = parseIpv6(trimmed.replace(/%[\w.-]+$/, ''))
    if (!bytes) return null
    return isIpv4Mapped(bytes) ? { version: 4, bytes: bytes.slice(12) } : { version: 6, bytes }
  }
  const bytes = parseIpv4(trimmed)
  return bytes ? { version: 4, bytes } : null
}

export type CidrParse = { ok: true; range: CidrRange } | { ok: false; reason: string }

/**
 * Parses `address/prefix` or a bare address (a single host). Refuses host bits set below the
 * prefix (`10.0.0.1/8`), naming the range that was probably meant.
 */
export function parseCidr(text: string): CidrParse {
  const trimmed = text.trim()
  const slash = trimmed.indexOf('/')
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash)
  if (addressText.includes('%')) return { ok: false, reason: `'${text}' has an interface zone; ranges cannot name one` }
  const raw = addressText.includes(':') ? parseIpv6(addressText) : parseIpv4(addressText)
  if (!raw) return { ok: false, reason: `'${addressText}' is not an IPv4 or IPv6 address` }
  const width = raw.length * 8
  let prefix = width
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1)
    if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > width) {
      return { ok: false, reason: `'/${prefixText}' is not a prefix length for this address; use 0–${width}` }
    }
    prefix = Number(prefixText)
  }
  let range: CidrRange = { version: raw.length === 4 ? 4 : 6, bytes: raw, prefix }
  // `::ffff:10.0.0.0/104` is the IPv4 range 10.0.0.0/8; addresses are matched in IPv4 form.
  if (range.version === 6 && prefix >= 96 && isIpv4Mapped(raw)) range = { version: 4, bytes: raw.slice(12), prefix: prefix - 96 }
  const masked = maskTo(range.bytes, range.prefix)
  if (!sameBytes(masked, range.bytes)) {
    const suggestion = formatCidr({ ...range, bytes: masked })
    return { ok: false, reason: `'${text}' has host bits set below /${prefix}; did you mean ${suggestion}?` }
  }
  return { ok: true, range }
}

function maskTo(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8))
    out[i] = bytes[i]! & ((0xff << (8 - bits)) & 0xff)
  }
  return out
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** Whether the address lies in the range; IPv4 and IPv6 never match each other. */
export function cidrContains(range: CidrRange, address: IpAddress): boolean {
  if (range.version !== address.version) return false
  return sameBytes(maskTo(address.bytes, range.prefix), range.bytes)
}

/** True when any range contains the address. */
export function anyContains(ranges: readonly CidrRange[], address: IpAddress): boolean {
  return ranges.some((range) => cidrContains(range, address))
}

/** The canonical text of an address: dotted IPv4, or RFC 5952 IPv6 (lowercase, longest zero run as `::`). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4) return Array.from(address.bytes).join('.')
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push((address.bytes[i]! << 8) | address.bytes[i + 1]!)
  let bestStart = -1
  let bestLength = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength && j - i > 1) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart === -1) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

/** The canonical text of a range, e.g. `10.0.0.0/8`, `2001:db8::/32`. */
export function formatCidr(range: CidrRange): string {
  return `${formatIp(range)}/${range.prefix}`
}
