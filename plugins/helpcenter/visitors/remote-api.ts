/**
 * The server flow of the member-integration token (VENDOR-APIS.md §2), at the seed product's path
 * `/{service}/api/v2/enduser/remote.json`: the tenant's server posts the signed fields (without
 * returnUrl) and gets `{header, result: {content: "<accessToken>"}}`, then sends the member to
 * `/{service}/hc/?accessToken=...`, which exchanges the token once, within a minute, for the
 * session cookie (visitor.ts). Answers and refusals are in the seed product's envelope.
 */
import { OcError, route, z, type PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { createSession, HANDOFF_SECONDS } from './sessions.ts'
import { memberFromToken } from './sign-in.ts'
import { MemberTokenForm } from './routes.ts'

const Envelope = z.object({
  header: z.object({ resultCode: z.number().int(), resultMessage: z.string(), isSuccessful: z.boolean() }),
  result: z.object({ content: z.string().openapi({ description: `The access token: send the member to /{service}/hc/?accessToken=<it> within ${HANDOFF_SECONDS} s` }) }).optional(),
})
const envelope = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } })

const remote = route({
  method: 'post',
  path: '/enduser/remote.json',
  tags: ['Help center visitors'],
  access: 'public',
  summary: "Exchange the tenant's member-integration token for an access token (server flow)",
  request: { body: { required: false, content: { 'application/json': { schema: MemberTokenForm }, 'application/x-www-form-urlencoded': { schema: MemberTokenForm } } } },
  responses: { 200: envelope(Envelope, 'The access token'), 400: envelope(Envelope, 'Malformed fields'), 401: envelope(Envelope, 'Token refused'), 403: envelope(Envelope, 'Member integration off') },
})

export function registerRemoteApiRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  app.onError((error, c) => {
    const status = error instanceof OcError && error.status < 500 ? error.status : 500
    if (status === 500) ctx.log.error('member-integration server flow failed', { error: String(error) })
    const message = status === 500 ? 'internal error' : error.message
    return c.json({ header: { resultCode: status, resultMessage: message, isSuccessful: false } }, status as 400)
  })
  app.openapi(remote, async (c) => {
    // Each body form is validated only when the request has its content type (hence required: false).
    const type = c.req.header('content-type') ?? ''
    const fields = /^application\/json/i.test(type) ? c.req.valid('json') : /^application\/x-www-form-urlencoded/i.test(type) ? c.req.valid('form') : undefined
    if (!fields) throw new OcError('OC_UNSUPPORTED_MEDIA_TYPE', `content-type: send the fields as application/json or application/x-www-form-urlencoded, not '${type || 'nothing'}'`)
    const { token } = await c.var.db.tx(async (tx) => {
      const member = await memberFromToken(ctx, tx, c.var.tenant.service.code, fields)
      return createSession(ctx, tx, { orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id }, member, 'member-token', 'handoff')
    })
    return c.json({ header: { resultCode: 200, resultMessage: 'SUCCESS', isSuccessful: true }, result: { content: token } }, 200)
  })
}
