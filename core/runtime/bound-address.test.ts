/** The start message's address: the one the socket is bound to, and one to open. */
import { describe, expect, it } from 'vitest'
import { boundAddress } from './bound-address.ts'
import { serveNode } from './node.ts'

describe('boundAddress', () => {
  it('names the bound address, and localhost to open when bound to every interface', () => {
    expect(boundAddress('127.0.0.1', 41733)).toEqual({ boundUrl: 'http://127.0.0.1:41733', url: 'http://127.0.0.1:41733', everyInterface: false })
    expect(boundAddress('0.0.0.0', 3000)).toEqual({ boundUrl: 'http://0.0.0.0:3000', url: 'http://localhost:3000', everyInterface: true })
    expect(boundAddress('::', 3000)).toMatchObject({ boundUrl: 'http://[::]:3000', url: 'http://localhost:3000' })
    expect(boundAddress('::1', 8080).url).toBe('http://[::1]:8080')
  })

  it('reports what a Node server actually bound: the port picked for 0, the address a name became', async () => {
    const server = await serveNode({ fetch: () => new Response('ok') }, { port: 0, hostname: 'localhost' })
    try {
      expect(server.port).toBeGreaterThan(0)
      expect(server.boundUrl).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/)
      expect(server.boundUrl).toBe(`${server.boundUrl.replace(/:\d+$/, '')}:${server.port}`)
      expect(await (await fetch(server.url)).text()).toBe('ok')
    } finally {
      await server.close()
    }
  })
})
