/**
 * Sign-in and the signed-in member (`/o/{org}/org/v1`): log in, refresh, log out, who am I,
 * and signing out everywhere.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import type { PlatformContext } from '../../api/context.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { recordAudit } from '../../audit/record.ts'
import { members, normalizeEmail } from '../members.ts'
import { LoginLocked, lockedError } from '../sessions.ts'
import type { Permission } from '../principal.ts'
import type { IdentityRuntime } from '../runtime.ts'
import { LoginBody, MeSchema, RefreshBody, TokenPairSchema } from '../schemas.ts'

const tags = ['Sign-in']

const routes = {
  login: route({
    method: 'post',
    path: '/auth/login',
    tags,
    access: 'public',
    summary: 'Sign in with e-mail and password',
    description: 'Returns a short-lived access token and a single-use refresh token. Repeated failures lock the account and the client address for a while (429 with Retry-After).',
    request: jsonBody(LoginBody),
    responses: { 200: json(TokenPairSchema, 'Signed in'), 429: json(ErrorBody, 'Too many failed sign-ins; see Retry-After'), ...commonErrors },
  }),
  refresh: route({
    method: 'post',
    path: '/auth/refresh',
    tags,
    access: 'public',
    summary: 'Exchange a refresh token for a new pair',
    description: 'The refresh token is spent: use the new one next time. Presenting a spent token revokes the whole session.',
    request: jsonBody(RefreshBody),
    responses: { 200: json(TokenPairSchema, 'A new pair'), ...commonErrors },
  }),
  logout: route({
    method: 'post',
    path: '/auth/logout',
    tags,
    access: 'public',
    summary: 'Sign out: end the session of a refresh token',
    description: 'Its access tokens stop working at once too. Unknown tokens are accepted silently.',
    request: jsonBody(RefreshBody),
    responses: { 204: { description: 'Signed out' }, ...commonErrors },
  }),
  me: route({ method: 'get', path: '/me', tags, access: 'authenticated', summary: 'The signed-in member and their services', responses: { 200: json(MeSchema, 'The member'), ...commonErrors } }),
  signOutEverywhere: route({
    method: 'delete',
    path: '/me/sessions',
    tags,
    access: 'authenticated',
    summary: 'Sign out everywhere: end every session of the signed-in member',
    responses: { 200: json(z.object({ revoked: z.number().int() }), 'Sessions ended'), ...commonErrors },
  }),
}

/** The member behind the request, or 403 for operators and keys (who have no member account). */
export function signedInMember(c: PlatformContext) {
  const principal = c.var.principal
  if (principal.kind !== 'member') throw errors.forbidden('this route is for signed-in members of the organization')
  return principal
}

export function registerAuthRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  const { db, sessions } = runtime

  app.openapi(routes.login, async (c) => {
    const { email, password } = c.req.valid('json')
    try {
      const { memberId: _memberId, ...pair } = await sessions.login(c.var.org.id, normalizeEmail(email), password, { address: runtime.clientIp(c), userAgent: c.req.header('user-agent') })
      return c.json(pair, 200)
    } catch (error) {
      if (!(error instanceof LoginLocked)) throw error
      return c.json(lockedError(error).toBody(c.var.requestId) as never, 429, { 'retry-after': String(error.retryAfterSeconds) })
    }
  })

  app.openapi(routes.refresh, async (c) => {
    const seen = { reuse: false }
    try {
      const pair = await sessions.refresh(c.var.org.id, c.req.valid('json').refreshToken, async (tx, reuse) => {
        seen.reuse = true
        await recordAudit(
          tx,
          runtime.actor(c),
          { action: 'session.revoked', target: { type: 'member', id: reuse.memberId }, after: { sessionId: reuse.sessionId, reason: 'refresh-token-reuse' } },
          { orgId: reuse.orgId, serviceId: null },
        )
      })
      return c.json(pair, 200)
    } finally {
      // After the commit: this instance forgets the session now; NOTIFY tells the others.
      if (seen.reuse) runtime.cache().clear()
    }
  })

  app.openapi(routes.logout, async (c) => {
    await sessions.logout(c.var.org.id, c.req.valid('json').refreshToken)
    runtime.cache().clear()
    return c.body(null, 204)
  })

  app.openapi(routes.me, async (c) => {
    const principal = signedInMember(c)
    const member = await members.byId(db, c.var.org.id, principal.memberId)
    if (!member) throw errors.notFound('your member account')
    const grants = await db.sql<{ service_id: string; code: string; agent_id: string; role: 'admin' | 'agent'; permissions: Permission[] }>`
      SELECT s.id AS service_id, s.code, a.id AS agent_id, a.role, a.permissions
      FROM oc_agents a JOIN oc_services s ON s.id = a.service_id
      WHERE a.member_id = ${member.id} AND a.org_id = ${c.var.org.id} ORDER BY s.code`
    return c.json(
      {
        member,
        organization: c.var.org,
        services: grants.map((g) => ({ serviceId: g.service_id, serviceCode: g.code, agentId: g.agent_id, role: g.role, permissions: g.permissions })),
      },
      200,
    )
  })

  app.openapi(routes.signOutEverywhere, async (c) => {
    const principal = signedInMember(c)
    const revoked = await db.transaction(async (tx) => {
      const count = await sessions.revokeAll(tx, principal.memberId, 'signed-out-everywhere')
      await recordAudit(tx, runtime.actor(c), { action: 'member.sessions-revoked', target: { type: 'member', id: principal.memberId }, after: { revoked: count } }, { orgId: c.var.org.id, serviceId: null })
      return count
    })
    runtime.cache().clear()
    return c.json({ revoked }, 200)
  })
}
