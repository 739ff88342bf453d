/** The SSRF guard: which targets outgoing calls may reach, with and without the operator allowlist. */
import { nodeRuntime } from '../runtime/node.ts'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockedReason, outboundGuard, OutboundRefusedError, parseIp } from './outbound.ts'

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private (10.0.0.0/8)'],
    ['172.16.0.1', 'private (172.16.0.0/12)'],
    ['172.31.255.255', 'private (172.16.0.0/12)'],
    ['192.168.1.1', 'private (192.168.0.0/16)'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space'],
    ['100.127.255.255', 'shared address space'],
    ['0.0.0.0', '"this network"'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback (::1)'],
    ['0:0:0:0:0:0:0:1', 'loopback (::1)'],
    ['fe80::1', 'link-local (fe80::/10)'],
    ['fe80::1%eth0', 'link-local (fe80::/10)'],
    ['febf::1', 'link-local (fe80::/10)'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (127.0.0.0/8)'],
    ['::ffff:7f00:1', 'loopback (127.0.0.0/8)'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private (10.0.0.0/8)'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 form of 169.254.169.254'],
    ['2002:7f00:1::', '6to4 form of 127.0.0.1'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['2001:db8::1', 'documentation'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedReason(address)).toContain(reason)
  })

  it.each(['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '169.253.255.255', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::'])(
    'lets public %s through',
    (address) => {
      expect(blockedReason(address)).toBeNull()
    },
  )

  it('parses only well-formed addresses', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', '::1::2', '1:2:3:4:5:6:7:8:9', 'g::1', '01.2.3.4x']) expect(parseIp(bad)).toBeNull()
    expect(parseIp('[::1]')?.version).toBe(6)
  })
})

describe('outboundGuard', () => {
  const noDns = { resolve: null }

  it('refuses literal private targets in every spelling the URL parser accepts', () => {
    const guard = outboundGuard(noDns)
    for (const url of [
      'http://127.0.0.1/hook',
      'http://2130706433/hook', // 127.0.0.1 as one number
      'http://0x7f.1/hook',
      'http://[::1]:8080/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fe80::1]/hook',
      'http://0.0.0.0/hook',
      'http://[::]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://localhost:3000/hook',
      'http://api.localhost/hook',
      'http://printer.local/hook',
    ]) {
      expect(() => guard.checkUrl(url), url).toThrow(OutboundRefusedError)
    }
  })

  it('refuses other schemes, credentials in URLs and non-URLs, naming the fix', () => {
    const guard = outboundGuard(noDns)
    expect(() => guard.checkUrl('ftp://example.com/x')).toThrow(/scheme 'ftp' is not allowed/)
    expect(() => guard.checkUrl('file:///etc/passwd')).toThrow(/scheme 'file'/)
    expect(() => guard.checkUrl('https://user:pass@example.com/')).toThrow(/user name or password/)
    expect(() => guard.checkUrl('example.com/hook')).toThrow(/not an absolute URL/)
  })

  it('lets the allowlist permit addresses, ranges and host names, and only those', () => {
    const guard = outboundGuard({ ...noDns, allowlist: ['127.0.0.1', '10.1.0.0/16', 'hooks.internal'] })
    expect(guard.checkUrl('http://127.0.0.1:9999/x').hostname).toBe('127.0.0.1')
    expect(guard.checkUrl('http://[::ffff:127.0.0.1]/x')).toBeInstanceOf(URL)
    expect(guard.checkUrl('http://10.1.200.3/x')).toBeInstanceOf(URL)
    expect(guard.checkUrl('http://hooks.internal/x')).toBeInstanceOf(URL)
    expect(() => guard.checkUrl('http://127.0.0.2/x')).toThrow(/loopback/)
    expect(() => guard.checkUrl('http://10.2.0.1/x')).toThrow(/private/)
    expect(() => guard.checkUrl('http://other.internal/x')).toThrow(/reserved local name/)
  })

  it('refuses a bad allowlist entry at construction, naming it', () => {
    expect(() => outboundGuard({ allowlist: ['10.0.0.0/33'] })).toThrow(/outboundAllowlist\[0\]: '10.0.0.0\/33'/)
    expect(() => outboundGuard({ allowlist: ['ok.example', 'not a host'] })).toThrow(/outboundAllowlist\[1\]/)
  })

  it('resolves host names and refuses when any address is private', async () => {
    const zone: Record<string, string[]> = { 'public.example': ['93.184.215.14'], 'sneaky.example': ['93.184.215.14', '10.0.0.7'], 'v6.example': ['fd00::5'] }
    const guard = outboundGuard({
      resolve: async (host) => {
        const found = zone[host]
        if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
        return found
      },
    })
    await expect(guard.check('https://public.example/x')).resolves.toBeInstanceOf(URL)
    await expect(guard.check('https://sneaky.example/x')).rejects.toThrow(/host 'sneaky.example' \(resolves to 10.0.0.7\) is private/)
    await expect(guard.check('https://v6.example/x')).rejects.toThrow(/unique local/)
    await expect(guard.check('https://missing.example/x')).rejects.toMatchObject({ code: 'OC_OUTBOUND_UNRESOLVED', status: 422 })
  })

  it("resolves with the Node entry's node:dns: localhost names are refused after resolution", async () => {
    const guard = outboundGuard({ allowlist: [], resolve: nodeRuntime.resolveHost })
    // 'localhost' is refused by name; a name that resolves to loopback through the resolver is refused by address.
    await expect(guard.check('http://localhost/x')).rejects.toThrow(OutboundRefusedError)
    await expect(guard.check('http://127.0.0.1.nip.invalid/x')).rejects.toMatchObject({ code: 'OC_OUTBOUND_UNRESOLVED' })
  })

  describe('fetch', () => {
    let server: ReturnType<typeof createServer>
    let base: string
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' })
          res.end()
        } else if (req.url === '/slow') {
          setTimeout(() => res.end('late'), 2_000)
        } else res.end('ok')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))

    it('calls allowlisted targets, never follows redirects and gives up at the timeout', async () => {
      const guard = outboundGuard({ allowlist: ['127.0.0.1'] })
      expect(await (await guard.fetch(`${base}/`, { timeoutMs: 2_000 })).text()).toBe('ok')
      const redirected = await guard.fetch(`${base}/redirect`, { timeoutMs: 2_000 })
      expect(redirected.status).toBe(302)
      await expect(guard.fetch(`${base}/slow`, { timeoutMs: 100 })).rejects.toMatchObject({ name: 'TimeoutError' })
    })

    it('refuses the same loopback target without the allowlist, before connecting', async () => {
      await expect(outboundGuard({}).fetch(`${base}/`, { timeoutMs: 2_000 })).rejects.toThrow(/address 127.0.0.1 is loopback/)
    })
  })
})
