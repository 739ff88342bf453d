/**
 * Outgoing HTTP (web hooks, callback URLs, vendor APIs): every call the platform makes to a
 * URL a tenant chose goes through here, so a tenant cannot aim the platform at its own
 * network (SSRF). Refused unless an operator allowlist permits them: loopback, private,
 * link-local (cloud metadata at 169.254.169.254), shared (CGNAT), multicast, reserved and
 * documentation ranges, in IPv4 and IPv6, including IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, NAT64, 6to4).
 *
 * Host names are resolved first and every address they resolve to is checked (Node and Deno,
 * through `node:dns`). Workers have no resolver: there only literal addresses and reserved
 * names (`localhost`) are checked, so a public name that points inside is not caught; Cloudflare's
 * own network rules apply instead. Between our lookup and fetch's own, a name could be re-pointed
 * (DNS rebinding); web-standard fetch cannot be pinned to an address, so that window remains.
 * Redirects are never followed: a redirect to a private address would bypass every check.
 */
import { OcError } from './errors.ts'
import type { OutboundGuard } from '../api/outbound.ts'

/** Resolves a host name to its addresses (IPv4 and IPv6 text forms). */
export type HostResolver = (host: string) => Promise<string[]>

export interface OutboundPolicy {
  /**
   * Targets the operator permits despite the rules: IP addresses (`127.0.0.1`, `::1`), CIDR
   * ranges (`10.0.0.0/8`, `fd00::/8`) and host names (`hooks.internal`, matched exactly).
   */
  readonly allowlist?: readonly string[]
  /**
   * Resolves host names before connecting (the runtime's, `RuntimeServices.resolveHost`).
   * Absent or `null`: literal addresses and reserved names only (Workers).
   */
  readonly resolve?: HostResolver | null
}

/** A refused outgoing call; `reason` is one sentence naming the address and the rule. */
export class OutboundRefusedError extends OcError {
  constructor(readonly reason: string) {
    super('OC_OUTBOUND_REFUSED', reason, { status: 422 })
    this.name = 'OutboundRefusedError'
  }
}

type Ip = { readonly version: 4 | 6; readonly bytes: Uint8Array }
interface Range {
  readonly ip: Ip
  readonly prefix: number
}

/** Ranges no tenant may reach, each with the name shown in refusals. */
const BLOCKED: ReadonlyArray<readonly [cidr: string, name: string]> = [
  ['0.0.0.0/8', '"this network" (0.0.0.0/8)'],
  ['10.0.0.0/8', 'private (10.0.0.0/8)'],
  ['100.64.0.0/10', 'shared address space (100.64.0.0/10)'],
  ['127.0.0.0/8', 'loopback (127.0.0.0/8)'],
  ['169.254.0.0/16', 'link-local (169.254.0.0/16)'],
  ['172.16.0.0/12', 'private (172.16.0.0/12)'],
  ['192.0.0.0/24', 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0/24', 'documentation (192.0.2.0/24)'],
  ['192.88.99.0/24', '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0/16', 'private (192.168.0.0/16)'],
  ['198.18.0.0/15', 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0/24', 'documentation (198.51.100.0/24)'],
  ['203.0.113.0/24', 'documentation (203.0.113.0/24)'],
  ['224.0.0.0/4', 'multicast (224.0.0.0/4)'],
  ['240.0.0.0/4', 'reserved or broadcast (240.0.0.0/4)'],
  ['::/128', 'unspecified (::)'],
  ['::1/128', 'loopback (::1)'],
  ['::/96', 'IPv4-compatible (::/96)'],
  ['64:ff9b:1::/48', 'local-use NAT64 (64:ff9b:1::/48)'],
  ['100::/64', 'discard-only (100::/64)'],
  ['2001::/32', 'Teredo (2001::/32)'],
  ['2001:db8::/32', 'documentation (2001:db8::/32)'],
  ['fc00::/7', 'unique local (fc00::/7)'],
  ['fe80::/10', 'link-local (fe80::/10)'],
  ['fec0::/10', 'site-local (fec0::/10)'],
  ['ff00::/8', 'multicast (ff00::/8)'],
]
const BLOCKED_RANGES = BLOCKED.map(([cidr, name]) => ({ range: parseCidr(cidr)!, name }))

/** IPv6 prefixes that embed an IPv4 address, and where it sits: the embedded address is checked too. */
const EMBEDDING: ReadonlyArray<readonly [range: Range, offset: number, name: string]> = [
  [parseCidr('::ffff:0:0/96')!, 12, 'IPv4-mapped'],
  [parseCidr('64:ff9b::/96')!, 12, 'NAT64'],
  [parseCidr('2002::/16')!, 2, '6to4'],
]

/** Names that always mean this machine or its network (RFC 6761, RFC 6762). */
const RESERVED_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/i

/** Parses an IPv4 or IPv6 address in text form (an IPv6 zone id is dropped), or returns null. */
export function parseIp(text: string): Ip | null {
  const value = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (value.includes(':')) return parseIpv6(value)
  const bytes = parseIpv4(value)
  return bytes ? { version: 4, bytes } : null
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  const bytes = new Uint8Array(4)
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null
    bytes[i] = Number(part)
  }
  return bytes
}

function parseIpv6(text: string): Ip | null {
  let head = text
  let tail4: Uint8Array | null = null
  const lastColon = text.lastIndexOf(':')
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseIpv4(text.slice(lastColon + 1))
    if (!tail4) return null
    head = `${text.slice(0, lastColon + 1)}0:0`
  }
  const halves = head.split('::')
  if (halves.length > 2) return null
  const groups = (half: string) => (half === '' ? [] : half.split(':'))
  const left = groups(halves[0]!)
  const right = halves.length === 2 ? groups(halves[1]!) : []
  const missing = 8 - left.length - right.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right]
  const bytes = new Uint8Array(16)
  for (const [i, group] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null
    const n = parseInt(group, 16)
    bytes[i * 2] = n >> 8
    bytes[i * 2 + 1] = n & 0xff
  }
  if (tail4) bytes.set(tail4, 12)
  return { version: 6, bytes }
}

function parseCidr(text: string): Range | null {
  const [address, bits, ...rest] = text.split('/')
  if (rest.length) return null
  const ip = parseIp(address!)
  if (!ip) return null
  const max = ip.version === 4 ? 32 : 128
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN
  if (!(prefix >= 0 && prefix <= max)) return null
  return { ip, prefix }
}

function inRange(ip: Ip, range: Range): boolean {
  if (ip.version !== range.ip.version) return false
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const take = Math.min(8, range.prefix - bit)
    const mask = (0xff << (8 - take)) & 0xff
    if ((ip.bytes[bit / 8]! & mask) !== (range.ip.bytes[bit / 8]! & mask)) return false
  }
  return true
}

/** The IPv4 address an IPv4-mapped IPv6 address stands for; other addresses unchanged. */
function unmapped(ip: Ip): Ip {
  return ip.version === 6 && inRange(ip, EMBEDDING[0]![0]) ? { version: 4, bytes: ip.bytes.slice(12) } : ip
}

/**
 * Why an address must not be called, e.g. `loopback (127.0.0.0/8)`, or null for a public
 * address. An IPv6 form that embeds an IPv4 address is judged by that address too.
 */
export function blockedReason(address: string): string | null {
  const parsed = parseIp(address)
  if (!parsed) return `'${address}' is not an IP address`
  const ip = unmapped(parsed)
  for (const { range, name } of BLOCKED_RANGES) if (inRange(ip, range)) return name
  for (const [range, offset, name] of EMBEDDING) {
    if (!inRange(ip, range)) continue
    const inner = [...ip.bytes.slice(offset, offset + 4)].join('.')
    const reason = blockedReason(inner)
    if (reason) return `${name} form of ${inner}, ${reason}`
  }
  return null
}

/**
 * The allowlist as configured in `OC_OUTBOUND_ALLOWLIST` (every runtime: Node, Deno, the CLI and
 * Workers read it through this one function): entries separated by commas, blanks around them
 * ignored, e.g. `127.0.0.1, 10.0.0.0/8, hooks.internal`. Unset or empty means none. Entries are
 * checked by {@link outboundGuard}, which names a malformed one.
 */
export function parseOutboundAllowlist(value: string | undefined): string[] | undefined {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean)
  return entries.length ? entries : undefined
}

export type { OutboundGuard } from '../api/outbound.ts'

export function outboundGuard(policy: OutboundPolicy = {}): OutboundGuard {
  const names = new Set<string>()
  const ranges: Range[] = []
  for (const [i, entry] of (policy.allowlist ?? []).entries()) {
    const range = parseCidr(entry)
    if (range) ranges.push(range)
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)) names.add(entry.toLowerCase())
    else throw new OcError('OC_CONFIG_INVALID', `outboundAllowlist[${i}]: '${entry}' is not an IP address, a CIDR range (10.0.0.0/8) or a host name`)
  }
  const allowedAddress = (address: string) => {
    const ip = parseIp(address)
    return ip !== null && ranges.some((range) => inRange(unmapped(ip), range) || inRange(ip, range))
  }
  const resolve = policy.resolve ?? null

  const refuse = (address: string, host: string) => {
    if (allowedAddress(address)) return
    const reason = blockedReason(address)
    if (!reason) return
    const via = address === host ? `address ${address}` : `host '${host}' (resolves to ${address})`
    throw new OutboundRefusedError(`${via} is ${reason}; calls to private, loopback and link-local addresses are refused unless the operator adds them to outboundAllowlist`)
  }

  const checkUrl = (text: string): URL => {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new OutboundRefusedError(`'${text}' is not an absolute URL; give one such as https://example.com/hooks`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefusedError(`the URL scheme '${url.protocol.slice(0, -1)}' is not allowed; use https (or http)`)
    if (url.username || url.password) throw new OutboundRefusedError('the URL carries a user name or password; remove them (credentials in URLs end up in logs)')
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
    if (names.has(host)) return url
    if (parseIp(host)) refuse(host, host)
    else if (RESERVED_NAME.test(host)) throw new OutboundRefusedError(`host '${host}' is a reserved local name; use a public host name or ask the operator to add it to outboundAllowlist`)
    return url
  }

  const check = async (text: string): Promise<URL> => {
    const url = checkUrl(text)
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
    if (names.has(host) || parseIp(host)) return url
    if (!resolve) return url
    let addresses: string[]
    try {
      addresses = await resolve(host)
    } catch (error) {
      throw new OcError('OC_OUTBOUND_UNRESOLVED', `host '${host}' does not resolve (${(error as { code?: string }).code ?? (error as Error).message}); check its spelling`, { status: 422 })
    }
    if (addresses.length === 0) throw new OcError('OC_OUTBOUND_UNRESOLVED', `host '${host}' has no addresses; check its spelling`, { status: 422 })
    for (const address of addresses) refuse(address, host)
    return url
  }

  return {
    checkUrl,
    check,
    async fetch(text, { timeoutMs, ...init }) {
      const url = await check(text)
      return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    },
  }
}
