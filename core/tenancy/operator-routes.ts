/**
 * The operator API (`/operator/v1`): organizations, their services and each service's
 * contract. Changes notify every instance through the tenancy triggers, so a contract change
 * applies at once everywhere.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../plugin/app.ts'
import { route } from '../plugin/app.ts'
import type { Plugin } from '../api/define.ts'
import type { Db } from '../storage/db.ts'
import type { Logger } from '../log.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../http/schemas.ts'
import { errors } from '../http/errors.ts'
import { normalizeContract } from './contract.ts'
import { recordAudit, requestActor } from '../audit/record.ts'
import { organizations, services } from './repository.ts'
import {
  ContractPut,
  ContractSchema,
  OrganizationCreate,
  OrganizationPatch,
  OrganizationSchema,
  OrgParams,
  ServiceCreate,
  ServiceParams,
  ServicePatch,
  ServiceSchema,
} from './schemas.ts'

const tags = ['Operator']
const access = 'operator' as const

const PluginInfo = z
  .object({
    id: z.string(),
    version: z.string(),
    description: z.string().optional(),
    dependsOn: z.array(z.string()),
    features: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of each contract feature' }),
  })
  .openapi('PluginInfo')

const routes = {
  listPlugins: route({ method: 'get', path: '/plugins', tags, access, summary: 'Installed plugins and their contract features', responses: { 200: json(z.object({ plugins: z.array(PluginInfo) }), 'Installed plugins'), ...commonErrors } }),
  listOrgs: route({ method: 'get', path: '/organizations', tags, access, summary: 'List organizations', responses: { 200: json(z.object({ organizations: z.array(OrganizationSchema) }), 'Organizations'), ...commonErrors } }),
  createOrg: route({ method: 'post', path: '/organizations', tags, access, summary: 'Create an organization', request: jsonBody(OrganizationCreate), responses: { 201: json(OrganizationSchema, 'Created'), 409: json(ErrorBody, 'Slug taken'), ...commonErrors } }),
  getOrg: route({ method: 'get', path: '/organizations/{org}', tags, access, summary: 'Get an organization', request: { params: OrgParams }, responses: { 200: json(OrganizationSchema, 'The organization'), ...commonErrors } }),
  patchOrg: route({ method: 'patch', path: '/organizations/{org}', tags, access, summary: 'Rename an organization', request: { params: OrgParams, ...jsonBody(OrganizationPatch) }, responses: { 200: json(OrganizationSchema, 'Updated'), ...commonErrors } }),
  deleteOrg: route({ method: 'delete', path: '/organizations/{org}', tags, access, summary: 'Delete an organization with all its services and data', request: { params: OrgParams }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  listServices: route({ method: 'get', path: '/organizations/{org}/services', tags, access, summary: 'List services', request: { params: OrgParams }, responses: { 200: json(z.object({ services: z.array(ServiceSchema) }), 'Services'), ...commonErrors } }),
  createService: route({ method: 'post', path: '/organizations/{org}/services', tags, access, summary: 'Create a service', request: { params: OrgParams, ...jsonBody(ServiceCreate) }, responses: { 201: json(ServiceSchema, 'Created'), 409: json(ErrorBody, 'Code taken'), ...commonErrors } }),
  getService: route({ method: 'get', path: '/organizations/{org}/services/{service}', tags, access, summary: 'Get a service', request: { params: ServiceParams }, responses: { 200: json(ServiceSchema, 'The service'), ...commonErrors } }),
  patchService: route({ method: 'patch', path: '/organizations/{org}/services/{service}', tags, access, summary: 'Update a service', request: { params: ServiceParams, ...jsonBody(ServicePatch) }, responses: { 200: json(ServiceSchema, 'Updated'), ...commonErrors } }),
  deleteService: route({ method: 'delete', path: '/organizations/{org}/services/{service}', tags, access, summary: 'Delete a service and all its data', request: { params: ServiceParams }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  getContract: route({ method: 'get', path: '/organizations/{org}/services/{service}/contract', tags, access, summary: "A service's contract", request: { params: ServiceParams }, responses: { 200: json(ContractSchema, 'The contract'), ...commonErrors } }),
  putContract: route({ method: 'put', path: '/organizations/{org}/services/{service}/contract', tags, access, summary: "Replace a service's contract", description: 'Takes effect at once on every instance.', request: { params: ServiceParams, ...jsonBody(ContractPut) }, responses: { 200: json(ContractSchema, 'The new contract'), ...commonErrors } }),
}

export function registerOperatorRoutes(app: PluginApp, db: Db, installed: ReadonlyMap<string, Plugin>, log: Logger): void {
  const findOrg = async (slug: string) => {
    const org = await organizations.bySlug(db, slug)
    if (!org) throw errors.notFound(`organization '${slug}'`)
    return org
  }
  const findService = async (slug: string, code: string) => {
    const service = await services.byCode(db, (await findOrg(slug)).id, code)
    if (!service) throw errors.notFound(`service '${code}' of organization '${slug}'`)
    return service
  }

  app.openapi(routes.listPlugins, (c) =>
    c.json(
      {
        plugins: [...installed.values()].map((p) => ({
          id: p.id,
          version: p.version,
          description: p.description,
          dependsOn: [...(p.dependsOn ?? [])],
          features: Object.fromEntries(Object.entries(p.contract?.features ?? {}).map(([k, s]) => [k, z.toJSONSchema(s, { io: 'input' })])),
        })),
      },
      200,
    ),
  )

  app.openapi(routes.listOrgs, async (c) => c.json({ organizations: await organizations.list(db) }, 200))
  app.openapi(routes.createOrg, async (c) => {
    const org = await db.transaction(async (tx) => {
      const created = await organizations.create(tx, c.req.valid('json'))
      if (!created) throw errors.conflict(`organization slug '${c.req.valid('json').slug}' is taken; choose another`)
      await recordAudit(tx, requestActor(c), { action: 'organization.created', target: { type: 'organization', id: created.id }, after: created }, { orgId: created.id, serviceId: null })
      return created
    })
    return c.json(org, 201)
  })
  app.openapi(routes.getOrg, async (c) => c.json(await findOrg(c.req.valid('param').org), 200))
  app.openapi(routes.patchOrg, async (c) => {
    const before = await findOrg(c.req.valid('param').org)
    const org = await db.transaction(async (tx) => {
      const updated = (await organizations.update(tx, before.slug, c.req.valid('json')))!
      await recordAudit(tx, requestActor(c), { action: 'organization.updated', target: { type: 'organization', id: updated.id }, before, after: updated }, { orgId: updated.id, serviceId: null })
      return updated
    })
    return c.json(org, 200)
  })
  // Deleting an organization removes its audit trail with everything else it owns; the log keeps the fact.
  app.openapi(routes.deleteOrg, async (c) => {
    if (!(await organizations.remove(db, c.req.valid('param').org))) throw errors.notFound(`organization '${c.req.valid('param').org}'`)
    log.info('organization deleted', { org: c.req.valid('param').org, requestId: c.var.requestId, ip: c.var.socketAddress })
    return c.body(null, 204)
  })

  app.openapi(routes.listServices, async (c) => {
    const org = await findOrg(c.req.valid('param').org)
    return c.json({ services: await services.list(db, org.id) }, 200)
  })
  app.openapi(routes.createService, async (c) => {
    const org = await findOrg(c.req.valid('param').org)
    const { contract, ...input } = c.req.valid('json')
    const normalized = normalizeContract(contract ?? { plugins: {} }, installed)
    const service = await db.transaction(async (tx) => {
      const created = await services.create(tx, org.id, { ...input, languages: input.languages ?? [input.defaultLanguage] }, normalized)
      if (!created) throw errors.conflict(`service code '${input.code}' is taken in organization '${org.slug}'; choose another`)
      await recordAudit(tx, requestActor(c), { action: 'service.created', target: { type: 'service', id: created.id }, after: created }, { orgId: org.id, serviceId: created.id })
      return created
    })
    return c.json(service, 201)
  })
  app.openapi(routes.getService, async (c) => {
    const { org, service } = c.req.valid('param')
    return c.json(await findService(org, service), 200)
  })
  app.openapi(routes.patchService, async (c) => {
    const { org, service } = c.req.valid('param')
    const current = await findService(org, service)
    const patch = c.req.valid('json')
    const next = {
      code: current.code,
      name: patch.name ?? current.name,
      defaultLanguage: patch.defaultLanguage ?? current.defaultLanguage,
      languages: patch.languages ?? current.languages,
      timezone: patch.timezone ?? current.timezone,
    }
    if (!next.languages.includes(next.defaultLanguage)) {
      throw errors.invalid([{ path: 'body.defaultLanguage', message: `'${next.defaultLanguage}' is not in languages (${next.languages.join(', ')}); change both together` }])
    }
    const updated = await db.transaction(async (tx) => {
      const after = (await services.update(tx, current.id, next))!
      await recordAudit(tx, requestActor(c), { action: 'service.updated', target: { type: 'service', id: current.id }, before: current, after }, { orgId: current.orgId, serviceId: current.id })
      return after
    })
    return c.json(updated, 200)
  })
  app.openapi(routes.deleteService, async (c) => {
    const { org, service } = c.req.valid('param')
    const current = await findService(org, service)
    await db.transaction(async (tx) => {
      await services.remove(tx, current.id)
      await recordAudit(tx, requestActor(c), { action: 'service.deleted', target: { type: 'service', id: current.id }, before: current }, { orgId: current.orgId, serviceId: null })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.getContract, async (c) => {
    const { org, service } = c.req.valid('param')
    return c.json((await findService(org, service)).contract, 200)
  })
  app.openapi(routes.putContract, async (c) => {
    const { org, service } = c.req.valid('param')
    const current = await findService(org, service)
    const contract = normalizeContract(c.req.valid('json'), installed)
    await db.transaction(async (tx) => {
      await services.setContract(tx, current.id, contract)
      await recordAudit(tx, requestActor(c), { action: 'contract.updated', target: { type: 'service', id: current.id }, before: current.contract, after: contract }, { orgId: current.orgId, serviceId: current.id })
    })
    return c.json(contract, 200)
  })
}
