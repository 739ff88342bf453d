/**
 * The dry run (T4, beyond the guide): evaluates the service's triggers against an existing ticket
 * as if an event of the given kind had happened, and says which would match and what each result
 * would do: the agent and group an assignment would pick (the round-robin cursor is read, not
 * advanced), mails rendered with their recipients, callback and Dooray! bodies. It writes
 * nothing: no assignment, no log row, no outbox event, no cursor move. Inactive triggers are
 * listed too, marked, and never match.
 */
import type { PluginContext, Service, TenantDb, TenantScope } from '../../../core/mod.ts'
import { findTicket } from '../tickets/store.ts'
import { unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { resolveAssignment } from './assign.ts'
import { compileTriggers } from './compile.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { listFields } from '../fields/store.ts'
import { ticketFacts } from './facts.ts'
import { loadPeople, loadRenderBase, prepareEffect, withPeople, type PreparedEffect } from './effects.ts'
import type { AssignResult, EventKind, TriggerResult } from './model.ts'
import { listTriggers } from './store.ts'

export interface DryRunResult {
  readonly index: number
  readonly type: string
  /** `would-apply` / `superseded` for assignments; `would-send` / `would-call` / `would-run` / `skipped` for the rest. */
  readonly outcome: string
  readonly preview: Record<string, unknown>
}

export interface DryRunTrigger {
  readonly id: string
  readonly title: string
  readonly position: number
  readonly active: boolean
  readonly matched: boolean
  readonly results: readonly DryRunResult[]
}

export async function dryRun(ctx: PluginContext, db: TenantDb, service: Service, input: { ticketId: string; event: EventKind; changed: readonly string[] }): Promise<{ triggers: DryRunTrigger[] }> {
  const scope: TenantScope = db.scope
  // The directory opens its own transactions: read it before ours (PGlite has one connection).
  const people = await loadPeople(ctx, scope)
  return db.tx(async (tx) => {
    const ticket = await findTicket(tx, input.ticketId)
    if (!ticket) throw unknownAt('body.ticketId', ticketReferences.ticket, input.ticketId)
    const triggers = await listTriggers(tx)
    const fields = await listFields(tx, service)
    const compiled = compileTriggers(triggers, { intake: await loadCategoryTree(tx, 'intake'), processing: await loadCategoryTree(tx, 'processing'), fields: new Map(fields.map((f) => [f.code, f])) })
    const facts = await ticketFacts(ticket, input.event, input.changed, compiled.secretCodes, () => ctx.crypto.forTenant(scope))
    const matchedIds = new Set(compiled.triggers.filter((t) => t.matches(facts)).map((t) => t.id))
    const base = await loadRenderBase(tx, ctx, scope, ticket)

    // The last matching assignment wins, as in a real run.
    let winner: { triggerId: string; index: number } | null = null
    for (const t of triggers) if (matchedIds.has(t.id)) t.results.forEach((r, index) => r.type === 'assign' && (winner = { triggerId: t.id, index }))

    const out: DryRunTrigger[] = []
    for (const trigger of triggers) {
      const matched = matchedIds.has(trigger.id)
      const results: DryRunResult[] = []
      if (matched) {
        const subject = withPeople({ ticket, ...base, service: { name: service.name, defaultLanguage: service.defaultLanguage }, trigger: { id: trigger.id, title: trigger.title }, eventId: '(dry run)', effectId: '(dry run)' }, people)
        for (const [index, result] of trigger.results.entries()) results.push(await describe(tx, trigger.id, index, result, winner, (r) => prepareEffect(r, subject), people.agents))
      }
      out.push({ id: trigger.id, title: trigger.title, position: trigger.position, active: trigger.active, matched, results })
    }
    return { triggers: out }
  })
}

async function describe(
  tx: Parameters<typeof resolveAssignment>[0],
  triggerId: string,
  index: number,
  result: TriggerResult,
  winner: { triggerId: string; index: number } | null,
  prepare: (r: TriggerResult) => PreparedEffect,
  agents: readonly { id: string; email: string; name: string }[],
): Promise<DryRunResult> {
  if (result.type === 'assign') {
    if (winner?.triggerId !== triggerId || winner.index !== index) return { index, type: 'assign', outcome: 'superseded', preview: { by: winner?.triggerId ?? null } }
    const picked = await resolveAssignment(tx, triggerId, result as AssignResult, false)
    const agent = agents.find((a) => a.id === picked.agentId)
    return { index, type: 'assign', outcome: picked.error ? 'skipped' : 'would-apply', preview: { agentId: picked.agentId, agentEmail: agent?.email ?? null, groupId: picked.groupId ?? null, ...(picked.error ? { error: picked.error } : {}) } }
  }
  const prepared = prepare(result)
  switch (prepared.kind) {
    case 'mail':
      return { index, type: prepared.type, outcome: 'would-send', preview: { mails: prepared.mails, ...(prepared.complete ? { completesTicket: true } : {}) } }
    case 'http':
      return { index, type: prepared.type, outcome: 'would-call', preview: { url: prepared.url, body: prepared.body } }
    case 'plugin':
      return { index, type: prepared.type, outcome: 'would-run', preview: { params: prepared.params } }
    case 'skip':
      return { index, type: prepared.type, outcome: 'skipped', preview: { reason: prepared.reason } }
    default: {
      const unreachable: never = prepared
      throw new Error(`unknown effect ${JSON.stringify(unreachable)}`)
    }
  }
}
