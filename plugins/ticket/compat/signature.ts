/**
 * Authentication of `/{serviceId}/openapi/v1/*` (C16), as the OPEN API documents it:
 *
 *   Authorization  = Base64(HMAC-SHA256(key = service key, message))
 *   message        = orgId + requestURI + query values (sorted by parameter name, joined with '&')
 *                    + raw body + X-TC-Timestamp
 *   X-TC-Timestamp = epoch milliseconds, within 5 minutes of the server's clock
 *
 * Our equivalents and choices (the documentation is silent on them):
 * - `orgId` is the organization's id (the uuid `GET /open-api` shows as `orgId`).
 * - `requestURI` starts at `/{service}`: the whole path in host mode
 *   (`{org}.{baseDomain}/{service}/openapi/v1/...`); in path mode (`/o/{org}/{service}/...`) the
 *   `/o/{org}` prefix may be left out or kept; both are accepted.
 * - Between the query values and a body, an `&` may or may not be put; both are accepted.
 * - A multipart upload signs the file's MD5 (hex) where the query values go, and no body.
 * - Query values are compared decoded (as the client wrote them before URL encoding).
 *
 * Order of checks and answers: blank Authorization 400, non-numeric X-TC-Timestamp 400, expired
 * 400, OPEN API switched off or no usable key 403, client IP not on the allowlist 403, incorrect
 * Authorization 400. Keys are checked against the service's active keys (rotated ones during
 * their grace period) without a database round trip (see the core's `openApiAccessRef`).
 */
import type { MiddlewareHandler } from 'hono'
import { openApiAccessRef, type PlatformContext, type PlatformEnv, type PluginContext } from '../../../core/mod.ts'
import { CompatError, RESULT } from './envelope.ts'
import { md5Hex } from './md5.ts'

export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000

/** The query values in signing order. */
export function signedQueryValues(url: URL): string {
  const entries = [...url.searchParams.entries()]
  // Stable: repeated names keep the order they were sent in.
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return entries.map(([, value]) => value).join('&')
}

/** Every spelling of the signed message we accept for this request (see the header). */
export function messageCandidates(orgId: string, url: URL, signedPart: string, body: string, timestamp: string): string[] {
  const raw = url.pathname
  const serviceRelative = raw.startsWith('/o/') ? raw.slice(raw.indexOf('/', 3)) : raw
  const uris = serviceRelative === raw ? [raw] : [serviceRelative, raw]
  const middles = signedPart && body ? [`${signedPart}&${body}`, `${signedPart}${body}`] : [`${signedPart}${body}`]
  return uris.flatMap((uri) => middles.map((middle) => `${orgId}${uri}${middle}${timestamp}`))
}

/**
 * The `file` part of an upload, or the documented 400 ("missing file") for a body that has
 * none: not multipart (e.g. JSON), unparsable, or without a file in field `file`.
 */
export async function uploadedFile(c: PlatformContext): Promise<File> {
  const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '')
  const form = multipart ? await c.req.formData().catch(() => null) : null
  const file = form?.get('file')
  if (!file || typeof file === 'string') throw new CompatError(RESULT.badRequest, "the request has no 'file' part: send multipart/form-data with the file as form field 'file'")
  return file
}

/** What a multipart upload signs in place of the query values: its `file` part's MD5. */
async function uploadDigest(c: PlatformContext): Promise<string> {
  return md5Hex(new Uint8Array(await (await uploadedFile(c)).arrayBuffer()))
}

/** The route middleware of every signed compat route. */
export function signedRequest(ctx: PluginContext): MiddlewareHandler<PlatformEnv> {
  const openApi = ctx.use(openApiAccessRef)
  return async (c, next) => {
    const authorization = c.req.header('authorization')?.trim()
    if (!authorization) throw new CompatError(RESULT.badRequest, 'Authorization is blank: send Base64(HMAC-SHA256(service key, orgId + requestURI + parameter values + body + X-TC-Timestamp))')
    const timestamp = c.req.header('x-tc-timestamp')?.trim() ?? ''
    if (!/^\d{1,16}$/.test(timestamp)) throw new CompatError(RESULT.badRequest, `X-TC-Timestamp '${timestamp.slice(0, 32)}' is not a number: send the current time in epoch milliseconds`)
    const skew = Math.abs(Date.now() - Number(timestamp))
    if (skew > TIMESTAMP_WINDOW_MS) throw new CompatError(RESULT.badRequest, `X-TC-Timestamp has expired: it is ${Math.round(skew / 1000)} s away from the server's clock, and at most 300 s are accepted`)

    const policy = await openApi.policy(c)
    if (!policy.enabled) throw new CompatError(RESULT.forbidden, 'OPEN API is disabled for this service: an administrator can enable it (PUT /api/v1/open-api)')
    if (!policy.clientAllowed) throw new CompatError(RESULT.forbidden, `client IP ${policy.clientAddress ?? '(unknown)'} is not allowed: an administrator can add it to the allowlist (PUT /api/v1/open-api/allowlist)`)

    const url = new URL(c.req.url)
    const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '')
    const signedPart = multipart ? await uploadDigest(c) : signedQueryValues(url)
    const body = multipart || c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text()
    const tenant = c.get('tenant')
    const verdict = await openApi.verifySignature(c, messageCandidates(tenant.org.id, url, signedPart, body, timestamp), authorization.replace(/^Bearer\s+/i, ''))
    if (!verdict.ok) {
      if (verdict.reason === 'no-signing-key') throw new CompatError(RESULT.forbidden, verdict.message)
      throw new CompatError(RESULT.badRequest, 'Authorization is incorrect: it does not match the signature of this request under any active service key')
    }
    c.set('principal', { kind: 'service-key', keyId: verdict.keyId, orgId: tenant.org.id, serviceId: tenant.service.id })
    await next()
  }
}
