/**
 * Agents of a service (`/o/{org}/{service}/api/v1/agents`) for its administrators, the
 * permissions its contracted plugins declare (`GET /permissions`), and `GET /me`: the caller's
 * own standing in the service, for any agent, owner or service key.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import type { PlatformContext } from '../../api/context.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { recordAudit } from '../../audit/record.ts'
import { type AgentRecord, agents } from '../agents.ts'
import { members } from '../members.ts'
import { isContracted } from '../../tenancy/contract.ts'
import type { IdentityRuntime } from '../runtime.ts'
import { AgentParams, agentSchemas, PERMISSION_RULES, PermissionsSchema, ServiceMeSchema } from '../schemas.ts'

const tags = ['Agents']
const admins = { role: 'admin' } as const

const agentRoutes = ({ AgentSchema, AgentCreate, AgentPatch }: ReturnType<typeof agentSchemas>) => ({
  me: route({
    method: 'get',
    path: '/me',
    tags,
    access: 'authenticated',
    summary: "The caller's standing in this service: agent grant, organization role or service key",
    responses: { 200: json(ServiceMeSchema, 'The caller'), ...commonErrors },
  }),
  permissions: route({
    method: 'get',
    path: '/permissions',
    tags,
    access: 'authenticated',
    summary: "The agent permissions of this service's contracted plugins, with their rules",
    responses: { 200: json(PermissionsSchema, 'Permissions'), ...commonErrors },
  }),
  list: route({ method: 'get', path: '/agents', tags, access: admins, summary: 'Agents of this service', responses: { 200: json(z.object({ agents: z.array(AgentSchema) }), 'Agents'), ...commonErrors } }),
  get: route({ method: 'get', path: '/agents/{agentId}', tags, access: admins, summary: 'One agent', request: { params: AgentParams }, responses: { 200: json(AgentSchema, 'The agent'), ...commonErrors } }),
  create: route({
    method: 'post',
    path: '/agents',
    tags,
    access: admins,
    summary: 'Add a member of the organization as an agent',
    description: PERMISSION_RULES,
    request: jsonBody(AgentCreate),
    responses: { 201: json(AgentSchema, 'Added'), 409: json(ErrorBody, 'Already an agent of this service'), ...commonErrors },
  }),
  patch: route({
    method: 'patch',
    path: '/agents/{agentId}',
    tags,
    access: admins,
    summary: "Change an agent's role, permissions or per-agent settings",
    request: { params: AgentParams, ...jsonBody(AgentPatch) },
    responses: { 200: json(AgentSchema, 'Updated'), ...commonErrors },
  }),
  remove: route({
    method: 'delete',
    path: '/agents/{agentId}',
    tags,
    access: admins,
    summary: 'Remove an agent from this service (the member stays in the organization)',
    request: { params: AgentParams },
    responses: { 204: { description: 'Removed' }, ...commonErrors },
  }),
})

export function registerAgentRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  const { db, permissions: catalogue, agentSettings } = runtime
  const routes = agentRoutes(agentSchemas(agentSettings))

  /** Agents with their member's address and name (members are organization rows, read as the platform). */
  const withMembers = async (c: PlatformContext, records: AgentRecord[]) => {
    const byId = await members.byIds(db, c.var.tenant.org.id, records.map((r) => r.memberId))
    return records.map(({ pluginSettings, ...r }) => ({
      ...r,
      settings: agentSettings.resolve(pluginSettings),
      email: byId.get(r.memberId)?.email ?? '',
      name: byId.get(r.memberId)?.name ?? '',
    }))
  }
  const one = async (c: PlatformContext, record: AgentRecord) => (await withMembers(c, [record]))[0]!

  app.openapi(routes.me, (c) => {
    const principal = c.var.principal
    switch (principal.kind) {
      case 'member': {
        const agent = principal.agent && { agentId: principal.agent.agentId, role: principal.agent.role, permissions: [...principal.agent.permissions] }
        return c.json({ kind: 'member' as const, memberId: principal.memberId, orgRole: principal.orgRole, keyId: null, agent }, 200)
      }
      case 'service-key':
        return c.json({ kind: 'service-key' as const, memberId: null, orgRole: null, keyId: principal.keyId, agent: null }, 200)
      case 'operator':
        return c.json({ kind: 'operator' as const, memberId: null, orgRole: null, keyId: null, agent: null }, 200)
      case 'anonymous':
        throw errors.unauthenticated("send 'Authorization: Bearer <token>'")
      default: {
        const unreachable: never = principal
        throw new Error(`unknown principal ${JSON.stringify(unreachable)}`)
      }
    }
  })

  app.openapi(routes.permissions, (c) => {
    const { contract } = c.var.tenant.service
    const permissions = catalogue.permissions
      .filter((p) => isContracted(contract, p.plugin))
      .map((p) => ({ name: p.name, plugin: p.plugin, title: { ...p.title }, implies: [...(p.implies ?? [])], requires: [...(p.requires ?? [])], admins: p.admins ?? false }))
    return c.json({ permissions }, 200)
  })

  app.openapi(routes.list, async (c) => c.json({ agents: await withMembers(c, await c.var.db.tx((tx) => agents.list(tx))) }, 200))

  app.openapi(routes.get, async (c) => {
    const { agentId } = c.req.valid('param')
    const record = await c.var.db.tx((tx) => agents.byId(tx, agentId))
    if (!record) throw errors.notFound(`agent '${agentId}' of this service`)
    return c.json(await one(c, record), 200)
  })

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const orgId = c.var.tenant.org.id
    if ((input.memberId === undefined) === (input.email === undefined)) {
      throw errors.invalid([{ path: 'body.memberId', message: "give exactly one of 'memberId' and 'email' to name the member" }])
    }
    const member = input.memberId !== undefined ? await members.byId(db, orgId, input.memberId) : await members.byEmail(db, orgId, input.email!)
    if (!member) {
      const field = input.memberId !== undefined ? 'memberId' : 'email'
      throw errors.invalid([{ path: `body.${field}`, message: `no member of this organization has this ${field === 'email' ? 'address' : 'id'}; invite them first (POST /o/{org}/org/v1/invitations)`, code: 'unknown_reference' }])
    }
    const permissions = catalogue.normalize(input.role, input.permissions)
    const pluginSettings = agentSettings.merge({}, input.settings)
    const created = await c.var.db.tx(async (tx) => {
      const record = await agents.create(tx, orgId, { memberId: member.id, role: input.role, permissions, pluginSettings })
      if (!record) throw errors.conflict(`'${member.email}' is already an agent of this service; change the agent instead (PATCH /agents/{agentId})`)
      await recordAudit(tx, runtime.actor(c), { action: 'agent.created', target: { type: 'agent', id: record.id }, after: record })
      return record
    })
    runtime.cache().clear()
    return c.json(await one(c, created), 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { agentId } = c.req.valid('param')
    const patch = c.req.valid('json')
    const updated = await c.var.db.tx(async (tx) => {
      const before = await agents.byId(tx, agentId)
      if (!before) throw errors.notFound(`agent '${agentId}' of this service`)
      const role = patch.role ?? before.role
      // Without new permissions the agent keeps theirs, less those of plugins no longer installed
      // and, when demoted, those only the admin role gave.
      const kept = before.permissions.filter((p) => catalogue.has(p))
      const requested = patch.permissions ?? (role === 'agent' && before.role === 'admin' ? catalogue.keptOnDemotion(kept) : kept)
      const after = (await agents.update(tx, agentId, {
        role,
        permissions: catalogue.normalize(role, requested),
        pluginSettings: agentSettings.merge(before.pluginSettings, patch.settings),
      }))!
      await recordAudit(tx, runtime.actor(c), { action: 'agent.updated', target: { type: 'agent', id: agentId }, before, after })
      return after
    })
    runtime.cache().clear()
    return c.json(await one(c, updated), 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { agentId } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await agents.byId(tx, agentId)
      if (!before || !(await agents.remove(tx, agentId))) throw errors.notFound(`agent '${agentId}' of this service`)
      await recordAudit(tx, runtime.actor(c), { action: 'agent.removed', target: { type: 'agent', id: agentId }, before })
    })
    runtime.cache().clear()
    return c.body(null, 204)
  })
}
