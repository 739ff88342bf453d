/**
 * The Hono app a plugin registers its routes on. Routes are declared with `route()` (api/routes.ts):
 * `createRoute` from @hono/zod-openapi plus an `access` rule. Registering a route
 * that does not say who may call it is a boot error, so no route is public by accident. The
 * platform puts up to four guards in front of each handler: the contract gate (a plugin that
 * is not contracted for the service answers 404), the access check, the refusal of text that
 * cannot be stored in the path and query, and, on routes other than GET, the body limit (the
 * route's own, see {@link BodyLimit}) and the JSON syntax check (which refuses such text in the
 * body too).
 * Guards may answer synchronously, and the query is validated by the platform's synchronous
 * validator, so a request that needs nothing asynchronous is answered synchronously (see
 * http/fused-router.ts).
 */
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import type { Next } from 'hono'
import type { z } from 'zod'
import type { Access } from '../identity/principal.ts'
import { jsonBodyValidator, jsonSyntax, queryValidator, urlText, type ValidationHook, validationHook } from '../http/validation.ts'
import { operationIdOf } from '../http/openapi.ts'
import { PluginError } from '../api/errors.ts'
import type { PlatformContext, PlatformEnv } from '../api/context.ts'
import { accessOf, type BodyLimit, bodyLimitOf, type PluginApp } from '../api/routes.ts'

export { route } from '../api/routes.ts'
export type { BodyLimit, PluginApp, RouteDeclaration } from '../api/routes.ts'

/** Hono middleware that may answer without a promise, which keeps the route's chain synchronous. */
export type Guard = (c: PlatformContext, next: Next) => Response | void | Promise<Response | void>

/** What the platform supplies to guard each route of one plugin. */
export interface RouteGuards {
  /** 404 unless the plugin is contracted for the request's service. */
  contractGate(pluginId: string): Guard
  /** Resolves the principal and enforces the access rule. */
  access(rule: Access): Guard
  /**
   * Checks a route's access rule when the route is registered, e.g. that a permission it asks for
   * is one its plugin (or a plugin it depends on) declares; throws a coded plugin error otherwise.
   */
  checkAccess?(pluginId: string, rule: Access, route: string): void
  /** Refuses a body over the route's limit (413) before anything reads it; the platform's request limit where the route declares none. */
  bodyLimit(declared: BodyLimit | undefined): Guard
}

/** The schema of a body declared as `jsonBody(schema)` does it (required, `application/json` only, a zod schema); otherwise none. */
function requiredJsonBody(body: { required?: boolean; content?: Record<string, unknown> } | undefined): z.ZodType | undefined {
  if (!body?.required || !body.content) return undefined
  const types = Object.keys(body.content)
  const schema = (body.content['application/json'] as { schema?: unknown } | undefined)?.schema
  return types.length === 1 && typeof schema === 'object' && schema !== null && '_zod' in schema ? (schema as z.ZodType) : undefined
}

/**
 * How a registered route's `operationId` is named (see {@link operationIdOf}): under the
 * plugin id unless `namespace` says otherwise, from the path prefixed with `idPath` (a mount's
 * path, so that its routes are told apart from the plugin's `/api/v1` ones).
 */
export interface OperationNaming {
  namespace?: string
  idPath?: string
}

/**
 * Creates a plugin's app; its `openapi()` refuses routes not built with `route()` and names
 * each route's operation, refusing a second route of the app with the same `operationId`.
 */
export function createPluginApp(pluginId: string, guards: RouteGuards, naming: OperationNaming = {}): PluginApp {
  const app = new OpenAPIHono<PlatformEnv>({ defaultHook: validationHook as never })
  const gate = guards.contractGate(pluginId)
  const register = app.openapi.bind(app)
  const operations = new Map<string, string>()
  app.openapi = ((original: RouteConfig & { middleware?: unknown }, handler: unknown, hook?: unknown) => {
    const access = accessOf(original)
    if (!access) {
      throw new PluginError('OC_PLUGIN_ROUTE_ACCESS', pluginId, `registers ${original.method.toUpperCase()} ${original.path} without an access rule; build it with route({ access, ... })`)
    }
    const operationId = operationIdOf(naming.namespace ?? pluginId, original.method, `${naming.idPath ?? ''}${original.path}`, original.operationId)
    const routeName = `${original.method.toUpperCase()} ${naming.idPath ?? ''}${original.path}`
    const taken = operations.get(operationId)
    if (taken) {
      throw new PluginError('OC_PLUGIN_OPERATION_ID', pluginId, `registers ${routeName} with operationId '${operationId}', which ${taken} already has; give one of them its own route({ operationId })`)
    }
    operations.set(operationId, routeName)
    guards.checkAccess?.(pluginId, access, routeName)
    const config = { ...original, operationId }
    const { middleware, hide, ...declared } = config as typeof config & { hide?: boolean }
    const own = middleware ? [middleware].flat() : []
    // A GET route answers only GET and HEAD, which carry no body: no limit, no JSON to check.
    // Every route refuses unstorable text in its path and query (urlText) before its own steps.
    const guarded = config.method === 'get' ? [gate, guards.access(access), urlText, ...own] : [gate, guards.access(access), urlText, guards.bodyLimit(bodyLimitOf(original)), jsonSyntax, ...own]
    const query = declared.request?.query as z.ZodType | undefined
    const body = requiredJsonBody(declared.request?.body as { required?: boolean; content?: Record<string, unknown> } | undefined)
    if (!query && !body) return register({ ...config, middleware: guarded } as never, handler as never, hook as never)
    // The query and a required JSON body are validated here rather than by @hono/zod-openapi
    // (whose validators are always asynchronous, and read and parse the body again), each in
    // the same place of the chain: the query after the route's own middleware, before the other
    // validators; the body last, just before the handler. The document still describes them:
    // the path is registered as declared.
    if (!hide) app.openAPIRegistry.registerPath(declared as never)
    const effectiveHook = (hook ?? app.defaultHook ?? validationHook) as ValidationHook
    const request = { ...declared.request, ...(query && { query: undefined }), ...(body && { body: undefined }) }
    const steps = query ? [...guarded, queryValidator(query, effectiveHook)] : guarded
    const validateBody = body && jsonBodyValidator(body, effectiveHook)
    const run = handler as (c: PlatformContext, next: Next) => unknown
    const handle = validateBody ? (c: PlatformContext, next: Next) => validateBody(c, () => run(c, next) as never) : handler
    return register({ ...declared, request, hide: true, middleware: steps } as never, handle as never, hook as never)
  }) as typeof app.openapi
  return app
}
