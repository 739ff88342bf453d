/**
 * Online Contact OPEN API compatibility (C16): the seed product's documented API, served on top
 * of the ticket plugin at its own paths under each service, so existing clients work unchanged:
 *
 *   /{service}/api/v2/...      public: submission types, their fields, attachment download
 *   /{service}/openapi/v1/...  signed with a service key: upload, create, per end user list,
 *                              detail and comment
 *
 * (path mode: `/o/{org}/{service}/...`; host mode: `{org}.{OC_BASE_DOMAIN}/{service}/...`).
 * Mapping tables: mapping.ts; authentication: signature.ts; answers: envelope.ts.
 */
import { openApiAccessRef, type PluginMount } from '../../../core/mod.ts'
import { registerCompatPublicRoutes } from './routes-public.ts'
import { registerCompatSignedRoutes } from './routes-signed.ts'

/** A 10 MB file plus the multipart framing around it; bigger bodies are refused before parsing. */
const UPLOAD_BODY_LIMIT = 11 * 1024 * 1024

/** The core services the compat routes use: the Open API switch, allowlist and request signatures. */
export const compatUses = { openApiAccess: openApiAccessRef } as const

export const compatMounts: readonly PluginMount[] = [
  { path: '/api/v2', routes: registerCompatPublicRoutes },
  { path: '/openapi/v1', bodyLimitBytes: UPLOAD_BODY_LIMIT, routes: registerCompatSignedRoutes },
]
