/**
 * CSRF protection of the help center's forms (W5). A form's token is an HMAC, under a random key
 * of the service, of what binds it to the browser: the session token for a signed-in member, or,
 * for an anonymous visitor, a random value in a cookie of its own (a signed double submit: a
 * cookie planted by another site cannot be matched without the service's key). Every form POST
 * of the help center carries the token in the `csrf` field (or an `X-CSRF-Token` header for
 * scripts); `requireCsrf` refuses the rest with 403, as HTML for a browser and JSON otherwise.
 */
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { OcError, type PlatformContext, type PlatformEnv } from '../../../core/mod.ts'
import { cookieOptions, sessionTokenOf } from './visitor.ts'
import { hmacBase64url, randomToken, sameText } from './tokens.ts'

export const CSRF_COOKIE = 'oc_hc_csrf'
export const CSRF_FIELD = 'csrf'
const CSRF_HEADER = 'x-csrf-token'

/**
 * Keys by the request's tenant database (one per resolved tenant, so per service and platform):
 * made once per service (its row), read once while the tenant stays the same.
 */
const keys = new WeakMap<object, Promise<string>>()

function serviceKey(c: PlatformContext): Promise<string> {
  const tenantDb = c.var.db
  let key = keys.get(tenantDb)
  if (!key) {
    key = c.var.db.tx(async (tx) => {
      await tx.sql`INSERT INTO helpcenter_visitor_keys (csrf_key) VALUES (${randomToken()}) ON CONFLICT (service_id) DO NOTHING`
      const [row] = await tx.sql<{ csrf_key: string }>`SELECT csrf_key FROM helpcenter_visitor_keys`
      return row!.csrf_key
    })
    key.catch(() => keys.delete(tenantDb))
    keys.set(tenantDb, key)
  }
  return key
}

const binding = (sessionToken: string | undefined, anonymous: string | undefined) => (sessionToken ? `session:${sessionToken}` : anonymous ? `anonymous:${anonymous}` : undefined)

/**
 * The CSRF token for the forms of this page: put it in a hidden `csrf` field. For an anonymous
 * visitor without the CSRF cookie, the cookie is set on this response.
 * @example html`<input type="hidden" name="csrf" value="${await csrfToken(c)}">`
 */
export async function csrfToken(c: PlatformContext): Promise<string> {
  let anonymous = getCookie(c, CSRF_COOKIE)
  if (!sessionTokenOf(c) && !anonymous) {
    anonymous = randomToken()
    setCookie(c, CSRF_COOKIE, anonymous, cookieOptions(c))
  }
  return hmacBase64url(await serviceKey(c), binding(sessionTokenOf(c), anonymous)!)
}

async function refusal(c: PlatformContext): Promise<string | null> {
  const expectedFor = binding(sessionTokenOf(c), getCookie(c, CSRF_COOKIE))
  let sent = c.req.header(CSRF_HEADER)
  if (!sent && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')) {
    // formData() (not parseBody) caches the parsed form where the route's form validator reads it again.
    const field = (await c.req.formData()).get(CSRF_FIELD)
    sent = typeof field === 'string' ? field : undefined
  }
  if (!sent) return `the form has no '${CSRF_FIELD}' field: reload the page and send the form again (every form carries the token the page put in it)`
  if (!expectedFor || !sameText(sent, await hmacBase64url(await serviceKey(c), expectedFor))) return `the form's '${CSRF_FIELD}' token does not belong to this browser's session (it expired or came from another page): reload the page and send the form again`
  return null
}

/**
 * Middleware for every form POST of the help center: the route's own `middleware`, so it runs
 * after the platform's body limit and before the form is validated.
 * @example route({ method: 'post', path: '/inquiry', access: 'public', middleware: [requireCsrf()], request: form(InquiryForm), ... })
 */
export function requireCsrf(): MiddlewareHandler<PlatformEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const why = await refusal(c)
    if (!why) return next()
    if ((c.req.header('accept') ?? '').includes('text/html')) {
      const text = why.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>403</title></head><body><h1>403</h1><p>${text}</p></body></html>`, 403)
    }
    throw new OcError('HC_CSRF_REFUSED', `${CSRF_FIELD}: ${why}`, { status: 403, issues: [{ path: `body.${CSRF_FIELD}`, message: why, code: 'csrf' }] })
  }
}
