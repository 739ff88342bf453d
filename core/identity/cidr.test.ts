/** The CIDR matcher and the client-address rules: parsing, canonical forms, matching, trusted-proxy walks. */
import { describe, expect, it } from 'vitest'
import { anyContains, cidrContains, formatCidr, formatIp, parseCidr, parseIp, type CidrRange } from './cidr.ts'
import { clientAddress, parseTrustedProxies } from './client-ip.ts'

const range = (text: string): CidrRange => {
  const parsed = parseCidr(text)
  if (!parsed.ok) throw new Error(parsed.reason)
  return parsed.range
}
const ip = (text: string) => {
  const parsed = parseIp(text)
  if (!parsed) throw new Error(`not an address: ${text}`)
  return parsed
}
const inRange = (cidr: string, address: string) => cidrContains(range(cidr), ip(address))

describe('parseIp', () => {
  it('reads IPv4 dotted quads strictly', () => {
    expect(formatIp(ip('192.0.2.1'))).toBe('192.0.2.1')
    expect(formatIp(ip('0.0.0.0'))).toBe('0.0.0.0')
    expect(formatIp(ip('255.255.255.255'))).toBe('255.255.255.255')
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4', '1..2.3', '', ' ', 'a.b.c.d', '1.2.3.4/8', '0x7f.0.0.1']) {
      expect(parseIp(bad), bad).toBeNull()
    }
  })

  it('reads every IPv6 form and prints RFC 5952', () => {
    expect(formatIp(ip('2001:0db8:0000:0000:0000:0000:0000:0001'))).toBe('2001:db8::1')
    expect(formatIp(ip('2001:DB8::1'))).toBe('2001:db8::1')
    expect(formatIp(ip('::'))).toBe('::')
    expect(formatIp(ip('::1'))).toBe('::1')
    expect(formatIp(ip('fe80::'))).toBe('fe80::')
    expect(formatIp(ip('1:2:3:4:5:6:7:8'))).toBe('1:2:3:4:5:6:7:8')
    expect(formatIp(ip('1:0:0:2:0:0:0:3'))).toBe('1:0:0:2::3')
    expect(formatIp(ip('1:0:2:3:4:5:6:7'))).toBe('1:0:2:3:4:5:6:7')
    expect(formatIp(ip('64:ff9b::192.0.2.33'))).toBe('64:ff9b::c000:221')
    expect(formatIp(ip('fe80::1%eth0'))).toBe('fe80::1')
    for (const bad of [':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7::8', '::1.2.3', '::256.0.0.1', '1:2:3:4:5:6:7:1.2.3.4']) {
      expect(parseIp(bad), bad).toBeNull()
    }
  })

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(ip('::ffff:192.0.2.1')).toEqual({ version: 4, bytes: new Uint8Array([192, 0, 2, 1]) })
    expect(ip('::FFFF:c000:0201')).toEqual({ version: 4, bytes: new Uint8Array([192, 0, 2, 1]) })
    // The IPv4-compatible form (::192.0.2.1, deprecated) is not mapped: it stays IPv6.
    expect(ip('::192.0.2.1').version).toBe(6)
  })
})

describe('parseCidr', () => {
  it('accepts ranges and single addresses in canonical form', () => {
    expect(formatCidr(range('10.0.0.0/8'))).toBe('10.0.0.0/8')
    expect(formatCidr(range('192.0.2.7'))).toBe('192.0.2.7/32')
    expect(formatCidr(range('2001:DB8::/32'))).toBe('2001:db8::/32')
    expect(formatCidr(range('::1'))).toBe('::1/128')
    expect(formatCidr(range('0.0.0.0/0'))).toBe('0.0.0.0/0')
    expect(formatCidr(range('::/0'))).toBe('::/0')
  })

  it('turns an IPv4-mapped IPv6 range into the IPv4 range', () => {
    expect(formatCidr(range('::ffff:10.0.0.0/104'))).toBe('10.0.0.0/8')
    expect(formatCidr(range('::ffff:0:0/96'))).toBe('0.0.0.0/0')
    // Shorter than /96 it covers more than IPv4-mapped space, so it stays IPv6.
    expect(range('::fffe:0:0/95').version).toBe(6)
  })

  it('refuses host bits below the prefix, naming the range meant', () => {
    const parsed = parseCidr('10.1.2.3/8')
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.reason).toContain('did you mean 10.0.0.0/8?')
    const v6 = parseCidr('2001:db8::1/32')
    expect(!v6.ok && v6.reason).toContain('did you mean 2001:db8::/32?')
  })

  it('refuses bad prefixes and addresses with a reason', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/08', '::/129', 'x/8', '10.0.0.0/8/8', 'fe80::%eth0/64', '']) {
      const parsed = parseCidr(bad)
      expect(parsed.ok, bad).toBe(false)
      expect(!parsed.ok && parsed.reason.length).toBeGreaterThan(10)
    }
  })
})

describe('cidrContains', () => {
  it('matches IPv4 at every prefix boundary', () => {
    expect(inRange('10.0.0.0/8', '10.255.255.255')).toBe(true)
    expect(inRange('10.0.0.0/8', '11.0.0.0')).toBe(false)
    expect(inRange('192.168.1.128/25', '192.168.1.128')).toBe(true)
    expect(inRange('192.168.1.128/25', '192.168.1.127')).toBe(false)
    expect(inRange('192.168.1.5/32', '192.168.1.5')).toBe(true)
    expect(inRange('192.168.1.5/32', '192.168.1.4')).toBe(false)
    expect(inRange('172.16.0.0/12', '172.31.255.255')).toBe(true)
    expect(inRange('172.16.0.0/12', '172.32.0.0')).toBe(false)
    expect(inRange('0.0.0.0/0', '203.0.113.9')).toBe(true)
  })

  it('matches IPv6 at odd prefixes', () => {
    expect(inRange('2001:db8::/32', '2001:db8:ffff::1')).toBe(true)
    expect(inRange('2001:db8::/32', '2001:db9::1')).toBe(false)
    expect(inRange('2001:db8:abc0::/44', '2001:db8:abcf:ffff::')).toBe(true)
    expect(inRange('2001:db8:abc0::/44', '2001:db8:abd0::')).toBe(false)
    expect(inRange('::1/128', '::1')).toBe(true)
    expect(inRange('::/0', '2001:db8::1')).toBe(true)
  })

  it('never matches across versions, except through IPv4-mapped addresses', () => {
    expect(inRange('::/0', '10.0.0.1')).toBe(false)
    expect(inRange('0.0.0.0/0', '2001:db8::1')).toBe(false)
    expect(inRange('10.0.0.0/8', '::ffff:10.1.2.3')).toBe(true)
    expect(inRange('::ffff:10.0.0.0/104', '10.1.2.3')).toBe(true)
    expect(inRange('::ffff:10.0.0.0/104', '11.1.2.3')).toBe(false)
  })

  it('checks a list', () => {
    const list = ['10.0.0.0/8', '2001:db8::/32'].map(range)
    expect(anyContains(list, ip('10.9.9.9'))).toBe(true)
    expect(anyContains(list, ip('2001:db8::5'))).toBe(true)
    expect(anyContains(list, ip('192.0.2.1'))).toBe(false)
    expect(anyContains([], ip('192.0.2.1'))).toBe(false)
  })
})

describe('clientAddress', () => {
  const trusted = parseTrustedProxies(['10.0.0.0/8', 'fd00::/8'])

  it('takes the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.7', '10.1.1.1', [])).toBe('198.51.100.7')
    expect(clientAddress('198.51.100.7', '10.1.1.1', trusted)).toBe('198.51.100.7')
    expect(clientAddress('::ffff:198.51.100.7', undefined, trusted)).toBe('198.51.100.7')
    expect(clientAddress(undefined, '1.2.3.4', trusted)).toBeUndefined()
  })

  it('walks X-Forwarded-For from the right past trusted hops', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.5', trusted)).toBe('203.0.113.5')
    expect(clientAddress('10.0.0.1', '203.0.113.5, 10.2.2.2', trusted)).toBe('203.0.113.5')
    // A client that prepends a trusted-looking address gets nowhere: its own hop is reached first.
    expect(clientAddress('10.0.0.1', '10.9.9.9, 203.0.113.5', trusted)).toBe('203.0.113.5')
    expect(clientAddress('fd00::1', '2001:db8::7', trusted)).toBe('2001:db8::7')
    expect(clientAddress('10.0.0.1', '[2001:db8::7]:443, 198.51.100.1:8080', trusted)).toBe('198.51.100.1')
  })

  it('stops at the leftmost hop when every hop is trusted, and names an unparseable hop', () => {
    expect(clientAddress('10.0.0.1', '10.3.3.3, 10.2.2.2', trusted)).toBe('10.3.3.3')
    expect(clientAddress('10.0.0.1', 'unknown, 10.2.2.2', trusted)).toBe('unknown')
    expect(clientAddress('10.0.0.1', '', trusted)).toBe('10.0.0.1')
  })

  it('refuses a bad trusted-proxy entry at start, naming it', () => {
    expect(() => parseTrustedProxies(['10.0.0.0/8', '10.0.0.1/8'])).toThrow(/trustedProxies\[1\]/)
  })
})
