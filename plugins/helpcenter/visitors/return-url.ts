/**
 * Where a sign-in may send the browser afterwards: a page of this service's help center on the
 * origin of the request, never elsewhere (an open redirect would let a phishing link pass
 * through the help center's address). Relative URLs are read against the request's URL; the
 * URL parser resolves `..`, backslashes and `//host` forms before the check.
 */
import { errors, type PlatformContext } from '../../../core/mod.ts'
import { helpCenterBase } from './visitor.ts'

/** The path and query to redirect to; throws 422 naming the field when it leaves the help center. */
export function safeReturnUrl(c: PlatformContext, returnUrl: string | undefined, field = 'body.returnUrl'): string {
  const base = helpCenterBase(c)
  if (!returnUrl) return `${base}/`
  const origin = new URL(c.req.url).origin
  let target: URL
  try {
    target = new URL(returnUrl, c.req.url)
  } catch {
    throw errors.invalid([{ path: field, message: `'${returnUrl}' is not a URL; send a page of this help center (${base}/...)`, code: 'invalid_url' }])
  }
  if (target.origin !== origin || !(target.pathname === base || target.pathname.startsWith(`${base}/`))) {
    throw errors.invalid([{ path: field, message: `the return URL must be a page of this help center (${origin}${base}/...), not '${returnUrl}'`, code: 'open_redirect' }])
  }
  return `${target.pathname}${target.search}${target.hash}`
}
