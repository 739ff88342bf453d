/**
 * The visitor of a help-center request (W5) and the cookies that carry it: the middleware every
 * help-center mount puts first (`visitorMiddleware`), `currentVisitor(c)` for the pages, the
 * session cookie's setting and clearing, and the help center's own base path (what cookies are
 * scoped to and return URLs must stay under).
 *
 * Cookies are `HttpOnly`, `SameSite=Lax`, scoped to the service's help-center path, and `Secure`
 * when the request came over TLS. The platform believes no `X-Forwarded-Proto` (it trusts proxies
 * for `X-Forwarded-For` only), so behind a TLS-terminating proxy the request URL the runtime
 * hands the platform must be https for cookies to be marked Secure.
 */
import type { MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { OcError, type PlatformContext, type PlatformEnv, type TenantTx } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { ANONYMOUS_VISITOR, type Member, type SignInScheme, type Visitor } from './member.ts'
import { createSession, endSession, findSession, SESSION_SECONDS, takeHandoff } from './sessions.ts'

export const SESSION_COOKIE = 'oc_hc_session'

interface VisitorState {
  visitor: Visitor
  /** The session cookie's token when it names a live session. */
  sessionToken: string | undefined
}

// Keyed by the context: the body limit may replace `c.req.raw` further down the chain.
const states = new WeakMap<PlatformContext, VisitorState>()

const scopeOf = (c: PlatformContext) => ({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id })

/**
 * The help center's base path of this request: `/o/{org}/{service}/hc` or, on the organization's
 * own host, `/{service}/hc`.
 */
export function helpCenterBase(c: PlatformContext): string {
  const { org, service } = c.var.tenant
  const byPath = `/o/${org.slug}/${service.code}/hc`
  // The URL's own path: `c.req.path` is the routing path, which maps the host form onto `/o/...`.
  const path = new URL(c.req.url).pathname
  return path === byPath || path.startsWith(`${byPath}/`) ? byPath : `/${service.code}/hc`
}

export function cookieOptions(c: PlatformContext) {
  return { path: helpCenterBase(c), httpOnly: true, sameSite: 'Lax', secure: new URL(c.req.url).protocol === 'https:' } as const
}

/**
 * The visitor of a help-center request, as {@link visitorMiddleware} found it.
 * @example const visitor = currentVisitor(c); if (visitor.kind === 'member') show(visitor.member.name)
 */
export function currentVisitor(c: PlatformContext): Visitor {
  return states.get(c)?.visitor ?? ANONYMOUS_VISITOR
}

/** The live session's token of this request (what CSRF tokens of a member are bound to). */
export function sessionTokenOf(c: PlatformContext): string | undefined {
  return states.get(c)?.sessionToken
}

/**
 * Resolves the visitor from the session cookie (when member integration is on), and exchanges
 * the server flow's `?accessToken=` for a session: the cookie is set and the browser sent to the
 * same page without the token, so it stays out of history and referrers.
 */
export function visitorMiddleware(ctx: HelpCenterContext): MiddlewareHandler<PlatformEnv> {
  return async (c, next) => {
    if (states.has(c)) return next()
    const scope = scopeOf(c)
    const cookie = getCookie(c, SESSION_COOKIE)
    const accessToken = c.req.method === 'GET' ? c.req.query('accessToken') : undefined
    // Most requests are anonymous: no cookie, no token, no transaction.
    if (!cookie && !accessToken) {
      states.set(c, { visitor: ANONYMOUS_VISITOR, sessionToken: undefined })
      return next()
    }
    const found = await c.var.db.tx(async (tx) => {
      const settings = await ctx.settings(tx)
      // Off: anonymous, but the cookie stays, so switching integration back on keeps members signed in.
      if (!settings.memberIntegration) return 'off' as const
      if (accessToken) {
        const handed = await takeHandoff(ctx, tx, scope, accessToken)
        if (!handed) return 'refused' as const
        return { exchanged: await startSession(ctx, c, tx, handed.member, handed.scheme) }
      }
      return cookie ? findSession(ctx, tx, scope, cookie) : null
    })
    if (found === 'refused') {
      throw new OcError('HC_ACCESS_TOKEN_REFUSED', 'accessToken: the token is unknown, used already or older than a minute; have the login server ask /api/v2/enduser/remote.json for a new one', { status: 401 })
    }
    if (typeof found === 'object' && found && 'exchanged' in found) {
      const url = new URL(c.req.url)
      url.searchParams.delete('accessToken')
      return c.redirect(`${url.pathname}${url.search}`, 303)
    }
    if (typeof found === 'object' && found) {
      states.set(c, { visitor: { kind: 'member', member: found.member, scheme: found.scheme, expiresAt: found.expiresAt }, sessionToken: cookie })
      return next()
    }
    states.set(c, { visitor: ANONYMOUS_VISITOR, sessionToken: undefined })
    if (cookie && !found) deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
    return next()
  }
}

/**
 * Signs a member in on this request: ends the session the browser had (a new sign-in always gets
 * a new token, so a token planted before sign-in is worthless), stores the new one, sets the cookie.
 */
export async function startSession(ctx: HelpCenterContext, c: PlatformContext, tx: TenantTx, member: Member, scheme: SignInScheme): Promise<{ token: string }> {
  await endSession(tx, getCookie(c, SESSION_COOKIE))
  const { token } = await createSession(ctx, tx, scopeOf(c), member, scheme)
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: SESSION_SECONDS })
  return { token }
}

/** Signs the visitor out: the session row goes, and the cookie with it. */
export async function signOut(c: PlatformContext): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE)
  await c.var.db.tx((tx) => endSession(tx, token))
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
  states.set(c, { visitor: ANONYMOUS_VISITOR, sessionToken: undefined })
}

/**
 * The help center's "sign in" link: the tenant's login page (`memberLoginUrl`) with
 * `?returnUrl=` set to this page, or null when member integration is off or has no login page.
 */
export function signInUrl(c: PlatformContext, settings: { memberIntegration: boolean; memberLoginUrl?: string | undefined }): string | null {
  if (!settings.memberIntegration || !settings.memberLoginUrl) return null
  const login = new URL(settings.memberLoginUrl)
  login.searchParams.set('returnUrl', c.req.url)
  return login.toString()
}
