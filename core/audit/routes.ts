/**
 * Reading the audit trail (C15): a service's entries for its administrators, an
 * organization's entries (organization-level and every service's) for its owners and operators.
 * Newest first, with an opaque cursor.
 */
import { z } from '@hono/zod-openapi'
import type { PluginApp } from '../plugin/app.ts'
import { route } from '../plugin/app.ts'
import type { Queryable } from '../storage/db.ts'
import { commonErrors, json } from '../http/schemas.ts'
import { decodeIdCursor, encodeIdCursor } from '../http/cursor.ts'

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    serviceId: z.string().nullable(),
    actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    action: z.string().openapi({ example: 'settings.updated' }),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .openapi('AuditEntry')

const AuditPage = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage')

const AuditQuery = z.object({
  action: z.string().max(100).optional().openapi({ description: 'Only this action, e.g. `agent.created`' }),
  targetType: z.string().max(50).optional(),
  cursor: z.string().max(40).optional().openapi({ description: '`nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
type AuditQuery = z.infer<typeof AuditQuery>

interface AuditRow {
  id: string | number
  at: Date
  service_id: string | null
  actor_type: string
  actor_id: string | null
  actor_label: string | null
  ip: string | null
  request_id: string | null
  action: string
  target_type: string
  target_id: string
  before: unknown
  after: unknown
}


/** One page; `orgId` narrows an owner-level query, a tenant transaction is narrowed by RLS already. */
async function page(db: Queryable, query: AuditQuery, orgId: string | null): Promise<z.infer<typeof AuditPage>> {
  const before = decodeIdCursor(query.cursor)
  const rows = await db.sql<AuditRow>`
    SELECT * FROM oc_audit
    WHERE (${orgId}::uuid IS NULL OR org_id = ${orgId}::uuid)
      AND (${query.action ?? null}::text IS NULL OR action = ${query.action ?? null})
      AND (${query.targetType ?? null}::text IS NULL OR target_type = ${query.targetType ?? null})
      AND (${before}::bigint IS NULL OR id < ${before}::bigint)
    ORDER BY id DESC
    LIMIT ${query.limit + 1}`
  const entries = rows.slice(0, query.limit).map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    serviceId: r.service_id,
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
    ip: r.ip,
    requestId: r.request_id,
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    before: r.before ?? null,
    after: r.after ?? null,
  }))
  return { entries, nextCursor: rows.length > query.limit ? encodeIdCursor(entries.at(-1)!.id) : null }
}

const tags = ['Audit']

export function registerServiceAuditRoutes(app: PluginApp): void {
  const list = route({
    method: 'get',
    path: '/audit',
    tags,
    access: { role: 'admin' },
    summary: "This service's audit trail, newest first",
    request: { query: AuditQuery },
    responses: { 200: json(AuditPage, 'A page of entries'), ...commonErrors },
  })
  app.openapi(list, async (c) => c.json(await c.var.db.tx((tx) => page(tx, c.req.valid('query'), null)), 200))
}

export function registerOrgAuditRoutes(app: PluginApp, db: Queryable): void {
  const list = route({
    method: 'get',
    path: '/audit',
    tags,
    access: { orgRole: 'owner' },
    summary: "The organization's audit trail (organization-level and every service's), newest first",
    request: { query: AuditQuery },
    responses: { 200: json(AuditPage, 'A page of entries'), ...commonErrors },
  })
  app.openapi(list, async (c) => c.json(await page(db, c.req.valid('query'), c.var.org.id), 200))
}
