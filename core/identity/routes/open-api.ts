/**
 * Open API access of a service (`/o/{org}/{service}/api/v1/open-api`), for administrators: the
 * on/off switch, service keys (created and rotated keys are shown once) and the IP allowlist.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../../plugin/app.ts'
import { route } from '../../plugin/app.ts'
import { commonErrors, ErrorBody, json, jsonBody } from '../../http/schemas.ts'
import { errors } from '../../http/errors.ts'
import { recordAudit } from '../../audit/record.ts'
import type { IdentityRuntime } from '../runtime.ts'
import { allowlist, checkAllowlist, type KeySealer, openApiSwitch, serviceKeyContext, serviceKeys } from '../service-keys.ts'
import type { PlatformContext } from '../../api/context.ts'
import {
  AllowlistPut,
  AllowlistSchema,
  OpenApiPut,
  OpenApiState,
  ServiceKeyCreate,
  ServiceKeyParams,
  ServiceKeyRotate,
  ServiceKeyRotated,
  ServiceKeySchema,
  ServiceKeyWithToken,
} from '../schemas.ts'

const tags = ['Open API']
const admins = { role: 'admin' } as const

const routes = {
  getSwitch: route({ method: 'get', path: '/open-api', tags, access: admins, summary: 'Whether Open API access is enabled', responses: { 200: json(OpenApiState, 'The switch'), ...commonErrors } }),
  putSwitch: route({
    method: 'put',
    path: '/open-api',
    tags,
    access: admins,
    summary: 'Enable or disable Open API access (service keys work only while enabled)',
    request: jsonBody(OpenApiPut),
    responses: { 200: json(OpenApiState, 'The switch'), ...commonErrors },
  }),
  listKeys: route({
    method: 'get',
    path: '/open-api/keys',
    tags,
    access: admins,
    summary: 'Service keys, newest first (never the keys themselves)',
    responses: { 200: json(z.object({ keys: z.array(ServiceKeySchema) }), 'Keys'), ...commonErrors },
  }),
  createKey: route({
    method: 'post',
    path: '/open-api/keys',
    tags,
    access: admins,
    summary: 'Create a service key; the answer is the only time it is shown',
    request: jsonBody(ServiceKeyCreate),
    responses: { 201: json(ServiceKeyWithToken, 'The new key'), ...commonErrors },
  }),
  rotateKey: route({
    method: 'post',
    path: '/open-api/keys/{keyId}/rotate',
    tags,
    access: admins,
    summary: 'Replace a key: the successor is shown once, the old key works until its grace period ends',
    request: { params: ServiceKeyParams, body: { required: false, content: { 'application/json': { schema: ServiceKeyRotate } } } },
    responses: { 201: json(ServiceKeyRotated, 'The successor and the old key'), 409: json(ErrorBody, 'The key is not active'), ...commonErrors },
  }),
  revokeKey: route({
    method: 'delete',
    path: '/open-api/keys/{keyId}',
    tags,
    access: admins,
    summary: 'Revoke a key at once',
    request: { params: ServiceKeyParams },
    responses: { 204: { description: 'Revoked' }, 409: json(ErrorBody, 'Already revoked'), ...commonErrors },
  }),
  getAllowlist: route({ method: 'get', path: '/open-api/allowlist', tags, access: admins, summary: 'The IP allowlist of service-key calls (empty: any address)', responses: { 200: json(AllowlistSchema, 'The allowlist'), ...commonErrors } }),
  putAllowlist: route({
    method: 'put',
    path: '/open-api/allowlist',
    tags,
    access: admins,
    summary: 'Replace the IP allowlist (IPv4 and IPv6 CIDR ranges or single addresses)',
    description: 'A `/0` range is refused. With a non-empty list, service-key calls from other addresses are refused with 403.',
    request: jsonBody(AllowlistPut),
    responses: { 200: json(AllowlistSchema, 'The allowlist'), ...commonErrors },
  }),
}

export function registerOpenApiRoutes(app: PluginApp, runtime: IdentityRuntime): void {
  /** Every write here changes what authentication reads; this instance forgets it at once. */
  const written = <T>(value: T): T => {
    runtime.cache().clear()
    return value
  }

  /** Seals new keys under the tenant key so they can sign compat Open API requests; none without a master key. */
  const sealerOf = (c: PlatformContext): KeySealer | undefined => {
    if (!runtime.crypto.configured) return undefined
    const tenant = runtime.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id })
    return (token, keyId) => tenant.encrypt(token, serviceKeyContext(keyId))
  }
  const withOrg = (c: PlatformContext, state: { enabled: boolean; updatedAt: string | null }) => ({ ...state, orgId: c.var.tenant.org.id })

  app.openapi(routes.getSwitch, async (c) => c.json(withOrg(c, await c.var.db.tx((tx) => openApiSwitch.get(tx))), 200))

  app.openapi(routes.putSwitch, async (c) => {
    const { enabled } = c.req.valid('json')
    const state = await c.var.db.tx(async (tx) => {
      const before = await openApiSwitch.get(tx)
      const after = await openApiSwitch.set(tx, enabled)
      await recordAudit(tx, runtime.actor(c), { action: 'open-api.updated', target: { type: 'service', id: c.var.tenant.service.id }, before: { enabled: before.enabled }, after: { enabled } })
      return after
    })
    return c.json(written(withOrg(c, state)), 200)
  })

  app.openapi(routes.listKeys, async (c) => c.json({ keys: await c.var.db.tx((tx) => serviceKeys.list(tx)) }, 200))

  app.openapi(routes.createKey, async (c) => {
    const { name } = c.req.valid('json')
    const created = await c.var.db.tx(async (tx) => {
      const { view, token } = await serviceKeys.create(tx, name, sealerOf(c))
      // The trail names the key, never its value.
      await recordAudit(tx, runtime.actor(c), { action: 'service-key.created', target: { type: 'service-key', id: view.id }, after: view })
      return { ...view, token }
    })
    return c.json(written(created), 201)
  })

  app.openapi(routes.rotateKey, async (c) => {
    const { keyId } = c.req.valid('param')
    const graceSeconds = (c.req.valid('json') as { graceSeconds?: number }).graceSeconds ?? runtime.settings.serviceKeyGraceSeconds
    const rotated = await c.var.db.tx(async (tx) => {
      const result = await serviceKeys.rotate(tx, keyId, graceSeconds, sealerOf(c))
      const { token: _token, ...successor } = result.key
      await recordAudit(tx, runtime.actor(c), { action: 'service-key.rotated', target: { type: 'service-key', id: keyId }, after: { previous: result.previous, successor } })
      return result
    })
    return c.json(written(rotated), 201)
  })

  app.openapi(routes.revokeKey, async (c) => {
    const { keyId } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const revoked = await serviceKeys.revoke(tx, keyId)
      if (!revoked) throw errors.notFound(`service key '${keyId}' of this service`)
      await recordAudit(tx, runtime.actor(c), { action: 'service-key.revoked', target: { type: 'service-key', id: keyId }, after: revoked })
    })
    runtime.cache().clear()
    return c.body(null, 204)
  })

  app.openapi(routes.getAllowlist, async (c) => c.json({ entries: await c.var.db.tx((tx) => allowlist.get(tx)) }, 200))

  app.openapi(routes.putAllowlist, async (c) => {
    const entries = checkAllowlist(c.req.valid('json').entries)
    const after = await c.var.db.tx(async (tx) => {
      const before = await allowlist.get(tx)
      const saved = await allowlist.replace(tx, entries)
      await recordAudit(tx, runtime.actor(c), {
        action: 'ip-allowlist.updated',
        target: { type: 'service', id: c.var.tenant.service.id },
        before: before.map((e) => e.cidr),
        after: saved.map((e) => e.cidr),
      })
      return saved
    })
    return c.json(written({ entries: after }), 200)
  })
}
