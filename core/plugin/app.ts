/**
 * The Hono app a plugin registers its routes on, and `route()`, the one way to declare a route.
 *
 * `route()` is `createRoute` from @hono/zod-openapi plus an `access` rule. Registering a route
 * that does not say who may call it is a boot error, so no route is public by accident. The
 * platform puts three guards in front of each handler: the contract gate (a plugin that is
 * not contracted for the service answers 404), the access check, and the JSON syntax check.
 */
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Access } from '../identity/principal.ts'
import { describeAccess } from '../identity/principal.ts'
import { jsonSyntax, validationHook } from '../http/validation.ts'
import { PluginError } from './errors.ts'
import type { PlatformEnv } from './context.ts'

export type PluginApp = OpenAPIHono<PlatformEnv>

const declaredAccess = new WeakMap<object, Access>()

/** The route config `route()` accepts: everything `createRoute` takes, plus who may call it. */
export type RouteDeclaration = RouteConfig & { access: Access }

/**
 * Declares a route: its request and response schemas (validation, types and docs in one)
 * and its access rule.
 *
 * @example
 * const listGreetings = route({
 *   method: 'get', path: '/greetings', access: { permission: 'ticket' },
 *   responses: { 200: { description: 'Greetings', content: { 'application/json': { schema: GreetingList } } } },
 * })
 */
export function route<const R extends RouteDeclaration>(declaration: R): Omit<R, 'access'> & { getRoutingPath(): string } {
  const { access, ...config } = declaration
  const secured = {
    ...config,
    security: access === 'public' ? [] : [{ bearer: [] }],
    'x-oc-access': describeAccess(access),
  }
  const built = createRoute(secured as unknown as RouteConfig)
  declaredAccess.set(built, access)
  return built as never
}

/** What the platform supplies to guard each route of one plugin. */
export interface RouteGuards {
  /** 404 unless the plugin is contracted for the request's service. */
  contractGate(pluginId: string): MiddlewareHandler<PlatformEnv>
  /** Resolves the principal and enforces the access rule. */
  access(rule: Access): MiddlewareHandler<PlatformEnv>
}

/** Creates a plugin's app; its `openapi()` refuses routes not built with `route()`. */
export function createPluginApp(pluginId: string, guards: RouteGuards): PluginApp {
  const app = new OpenAPIHono<PlatformEnv>({ defaultHook: validationHook as never })
  const gate = guards.contractGate(pluginId)
  const register = app.openapi.bind(app)
  app.openapi = ((config: RouteConfig & { middleware?: unknown }, handler: unknown, hook?: unknown) => {
    const access = declaredAccess.get(config)
    if (!access) {
      throw new PluginError('OC_PLUGIN_ROUTE_ACCESS', pluginId, `registers ${config.method.toUpperCase()} ${config.path} without an access rule; build it with route({ access, ... })`)
    }
    const own = config.middleware ? [config.middleware].flat() : []
    const guarded = { ...config, middleware: [gate, guards.access(access), jsonSyntax, ...own] }
    return register(guarded as never, handler as never, hook as never)
  }) as typeof app.openapi
  return app
}
