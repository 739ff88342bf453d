/**
 * Outgoing HTTP to URLs a tenant chose, as plugins call it (`ctx.outbound`); the SSRF rules
 * behind it are http/outbound.ts.
 */

/** The checks of one policy; build it once (the allowlist is parsed and checked here). */
export interface OutboundGuard {
  /** Checks the URL's form and any literal address or reserved name, without DNS. */
  checkUrl(url: string): URL
  /** {@link checkUrl}, then resolves the host and checks every address it resolves to. */
  check(url: string): Promise<URL>
  /** `fetch` after {@link check}, never following redirects, aborted after `timeoutMs`. */
  fetch(url: string, init: RequestInit & { timeoutMs: number }): Promise<Response>
}
