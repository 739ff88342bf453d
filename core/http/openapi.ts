/**
 * OpenAPI 3.1 documents (C10), generated from the same route declarations that validate
 * requests: the platform document (operator API and the core service API) and one document
 * per service that lists only the plugins contracted for it.
 *
 * Made for client generators: every operation has an `operationId` (set when the route is
 * registered, see {@link operationIdOf}), every `{param}` of a path is declared on each of its
 * operations (also those of a section's prefix, such as `{org}` in `/o/{org}/org/v1`), and every
 * operation documents a 4xx answer in the platform's error shape.
 */
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { CORE_VERSION } from '../version.ts'
import { ErrorBody } from './schemas.ts'

type Definitions = OpenAPIHono['openAPIRegistry']['definitions']

/** The routes of one app, placed under a path prefix. */
export interface DocumentSection {
  app: OpenAPIHono<never>
  prefix: string
}

const SECURITY_SCHEME = {
  type: 'component',
  componentType: 'securitySchemes',
  name: 'bearer',
  component: {
    type: 'http',
    scheme: 'bearer',
    description: 'An operator token (`oco_…`) or, on service routes, a member access token or service key.',
  },
} as const

export function buildDocument(options: {
  title: string
  description: string
  servers: { url: string; description?: string }[]
  sections: readonly DocumentSection[]
}): Record<string, unknown> {
  const definitions: Definitions[number][] = [SECURITY_SCHEME as never, { type: 'schema', schema: ErrorBody } as never]
  for (const { app, prefix } of options.sections) {
    for (const def of (app as unknown as OpenAPIHono).openAPIRegistry.definitions) {
      definitions.push(def.type === 'route' ? { ...def, route: { ...def.route, path: `${prefix}${def.route.path}` } } : def)
    }
  }
  const doc = new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: options.title, version: CORE_VERSION, description: options.description, license: LICENSE },
    servers: options.servers,
  }) as unknown as { paths?: Record<string, Record<string, Operation>> }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]) completeOperation(path, item[method])
  }
  return doc as Record<string, unknown>
}

/** The package's license (package.json), as OpenAPI 3.1 names it. */
const LICENSE = { name: 'Apache-2.0', identifier: 'Apache-2.0' }
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const

interface Operation {
  parameters?: { name: string; in: string }[]
  responses?: Record<string, unknown>
}

/**
 * Declares the path parameters a route's own declaration cannot know (those of the prefix its
 * app is mounted under) and gives an operation that lists no 4xx answer the common one.
 */
function completeOperation(path: string, op: Operation): void {
  const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name))
  const missing = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((name) => !declared.has(name))
  if (missing.length) {
    const added = missing.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description: PREFIX_PARAMS[name] ?? `The \`${name}\` of the path.` }))
    op.parameters = [...added, ...(op.parameters ?? [])]
  }
  const responses = (op.responses ??= {})
  if (!Object.keys(responses).some((status) => status.startsWith('4'))) {
    responses['4XX'] = { description: 'Refused; `error.code` says why', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
  }
}

const PREFIX_PARAMS: Record<string, string> = {
  org: 'The organization code (e.g. `acme`).',
  service: 'The service code within the organization (e.g. `desk`).',
}

const VERBS = { get: 'get', put: 'put', post: 'create', patch: 'update', delete: 'delete' } as const

/**
 * The operation id of a route: `<namespace>.<verb><Resource>`, derived from the method and the
 * path so that it is stable and needs no declaration. The namespace is the plugin id (`core`
 * areas use `platform`, `operator`, `org`, `service`); the verb is `list` for a GET of a path
 * that does not end in a parameter, `get` for one that does, and `create`, `put`, `update`,
 * `delete` for POST, PUT, PATCH, DELETE; the resource is the path's literal segments in
 * PascalCase, without the namespace itself and version segments (`v1`), parameters named
 * `By<Param>` where they are not the last segment. A route may set its own `operationId`
 * (kept, under the namespace) where the derived one would be unclear or taken.
 *
 * @example operationIdOf('ticket', 'get', '/ticket/tickets') // 'ticket.listTickets'
 * @example operationIdOf('ticket', 'get', '/ticket/tickets/{ticketId}') // 'ticket.getTickets'
 */
export function operationIdOf(namespace: string, method: string, path: string, explicit?: string): string {
  if (explicit) return explicit.includes('.') ? explicit : `${namespace}.${explicit}`
  const segments = path.split('/').filter((s) => s && s !== namespace && !/^v\d+$/.test(s))
  const last = segments.at(-1) ?? ''
  const verb = method === 'get' ? (last.startsWith('{') || last.startsWith(':') ? 'get' : 'list') : (VERBS[method as keyof typeof VERBS] ?? method)
  const words = segments.map((s, i) => {
    const param = /^\{(.+)\}$|^:(.+)$/.exec(s)
    if (param) return i === segments.length - 1 ? '' : `By${pascal(param[1] ?? param[2]!)}`
    return pascal(s.replace(/\.json$/, ''))
  })
  return `${namespace}.${verb}${words.join('')}`
}

const pascal = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
