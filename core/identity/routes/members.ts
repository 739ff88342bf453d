/**
 * Members and invitations of an organization (`/o/{org}/org/v1`): owners list, invite, change
 * and remove members and end their sessions; anyone holding an invitation token accepts it.
 * Every change is audited at organization level, in the transaction that makes it.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import type { PlatformContext } from '../../api/context.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { actorOf, recordAudit } from '../../audit/record.ts'
import type { Queryable } from '../../storage/db.ts'
import { invitations } from '../invitations.ts'
import { members } from '../members.ts'
import type { IdentityRuntime } from '../runtime.ts'
import {
  InvitationAccept,
  InvitationAccepted,
  InvitationCreate,
  InvitationCreated,
  InvitationParams,
  InvitationSchema,
  MemberParams,
  MemberPatch,
  MemberSchema,
} from '../schemas.ts'

const tags = ['Members']
const owners = { orgRole: 'owner' } as const

const routes = {
  list: route({ method: 'get', path: '/members', tags, access: owners, summary: 'Members of the organization', responses: { 200: json(z.object({ members: z.array(MemberSchema) }), 'Members'), ...commonErrors } }),
  patch: route({
    method: 'patch',
    path: '/members/{memberId}',
    tags,
    access: owners,
    summary: "Change a member's organization role or name",
    request: { params: MemberParams, ...jsonBody(MemberPatch) },
    responses: { 200: json(MemberSchema, 'Updated'), 409: json(ErrorBody, 'Would leave the organization without an owner'), ...commonErrors },
  }),
  remove: route({
    method: 'delete',
    path: '/members/{memberId}',
    tags,
    access: owners,
    summary: 'Remove a member (their agent places and sessions go with them)',
    request: { params: MemberParams },
    responses: { 204: { description: 'Removed' }, 409: json(ErrorBody, 'Would leave the organization without an owner'), ...commonErrors },
  }),
  revokeSessions: route({
    method: 'delete',
    path: '/members/{memberId}/sessions',
    tags,
    access: owners,
    summary: "End every session of a member (their access tokens stop working at once)",
    request: { params: MemberParams },
    responses: { 200: json(z.object({ revoked: z.number().int() }), 'Sessions ended'), ...commonErrors },
  }),
  listInvitations: route({
    method: 'get',
    path: '/invitations',
    tags,
    access: owners,
    summary: 'Invitations, newest first',
    responses: { 200: json(z.object({ invitations: z.array(InvitationSchema) }), 'Invitations'), ...commonErrors },
  }),
  invite: route({
    method: 'post',
    path: '/invitations',
    tags,
    access: owners,
    summary: 'Invite someone by e-mail',
    description:
      'The mail goes out through the event outbox; a pending invitation for the same address is replaced. Without a mail sender (OC_SMTP_URL) the answer says `delivery.state: not-sent` and carries the single-use token (and accept link) once, for the owner to hand over.',
    request: jsonBody(InvitationCreate),
    responses: { 201: json(InvitationCreated, 'Invited'), 409: json(ErrorBody, 'Already a member'), ...commonErrors },
  }),
  revokeInvitation: route({
    method: 'delete',
    path: '/invitations/{invitationId}',
    tags,
    access: owners,
    summary: 'Revoke a pending invitation',
    request: { params: InvitationParams },
    responses: { 204: { description: 'Revoked' }, ...commonErrors },
  }),
  accept: route({
    method: 'post',
    path: '/invitations/accept',
    tags,
    access: 'public',
    summary: 'Accept an invitation with the token from its mail',
    description: 'Creates the account with the given password, or links the invitation to the existing account of the address. Works once.',
    request: jsonBody(InvitationAccept),
    responses: { 201: json(InvitationAccepted, 'Account created'), 200: json(InvitationAccepted, 'Linked to the existing account'), 409: json(ErrorBody, 'Already accepted'), 410: json(ErrorBody, 'Expired, revoked or replaced'), ...commonErrors },
  }),
}

/** Refuses a change that would leave the organization without an owner. */
async function keepAnOwner(tx: Queryable, orgId: string, memberId: string, action: string): Promise<void> {
  if ((await members.otherOwners(tx, orgId, memberId)) === 0) {
    throw errors.conflict(`cannot ${action} the last owner of the organization; make another member an owner first`)
  }
}

export function registerMemberRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  const { db, settings, catalogue, sessions } = runtime
  const orgScope = (c: PlatformContext) => ({ orgId: c.var.org.id, serviceId: null })

  app.openapi(routes.list, async (c) => c.json({ members: await members.list(db, c.var.org.id) }, 200))

  app.openapi(routes.patch, async (c) => {
    const { memberId } = c.req.valid('param')
    const patch = c.req.valid('json')
    const updated = await db.transaction(async (tx) => {
      const before = await members.byId(tx, c.var.org.id, memberId)
      if (!before) throw errors.notFound(`member '${memberId}'`)
      if (before.orgRole === 'owner' && patch.orgRole === 'member') await keepAnOwner(tx, c.var.org.id, memberId, 'demote')
      const after = (await members.update(tx, c.var.org.id, memberId, patch))!
      await recordAudit(tx, runtime.actor(c), { action: 'member.updated', target: { type: 'member', id: memberId }, before, after }, orgScope(c))
      return after
    })
    runtime.cache().clear()
    return c.json(updated, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { memberId } = c.req.valid('param')
    await db.transaction(async (tx) => {
      const before = await members.byId(tx, c.var.org.id, memberId)
      if (!before) throw errors.notFound(`member '${memberId}'`)
      if (before.orgRole === 'owner') await keepAnOwner(tx, c.var.org.id, memberId, 'remove')
      await members.remove(tx, c.var.org.id, memberId)
      await recordAudit(tx, runtime.actor(c), { action: 'member.removed', target: { type: 'member', id: memberId }, before }, orgScope(c))
    })
    runtime.cache().clear()
    return c.body(null, 204)
  })

  app.openapi(routes.revokeSessions, async (c) => {
    const { memberId } = c.req.valid('param')
    const revoked = await db.transaction(async (tx) => {
      if (!(await members.byId(tx, c.var.org.id, memberId))) throw errors.notFound(`member '${memberId}'`)
      const count = await sessions.revokeAll(tx, memberId, 'revoked-by-owner')
      await recordAudit(tx, runtime.actor(c), { action: 'member.sessions-revoked', target: { type: 'member', id: memberId }, after: { revoked: count } }, orgScope(c))
      return count
    })
    runtime.cache().clear()
    return c.json({ revoked }, 200)
  })

  app.openapi(routes.listInvitations, async (c) => c.json({ invitations: await invitations.list(db, c.var.org.id) }, 200))

  app.openapi(routes.invite, async (c) => {
    const input = c.req.valid('json')
    if (await members.byEmail(db, c.var.org.id, input.email)) throw errors.conflict(`'${input.email}' is already a member of this organization`)
    const invitation = await db.transaction(async (tx) => {
      const created = await invitations.invite(tx, catalogue, settings, runtime.log, c.var.org, { ...input, invitedBy: actorOf(c.var.principal).label })
      // The audit keeps the delivery state, never the token.
      await recordAudit(tx, runtime.actor(c), { action: 'member.invited', target: { type: 'invitation', id: created.invitation.id }, after: { ...created.invitation, delivery: created.delivery.state } }, orgScope(c))
      return { ...created.invitation, delivery: created.delivery }
    })
    return c.json(invitation, 201)
  })

  app.openapi(routes.revokeInvitation, async (c) => {
    const { invitationId } = c.req.valid('param')
    await db.transaction(async (tx) => {
      const revoked = await invitations.revoke(tx, c.var.org.id, invitationId)
      if (!revoked) throw errors.notFound(`pending invitation '${invitationId}'`)
      await recordAudit(tx, runtime.actor(c), { action: 'invitation.revoked', target: { type: 'invitation', id: invitationId }, after: revoked }, orgScope(c))
    })
    return c.body(null, 204)
  })

  app.openapi(routes.accept, async (c) => {
    const result = await invitations.accept(db, c.var.org.id, c.req.valid('json'), settings.passwordIterations, async (tx, accepted) => {
      // The invitee is the actor: the token proved they hold the invited mailbox (or, with no mail sender, were handed the token by its creator).
      const principal = { kind: 'member' as const, memberId: accepted.member.id, orgId: c.var.org.id, email: accepted.member.email, orgRole: accepted.member.orgRole, agent: null }
      await recordAudit(
        tx,
        { principal, ip: runtime.clientIp(c), requestId: c.var.requestId },
        { action: 'invitation.accepted', target: { type: 'invitation', id: accepted.invitationId }, after: { memberId: accepted.member.id, linked: accepted.linked } },
        orgScope(c),
      )
    })
    runtime.cache().clear()
    return c.json({ member: result.member, linked: result.linked }, result.linked ? 200 : 201)
  })
}
