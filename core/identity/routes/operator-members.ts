/**
 * Members through the operator API (`/operator/v1/organizations/{org}/members`): how an
 * organization gets its first owner, either at once with a password or by an invitation mail.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { recordAudit } from '../../audit/record.ts'
import { organizations } from '../../tenancy/repository.ts'
import { OrgParams } from '../../tenancy/schemas.ts'
import { invitations } from '../invitations.ts'
import { members } from '../members.ts'
import { hashPassword } from '../passwords.ts'
import type { IdentityRuntime } from '../runtime.ts'
import { MemberSchema, OperatorMemberCreate, OperatorMemberCreated } from '../schemas.ts'

const tags = ['Operator']

const routes = {
  list: route({
    method: 'get',
    path: '/organizations/{org}/members',
    tags,
    access: 'operator',
    summary: "An organization's members",
    request: { params: OrgParams },
    responses: { 200: json(z.object({ members: z.array(MemberSchema) }), 'Members'), ...commonErrors },
  }),
  create: route({
    method: 'post',
    path: '/organizations/{org}/members',
    tags,
    access: 'operator',
    summary: 'Add a member (typically the first owner): with a password at once, or by invitation',
    description:
      'Without a password an invitation is made. With no mail sender configured (OC_SMTP_URL) it is not mailed: `invitation.delivery.state` is `not-sent` and the answer carries the single-use token (and accept link) this once, for the operator to hand over.',
    request: { params: OrgParams, ...jsonBody(OperatorMemberCreate) },
    responses: { 201: json(OperatorMemberCreated, 'Member created, or invitation sent'), 409: json(ErrorBody, 'Already a member'), ...commonErrors },
  }),
}

export function registerOperatorMemberRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  const { db, settings, catalogue } = runtime
  const findOrg = async (slug: string) => {
    const org = await organizations.bySlug(db, slug)
    if (!org) throw errors.notFound(`organization '${slug}'`)
    return org
  }

  app.openapi(routes.list, async (c) => c.json({ members: await members.list(db, (await findOrg(c.req.valid('param').org)).id) }, 200))

  app.openapi(routes.create, async (c) => {
    const org = await findOrg(c.req.valid('param').org)
    const input = c.req.valid('json')
    if (await members.byEmail(db, org.id, input.email)) throw errors.conflict(`'${input.email}' is already a member of organization '${org.slug}'`)
    const scope = { orgId: org.id, serviceId: null }
    if (input.password !== undefined) {
      const passwordHash = await hashPassword(input.password, settings.passwordIterations)
      const member = await db.transaction(async (tx) => {
        const created = await members.create(tx, org.id, { email: input.email, name: input.name ?? '', orgRole: input.orgRole, passwordHash })
        if (!created) throw errors.conflict(`'${input.email}' is already a member of organization '${org.slug}'`)
        await recordAudit(tx, runtime.actor(c), { action: 'member.created', target: { type: 'member', id: created.id }, after: created }, scope)
        return created
      })
      return c.json({ member, invitation: null }, 201)
    }
    const invitation = await db.transaction(async (tx) => {
      const created = await invitations.invite(tx, catalogue, settings, runtime.log, org, { email: input.email, orgRole: input.orgRole, invitedBy: null })
      // The audit keeps the delivery state, never the token.
      await recordAudit(tx, runtime.actor(c), { action: 'member.invited', target: { type: 'invitation', id: created.invitation.id }, after: { ...created.invitation, delivery: created.delivery.state } }, scope)
      return { ...created.invitation, delivery: created.delivery }
    })
    return c.json({ member: null, invitation }, 201)
  })
}
