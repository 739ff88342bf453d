/**
 * Routes as plugins declare them: `route()`, the one way to declare a route (`createRoute` from
 * @hono/zod-openapi plus an `access` rule and an optional body limit), and the app plugins
 * register routes on. The platform reads what `route()` recorded (`accessOf`, `bodyLimitOf`)
 * when the route is registered on a plugin app (plugin/app.ts), and refuses routes built without it.
 */
import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import { type Access, describeAccess } from '../identity/principal.ts'
import type { PlatformEnv } from './request.ts'

export type PluginApp = OpenAPIHono<PlatformEnv>

const declaredAccess = new WeakMap<object, Access>()
const declaredBodyLimit = new WeakMap<object, BodyLimit>()

/** The access rule `route()` recorded for a built route; undefined for a route not built with it. */
export const accessOf = (built: object): Access | undefined => declaredAccess.get(built)

/** The body limit `route()` recorded for a built route, if it declared one. */
export const bodyLimitOf = (built: object): BodyLimit | undefined => declaredBodyLimit.get(built)

/**
 * The largest request body a route takes: bytes, or `'upload'` for a route that carries a file
 * (the platform's file size limit, with room for base64). Routes that say nothing take the
 * platform's request limit (`bodyLimitBytes`, 1 MiB by default).
 */
export type BodyLimit = number | 'upload'

/** The route config `route()` accepts: everything `createRoute` takes, plus who may call it and, where it differs, how large a body it takes. */
export type RouteDeclaration = RouteConfig & { access: Access; bodyLimit?: BodyLimit }

/**
 * Declares a route: its request and response schemas (validation, types and docs in one)
 * and its access rule. Its `operationId` is derived from the method and path when the route
 * is registered (see `operationIdOf` in http/openapi.ts); set `operationId` to name it yourself.
 *
 * @example
 * const listGreetings = route({
 *   method: 'get', path: '/greetings', access: { permission: 'ticket' },
 *   responses: { 200: { description: 'Greetings', content: { 'application/json': { schema: GreetingList } } } },
 * })
 */
export function route<const R extends RouteDeclaration>(declaration: R): Omit<R, 'access' | 'bodyLimit'> & { getRoutingPath(): string } {
  const { access, bodyLimit, ...config } = declaration
  const secured = {
    ...config,
    security: access === 'public' ? [] : [{ bearer: [] }],
    'x-oc-access': describeAccess(access),
  }
  const built = createRoute(secured as unknown as RouteConfig)
  declaredAccess.set(built, access)
  if (bodyLimit !== undefined) declaredBodyLimit.set(built, bodyLimit)
  return built as never
}
