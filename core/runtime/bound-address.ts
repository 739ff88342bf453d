/** How a listening server is named to people: the address its socket is bound to, and a URL to open. */

export interface BoundAddress {
  /** The address and port the socket is bound to, as a URL, e.g. `http://127.0.0.1:41733` or `http://0.0.0.0:3000`. */
  readonly boundUrl: string
  /** A URL to open from this machine: the bound one, or `localhost` when bound to every interface. */
  readonly url: string
  /** Bound to every interface (`0.0.0.0` or `::`). */
  readonly everyInterface: boolean
}

export function boundAddress(host: string, port: number): BoundAddress {
  const everyInterface = host === '0.0.0.0' || host === '::'
  const shown = host.includes(':') ? `[${host}]` : host
  const boundUrl = `http://${shown}:${port}`
  return { boundUrl, url: everyInterface ? `http://localhost:${port}` : boundUrl, everyInterface }
}
