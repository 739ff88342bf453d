/**
 * Deno: serve a platform with `Deno.serve`. The database and blob drivers are the same as on
 * Node (Deno runs postgres.js, PGlite and node:fs), so only the server differs.
 */
import type { Platform } from '../platform.ts'
import type { RunningServer } from './node.ts'
import { boundAddress } from './bound-address.ts'

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
