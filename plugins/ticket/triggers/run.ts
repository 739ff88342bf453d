/**
 * Runs a service's triggers on one ticket event, in ONE tenant transaction: every active trigger
 * is tested in order; for each that matches, its results are logged; the assignment of the LAST
 * matching trigger that assigns is applied (earlier ones are logged as superseded, and their
 * round-robin cursors do not move); every outgoing result (notify, forward, callback, Dooray!,
 * plugin actions) becomes one `ticket.trigger-effect` outbox event, performed and retried on its
 * own by effects.ts. If the transaction fails, nothing of it happened, and the dispatcher
 * delivers the event again.
 *
 * Loop rule: changes made by triggers are recorded with the actor `{ type: 'trigger' }`, and
 * events whose actor is a trigger do not run triggers. So an assignment by a trigger, or a
 * forward that completes a ticket, never sets off another round.
 *
 * A redelivered event does nothing: the log's unique (event, trigger) pair shows it ran.
 */
import type { EventEnvelope, PluginContext, Service, TenantTx } from '../../../core/mod.ts'
import { findTicket, type TicketRow } from '../tickets/store.ts'
import { ticketsService } from '../tickets/service.ts'
import { resolveAssignment, type AssignmentOutcome } from './assign.ts'
import type { TriggerCache } from './cache.ts'
import { evaluateTriggers, type CompiledTrigger } from './compile.ts'
import { eventMeaning, ticketFacts } from './facts.ts'
import { eventAlreadyRan, insertRun, type RunResult } from './log.ts'
import { isBuiltIn, type AssignResult } from './model.ts'
import { triggerActions } from './actions.ts'

/** The payload of `ticket.trigger-effect`: one outgoing result of one matched trigger. */
export interface TriggerEffectEvent {
  readonly runId: string
  readonly index: number
  readonly triggerId: string
  readonly triggerTitle: string
  readonly ticketId: string
  /** The ticket event that ran the trigger. */
  readonly eventId: string
  /** The result as saved on the trigger when it matched. */
  readonly result: Record<string, unknown> & { type: string }
}

export interface RunSummary {
  readonly matched: readonly string[]
  readonly assigned: AssignmentOutcome | null
  readonly effects: number
}

export async function runTriggers(ctx: PluginContext, cache: TriggerCache, event: EventEnvelope): Promise<RunSummary | null> {
  const meaning = eventMeaning(event)
  if (!meaning || meaning.actorType === 'trigger' || !event.serviceId) return null
  const scope = { orgId: event.orgId, serviceId: event.serviceId }
  const service = await ctx.tenant(scope)
  if (!service) return null
  const installed = new Set(triggerActions(ctx).map((a) => a.type))
  let crypto: ReturnType<typeof ctx.crypto.forTenant> | undefined
  return service.db.tx(async (tx) => {
    const compiled = await cache.get(tx, service.tenant.service)
    if (!compiled.triggers.length) return null
    // Locked: the assignment below must not interleave with another change of the ticket.
    const ticket = await findTicket(tx, meaning.ticketId, compiled.assigns)
    if (!ticket) return null
    if (await eventAlreadyRan(tx, event.id)) return null
    const facts = await ticketFacts(ticket, meaning.kind, meaning.changed, compiled.secretCodes, () => (crypto ??= ctx.crypto.forTenant(scope)))
    const matched = evaluateTriggers(compiled, facts)
    if (!matched.length) return { matched: [], assigned: null, effects: 0 }

    const winner = lastAssignment(matched)
    const assigned = winner ? await resolveAssignment(tx, winner.trigger.id, winner.result, true) : null
    let effects = 0
    for (const trigger of matched) {
      const results: RunResult[] = trigger.results.map((result, index): RunResult => {
        if (result.type === 'assign') {
          if (winner?.trigger !== trigger || winner.index !== index) return { index, type: 'assign', status: 'superseded', detail: { by: winner?.trigger.id } }
          return assigned!.error
            ? { index, type: 'assign', status: 'skipped', detail: { groupId: assigned!.groupId ?? null }, error: assigned!.error }
            : { index, type: 'assign', status: 'applied', detail: { agentId: assigned!.agentId, groupId: assigned!.groupId ?? ticket.assignee_group_id } }
        }
        if (!isBuiltIn(result.type) && !installed.has(result.type)) return { index, type: result.type, status: 'failed', error: `no installed plugin provides the result type '${result.type}'` }
        return { index, type: result.type, status: 'queued' }
      })
      const runId = await insertRun(tx, { triggerId: trigger.id, ticketId: ticket.id, eventId: event.id, eventKind: meaning.kind, results, errors: results.flatMap((r) => (r.error ? [r.error] : [])) })
      if (!runId) continue
      for (const r of results) {
        if (r.status !== 'queued') continue
        const payload: TriggerEffectEvent = { runId, index: r.index, triggerId: trigger.id, triggerTitle: trigger.title, ticketId: ticket.id, eventId: event.id, result: trigger.results[r.index] as TriggerEffectEvent['result'] }
        await tx.emit('ticket.trigger-effect', payload)
        effects++
      }
    }
    if (winner && assigned) await applyAssignment(ctx, tx, service.tenant.service, ticket, assigned, winner.trigger)
    return { matched: matched.map((t) => t.id), assigned, effects }
  })
}

function lastAssignment(matched: readonly CompiledTrigger[]): { trigger: CompiledTrigger; index: number; result: AssignResult } | null {
  for (let t = matched.length - 1; t >= 0; t--) {
    const trigger = matched[t]!
    for (let i = trigger.results.length - 1; i >= 0; i--) {
      const result = trigger.results[i]!
      if (result.type === 'assign') return { trigger, index: i, result: result as AssignResult }
    }
  }
  return null
}

/** The winning assignment, as the trigger, through the tickets service (history, events, audit). */
async function applyAssignment(ctx: PluginContext, tx: TenantTx, service: Service, before: TicketRow, outcome: AssignmentOutcome, trigger: CompiledTrigger): Promise<void> {
  const agentId = outcome.agentId ?? before.assignee_agent_id
  const groupId = outcome.groupId === undefined ? before.assignee_group_id : outcome.groupId
  if (agentId === before.assignee_agent_id && groupId === before.assignee_group_id) return
  const change = { ...(agentId !== before.assignee_agent_id ? { assigneeAgentId: agentId } : {}), ...(groupId !== before.assignee_group_id ? { assigneeGroupId: groupId } : {}) }
  await ticketsService(ctx).changeTicket(tx, { service, actor: { kind: 'trigger', id: trigger.id, title: trigger.title } }, before.id, change)
}
