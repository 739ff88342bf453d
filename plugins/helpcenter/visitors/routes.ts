/**
 * The visitor routes of the help-center mount (`/{service}/hc/...`): the browser flow of the
 * member-integration token (`v2/enduser/remote.json`, the seed product's path), the JWT hand-off,
 * sign-out, and the visitor's own session (for the pages' scripts).
 */
import { commonErrors, json, route, z, type PlatformContext, type PluginApp } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { csrfToken, requireCsrf } from './csrf.ts'
import { Member } from './member.ts'
import { safeReturnUrl } from './return-url.ts'
import { memberFromJwt, memberFromToken } from './sign-in.ts'
import { currentVisitor, helpCenterBase, signInUrl, signOut, startSession } from './visitor.ts'

const tags = ['Help center visitors']
const form = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/x-www-form-urlencoded': { schema } } } })
export const Done = z.object({ location: z.string().openapi({ description: 'Where the browser goes next' }) })
const redirect = {
  200: json(Done, "Done, for a script that asked for JSON (Accept: application/json): the cookie is set (or cleared) as for a browser"),
  303: { description: 'Signed in (or out): the session cookie is set (or cleared) and the browser goes to returnUrl' },
}

/** A browser's form goes on to the page (303); a script that asked for JSON gets where to go instead. */
export function done(c: PlatformContext, location: string): Response {
  const accept = c.req.header('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html') ? c.json({ location }, 200) : c.redirect(location, 303)
}

const optional = z.string().max(500).optional()
export const MemberTokenForm = z.object({
  service: z.string().min(1).max(100).openapi({ description: "The service's id (code) the token is signed for" }),
  usercode: z.string().trim().min(1).max(200),
  username: optional,
  email: optional,
  phone: optional,
  memberno: optional,
  time: z.string().min(1).max(20).openapi({ description: 'Signing time, epoch milliseconds' }),
  token: z.string().min(1).max(200).openapi({ description: 'Base64(HMAC-SHA256(key, service&usercode&[username&][email&][phone&][memberno&][returnUrl&]time))' }),
})
const BrowserTokenForm = MemberTokenForm.extend({ returnUrl: z.string().max(2000).optional().openapi({ description: 'A page of this help center; signed with the rest' }) })
const JwtInput = z.object({ jwt: z.string().min(1).max(8000), returnUrl: z.string().max(2000).optional() })

const Session = z.object({
  visitor: z.union([
    z.object({ kind: z.literal('anonymous') }),
    z.object({ kind: z.literal('member'), member: Member, scheme: z.enum(['member-token', 'jwt']), expiresAt: z.string() }),
  ]),
  csrfToken: z.string().openapi({ description: "Send it as the forms' csrf field or the X-CSRF-Token header" }),
  signOutPath: z.string(),
  signInUrl: z.string().nullable().openapi({ description: "The tenant's login page with ?returnUrl= this page; null when member integration is off or has no login URL" }),
})

const routes = {
  memberToken: route({ method: 'post', path: '/v2/enduser/remote.json', tags, access: 'public', summary: "Sign a member in with the tenant's member-integration token (browser flow)", request: form(BrowserTokenForm), responses: { ...redirect, ...commonErrors } }),
  jwtGet: route({ method: 'get', path: '/sign-in/jwt', tags, access: 'public', summary: 'Sign a member in with a JWT hand-off (redirect)', request: { query: JwtInput }, responses: { ...redirect, ...commonErrors } }),
  jwtPost: route({ method: 'post', path: '/sign-in/jwt', tags, access: 'public', summary: 'Sign a member in with a JWT hand-off (form post)', request: form(JwtInput), responses: { ...redirect, ...commonErrors } }),
  signOut: route({ method: 'post', path: '/sign-out', tags, access: 'public', summary: 'Sign the visitor out (form post with its csrf token)', middleware: [requireCsrf()] as const, request: form(z.object({ csrf: z.string().optional() })), responses: { ...redirect, ...commonErrors } }),
  session: route({ method: 'get', path: '/session', tags, access: 'public', summary: "The visitor and the CSRF token of the visitor's forms", responses: { 200: json(Session, 'The visitor'), ...commonErrors } }),
}

export function registerVisitorRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  app.openapi(routes.memberToken, async (c) => {
    const fields = c.req.valid('form')
    const target = safeReturnUrl(c, fields.returnUrl)
    await c.var.db.tx(async (tx) => startSession(ctx, c, tx, await memberFromToken(ctx, tx, c.var.tenant.service.code, fields), 'member-token'))
    return done(c, target) as never
  })

  const jwtSignIn = async (c: Parameters<Parameters<typeof app.openapi<typeof routes.jwtGet>>[1]>[0], input: z.infer<typeof JwtInput>, field: string) => {
    const target = safeReturnUrl(c, input.returnUrl, `${field}.returnUrl`)
    await c.var.db.tx(async (tx) => startSession(ctx, c, tx, await memberFromJwt(ctx, tx, input.jwt, `${field}.jwt`), 'jwt'))
    return done(c, target) as never
  }
  app.openapi(routes.jwtGet, (c) => jwtSignIn(c, c.req.valid('query'), 'query'))
  app.openapi(routes.jwtPost, (c) => jwtSignIn(c as never, c.req.valid('form'), 'body'))

  app.openapi(routes.signOut, async (c) => {
    await signOut(c)
    return done(c, `${helpCenterBase(c)}/`) as never
  })

  app.openapi(routes.session, async (c) => {
    const settings = await c.var.db.tx((tx) => ctx.settings(tx))
    return c.json({ visitor: currentVisitor(c), csrfToken: await csrfToken(c), signOutPath: `${helpCenterBase(c)}/sign-out`, signInUrl: signInUrl(c, settings) }, 200)
  })
}
