/**
 * OpenAPI 3.1 documents (C10), generated from the same route declarations that validate
 * requests: the platform document (operator API and the core service API) and one document
 * per service that lists only the plugins contracted for it.
 */
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { CORE_VERSION } from '../version.ts'

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
  const definitions: Definitions[number][] = [SECURITY_SCHEME as never]
  for (const { app, prefix } of options.sections) {
    for (const def of (app as unknown as OpenAPIHono).openAPIRegistry.definitions) {
      definitions.push(def.type === 'route' ? { ...def, route: { ...def.route, path: `${prefix}${def.route.path}` } } : def)
    }
  }
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: options.title, version: CORE_VERSION, description: options.description },
    servers: options.servers,
  }) as unknown as Record<string, unknown>
}
