/** Agent groups of a service (`/o/{org}/{service}/api/v1/groups`) and their membership, for administrators. */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { recordAudit } from '../../audit/record.ts'
import { groups } from '../groups.ts'
import type { IdentityRuntime } from '../runtime.ts'
import { GroupAgentParams, GroupCreate, GroupParams, GroupPatch, GroupSchema } from '../schemas.ts'

const tags = ['Agent groups']
const admins = { role: 'admin' } as const

const routes = {
  list: route({ method: 'get', path: '/groups', tags, access: admins, summary: 'Agent groups of this service', responses: { 200: json(z.object({ groups: z.array(GroupSchema) }), 'Groups'), ...commonErrors } }),
  get: route({ method: 'get', path: '/groups/{groupId}', tags, access: admins, summary: 'One group', request: { params: GroupParams }, responses: { 200: json(GroupSchema, 'The group'), ...commonErrors } }),
  create: route({
    method: 'post',
    path: '/groups',
    tags,
    access: admins,
    summary: 'Create a group',
    request: jsonBody(GroupCreate),
    responses: { 201: json(GroupSchema, 'Created'), 409: json(ErrorBody, 'Name taken'), ...commonErrors },
  }),
  patch: route({
    method: 'patch',
    path: '/groups/{groupId}',
    tags,
    access: admins,
    summary: 'Rename a group, change its description or replace its agents',
    request: { params: GroupParams, ...jsonBody(GroupPatch) },
    responses: { 200: json(GroupSchema, 'Updated'), 409: json(ErrorBody, 'Name taken'), ...commonErrors },
  }),
  remove: route({ method: 'delete', path: '/groups/{groupId}', tags, access: admins, summary: 'Delete a group', request: { params: GroupParams }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  addAgent: route({
    method: 'put',
    path: '/groups/{groupId}/agents/{agentId}',
    tags,
    access: admins,
    summary: 'Add an agent to a group',
    request: { params: GroupAgentParams },
    responses: { 200: json(GroupSchema, 'The group'), ...commonErrors },
  }),
  removeAgent: route({
    method: 'delete',
    path: '/groups/{groupId}/agents/{agentId}',
    tags,
    access: admins,
    summary: 'Remove an agent from a group',
    request: { params: GroupAgentParams },
    responses: { 200: json(GroupSchema, 'The group'), ...commonErrors },
  }),
}

export function registerGroupRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  const notFound = (id: string) => errors.notFound(`group '${id}' of this service`)

  app.openapi(routes.list, async (c) => c.json({ groups: await c.var.db.tx((tx) => groups.list(tx)) }, 200))

  app.openapi(routes.get, async (c) => {
    const { groupId } = c.req.valid('param')
    const group = await c.var.db.tx((tx) => groups.byId(tx, groupId))
    if (!group) throw notFound(groupId)
    return c.json(group, 200)
  })

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json')
    const group = await c.var.db.tx(async (tx) => {
      const created = await groups.create(tx, input)
      if (!created) throw errors.conflict(`a group named '${input.name}' already exists in this service; choose another name`)
      await recordAudit(tx, runtime.actor(c), { action: 'group.created', target: { type: 'group', id: created.id }, after: created })
      return created
    })
    return c.json(group, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { groupId } = c.req.valid('param')
    const group = await c.var.db.tx(async (tx) => {
      const before = await groups.byId(tx, groupId)
      if (!before) throw notFound(groupId)
      const after = (await groups.update(tx, groupId, c.req.valid('json')))!
      await recordAudit(tx, runtime.actor(c), { action: 'group.updated', target: { type: 'group', id: groupId }, before, after })
      return after
    })
    return c.json(group, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { groupId } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await groups.byId(tx, groupId)
      if (!before || !(await groups.remove(tx, groupId))) throw notFound(groupId)
      await recordAudit(tx, runtime.actor(c), { action: 'group.deleted', target: { type: 'group', id: groupId }, before })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.addAgent, async (c) => {
    const { groupId, agentId } = c.req.valid('param')
    const group = await c.var.db.tx(async (tx) => {
      if (!(await groups.byId(tx, groupId))) throw notFound(groupId)
      if (await groups.addAgent(tx, groupId, agentId)) {
        await recordAudit(tx, runtime.actor(c), { action: 'group.agent-added', target: { type: 'group', id: groupId }, after: { agentId } })
      }
      return (await groups.byId(tx, groupId))!
    })
    return c.json(group, 200)
  })

  app.openapi(routes.removeAgent, async (c) => {
    const { groupId, agentId } = c.req.valid('param')
    const group = await c.var.db.tx(async (tx) => {
      if (!(await groups.byId(tx, groupId))) throw notFound(groupId)
      if (!(await groups.removeAgent(tx, groupId, agentId))) throw errors.notFound(`agent '${agentId}' in group '${groupId}'`)
      await recordAudit(tx, runtime.actor(c), { action: 'group.agent-removed', target: { type: 'group', id: groupId }, before: { agentId } })
      return (await groups.byId(tx, groupId))!
    })
    return c.json(group, 200)
  })
}
