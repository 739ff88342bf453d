/**
 * Deno: serve a platform with `Deno.serve`. The database and blob drivers are the same as on
 * Node (Deno runs postgres.js, PGlite and node:fs), so only the server differs.
 */
import type { Platform } from '../platform.ts'
import type { RunningServer } from './node.ts'
import { boundAddress } from './bound-address.ts'
import type { RuntimeServices } from '../platform/runtime-services.ts'

/**
 * Deno's services for `createPlatform({ runtime })`: its `node:dns` for the outbound guard;
 * web hooks are signed with WebCrypto, which is native in Deno (no thread-pool hop as on Node).
 */
export const denoRuntime: RuntimeServices = {
  resolveHost: async (host) => {
    const { lookup } = await import('node:dns/promises')
    return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
  },
  webhookHmac: null,
}

interface DenoServer {
  addr: { port: number; hostname: string }
  shutdown(): Promise<void>
}

interface DenoNamespace {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string; port: number } }) => Response | Promise<Response>,
  ): DenoServer
}

declare const Deno: DenoNamespace

/** Serves `platform.fetch` with `Deno.serve`; the connection info travels as `env.remoteAddr`. */
export async function serveDeno(platform: Pick<Platform, 'fetch'>, options: { port?: number; hostname?: string } = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? '0.0.0.0'
  const server = Deno.serve({ port: options.port ?? 3000, hostname, onListen: () => {} }, (request, info) => platform.fetch(request, { remoteAddr: info.remoteAddr }))
  // What the socket is bound to: port 0 becomes the port picked, a name its address.
  const { port, hostname: bound } = server.addr
  return { port, ...boundAddress(bound, port), close: () => server.shutdown() }
}
