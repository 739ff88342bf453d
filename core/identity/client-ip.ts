/**
 * The client address of a request: the socket peer the runtime reports, or, when that peer is
 * one of the configured trusted proxies, the address those proxies recorded in
 * `X-Forwarded-For`. Anyone can send the header, so it counts only from a trusted peer, and it
 * is walked from the right (the hop our own proxy appended) past further trusted hops: the
 * first untrusted hop is the client. Entries a client put further left are never reached.
 */
import { anyContains, type CidrRange, formatIp, parseCidr, parseIp } from './cidr.ts'

/** Parses the `trustedProxies` option; a bad entry stops the platform at start, naming it. */
export function parseTrustedProxies(entries: readonly string[] | undefined): CidrRange[] {
  return (entries ?? []).map((entry, i) => {
    const parsed = parseCidr(entry)
    if (!parsed.ok) throw new Error(`trustedProxies[${i}]: ${parsed.reason}`)
    return parsed.range
  })
}

/** `1.2.3.4:80` and `[2001:db8::1]:443` carry a port some proxies add; the address is what counts. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop)
  if (bracketed) return bracketed[1]!
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop)
  return v4WithPort ? v4WithPort[1]! : hop
}

/**
 * The client's address in canonical form, or the raw text of an unparseable hop (so a refusal
 * can name it), or undefined when the runtime gave no peer address.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trusted: readonly CidrRange[]): string | undefined {
  if (socketAddress === undefined) return undefined
  const peer = parseIp(socketAddress)
  if (!peer) return socketAddress
  if (!forwardedFor || trusted.length === 0 || !anyContains(trusted, peer)) return formatIp(peer)
  const hops = forwardedFor.split(',').map((hop) => stripPort(hop.trim())).filter(Boolean)
  let client = formatIp(peer)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i]!)
    if (!hop) return hops[i]!.slice(0, 64)
    client = formatIp(hop)
    if (!anyContains(trusted, hop)) return client
  }
  // Every hop was a trusted proxy: the leftmost one is as close to the client as we can know.
  return client
}
