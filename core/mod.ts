/**
 * The public surface for plugin authors: everything a plugin may import from the core.
 * First-party plugins use nothing else, so a third-party plugin can do all they do.
 */
export { definePlugin } from './plugin/define.ts'
export type { Plugin, PluginDefinition, Subscriber } from './plugin/define.ts'
export { route } from './plugin/app.ts'
export type { PluginApp, RouteDeclaration } from './plugin/app.ts'
export type { PlatformContext, PlatformEnv, PluginContext, RequestVars, TenantDb, TenantTx } from './plugin/context.ts'
export { PluginError, PLUGIN_ERRORS } from './plugin/errors.ts'
export type { PluginErrorCode } from './plugin/errors.ts'
export { errors, OcError } from './http/errors.ts'
export type { FieldIssue } from './http/errors.ts'
export { commonErrors, ErrorBody, json, jsonBody } from './http/schemas.ts'
export { secret } from './settings/secrets.ts'
export type { Migration } from './storage/migrations.ts'
export type { Queryable, Row, TenantScope } from './storage/db.ts'
export type { BlobInfo, BlobPolicy, StoredBlob, TenantBlobs } from './storage/blob.ts'
export type { EventEnvelope } from './events/types.ts'
export type { Access, Permission, Principal } from './identity/principal.ts'
export type { Contract, Organization, Service, Tenant } from './tenancy/types.ts'
export type { Logger } from './log.ts'
export { CORE_VERSION } from './version.ts'
/** zod with OpenAPI metadata (`.openapi(...)`), the one zod plugins should use for routes. */
export { z } from '@hono/zod-openapi'
