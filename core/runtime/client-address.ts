/**
 * The address of the peer that opened the connection, as each runtime hands it over:
 * Node (@hono/node-server) in `env.incoming.socket`, Deno (our `serveDeno`) in
 * `env.remoteAddr`, and the Workers entry in `env.clientAddress` (from the `CF-Connecting-IP`
 * header, which Cloudflare's edge sets itself). Proxies in front are the identity area's business.
 */
export function socketAddress(env: unknown): string | undefined {
  const bindings = env as { incoming?: { socket?: { remoteAddress?: string } }; remoteAddr?: { hostname?: string }; clientAddress?: string } | undefined
  const address = bindings?.incoming?.socket?.remoteAddress ?? bindings?.remoteAddr?.hostname ?? bindings?.clientAddress
  return address?.startsWith('::ffff:') ? address.slice(7) : address
}
