/**
 * Outgoing trigger results: notify (mail to the assignee, an agent, a group or the customer),
 * forward (the ticket by mail to an outside address, optionally completing it), callback (HTTP
 * POST of the ticket as JSON), Dooray! (messenger incoming hook) and plugin actions.
 *
 * Each is prepared first ({@link prepareEffect}: recipients resolved, texts rendered, bodies
 * built), which is all the dry run does; the `ticket.trigger-effect` subscriber then performs it
 * ({@link performEffect}). A failure is recorded in the execution log and thrown, so the
 * dispatcher retries the effect with back-off; an effect already done is not done again, and a
 * notification to several people records each address it reached, so a retry mails only the rest.
 *
 * Trigger mails go out without the service's mail layout (as the guide says) and carry
 * `Auto-Submitted: auto-generated` (RFC 3834), so well-behaved peers do not auto-reply to them.
 */
import type { DirectoryAgent, DirectoryGroup, EventEnvelope, PluginContext, TenantScope, TenantTx } from '../../../core/mod.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { sendServiceMail } from '../mail/outgoing.ts'
import { openFieldValues } from '../tickets/field-values.ts'
import { withRequesterEmail } from '../tickets/requester-email.ts'
import { canMove } from '../tickets/lifecycle.ts'
import { findTicket, listEntries, type TicketRow } from '../tickets/store.ts'
import { ticketsService } from '../tickets/service.ts'
import { findRunResult, updateRunResult, type RunResult } from './log.ts'
import { isBuiltIn, type CallbackResult, type DoorayResult, type ForwardResult, type NotifyResult, type TriggerResult } from './model.ts'
import { escapeHtml, messageLanguage, substitute, substitutionValues, triggerTicket, type RenderSubject } from './render.ts'
import type { TriggerEffectEvent } from './run.ts'
import { triggerActions } from './actions.ts'

export const TRIGGER_MAIL_HEADERS = { 'Auto-Submitted': 'auto-generated' } as const

export interface PreparedMail {
  readonly to: string
  /** What the execution log records instead of `to`, where the address must not be stored (a sealed requester address). */
  readonly logAs?: string
  readonly subject: string
  readonly text: string
  readonly html?: string
}

export type PreparedEffect =
  | { readonly kind: 'mail'; readonly type: 'notify' | 'forward'; readonly mails: readonly PreparedMail[]; readonly threadToTicket: boolean; readonly complete: boolean }
  | { readonly kind: 'http'; readonly type: 'callback' | 'dooray'; readonly url: string; readonly body: unknown }
  | { readonly kind: 'plugin'; readonly type: string; readonly params: unknown }
  | { readonly kind: 'skip'; readonly type: string; readonly reason: string }

/** What preparing needs: the ticket and its world, and the service's people. */
export interface EffectSubject extends RenderSubject {
  readonly agents: readonly DirectoryAgent[]
  readonly groups: readonly DirectoryGroup[]
  readonly entries: readonly { kind: string; content: string; author: { label: string | null }; createdAt: string }[]
  readonly eventId: string
  readonly effectId: string
}

/** Loads what a ticket's messages mention, inside the caller's transaction (no directory calls here). */
export async function loadRenderBase(tx: TenantTx, ctx: PluginContext, scope: TenantScope, ticket: TicketRow) {
  const [intake, processing] = [await loadCategoryTree(tx, 'intake'), await loadCategoryTree(tx, 'processing')]
  const crypto = () => ctx.crypto.forTenant(scope)
  const opened = await withRequesterEmail(ticket, crypto)
  const fields = await openFieldValues(crypto, { plain: opened.fields, secret: opened.secret_fields })
  const entries = (await listEntries(tx, ticket.id)).filter((e) => e.kind !== 'note')
  return { intake, processing, fields, requesterEmail: opened.requester_email, entries }
}

/** The agents and groups of the service, read outside any transaction. */
export async function loadPeople(ctx: PluginContext, scope: TenantScope) {
  return { agents: await ctx.directory.agents(scope), groups: await ctx.directory.groups(scope) }
}

/** Fills the assignee and group of a subject from the directory. */
export function withPeople(base: Omit<EffectSubject, 'assignee' | 'group' | 'agents' | 'groups'>, people: { agents: readonly DirectoryAgent[]; groups: readonly DirectoryGroup[] }): EffectSubject {
  const assignee = people.agents.find((a) => a.id === base.ticket.assignee_agent_id)
  const group = people.groups.find((g) => g.id === base.ticket.assignee_group_id)
  return { ...base, agents: people.agents, groups: people.groups, assignee: assignee ? { name: assignee.name, email: assignee.email } : null, group: group ? { name: group.name } : null }
}

export function prepareEffect(result: TriggerResult, subject: EffectSubject): PreparedEffect {
  if (!isBuiltIn(result.type)) return { kind: 'plugin', type: result.type, params: (result as { params?: unknown }).params }
  switch (result.type) {
    case 'notify':
      return prepareNotify(result as NotifyResult, subject)
    case 'forward':
      return prepareForward(result as ForwardResult, subject)
    case 'callback':
      return { kind: 'http', type: 'callback', url: (result as CallbackResult).url, body: callbackBody(subject) }
    case 'dooray': {
      const r = result as DoorayResult
      const text = substitute(r.template, substitutionValues(subject, subject.ticket.language ?? subject.service.defaultLanguage), 'text')
      return { kind: 'http', type: 'dooray', url: r.url, body: { botName: r.botName, ...(r.botIconImage ? { botIconImage: r.botIconImage } : {}), text } }
    }
    case 'assign':
      return { kind: 'skip', type: 'assign', reason: 'assignments are applied by the runner, not as effects' }
    default: {
      const unreachable: never = result.type
      throw new Error(`unknown result type ${String(unreachable)}`)
    }
  }
}

function recipientsOf(result: NotifyResult, subject: EffectSubject): { emails: string[]; reason?: string } {
  const address = (agentId: string | null | undefined) => subject.agents.find((a) => a.id === agentId)?.email
  switch (result.to) {
    case 'customer':
      return subject.requesterEmail ? { emails: [subject.requesterEmail] } : { emails: [], reason: 'the ticket has no requester e-mail address' }
    case 'assignee': {
      const email = address(subject.ticket.assignee_agent_id)
      return email ? { emails: [email] } : { emails: [], reason: 'the ticket has no assigned agent' }
    }
    case 'agent': {
      const email = address(result.agentId)
      return email ? { emails: [email] } : { emails: [], reason: `agent ${result.agentId} is no longer an agent of this service` }
    }
    case 'group': {
      const groupId = result.groupId ?? subject.ticket.assignee_group_id
      const group = subject.groups.find((g) => g.id === groupId)
      if (!group) return { emails: [], reason: groupId ? `group ${groupId} no longer exists` : 'the ticket has no group' }
      const emails = group.agentIds.map((id) => address(id)).filter((e): e is string => Boolean(e))
      return emails.length ? { emails: [...new Set(emails)] } : { emails: [], reason: `group ${group.name} has no members` }
    }
    default: {
      const unreachable: never = result.to
      throw new Error(`unknown recipient ${String(unreachable)}`)
    }
  }
}

function prepareNotify(result: NotifyResult, subject: EffectSubject): PreparedEffect {
  const { emails, reason } = recipientsOf(result, subject)
  if (!emails.length) return { kind: 'skip', type: 'notify', reason: reason ?? 'no recipient' }
  const language = messageLanguage(Object.keys(result.messages), subject.ticket.language, subject.service.defaultLanguage)
  const message = result.messages[language]!
  const values = substitutionValues(subject, language)
  // The subject line is plain text in both modes.
  const title = substitute(message.subject, values, 'text').replace(/[\r\n]+/g, ' ')
  // A requester address the service keeps sealed stays out of the execution log.
  const logAs = result.to === 'customer' && subject.ticket.requester_email === null ? { logAs: 'requester' } : {}
  const mails = emails.map((to): PreparedMail => {
    if (result.format === 'html') {
      const html = substitute(message.body, values, 'html')
      return { to, ...logAs, subject: title, html, text: htmlToText(html) }
    }
    return { to, ...logAs, subject: title, text: substitute(message.body, values, 'text') }
  })
  return { kind: 'mail', type: 'notify', mails, threadToTicket: result.to === 'customer', complete: false }
}

/** A plain-text alternative for an HTML body: tags dropped, breaks kept, entities decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function prepareForward(result: ForwardResult, subject: EffectSubject): PreparedEffect {
  const t = subject.ticket
  const language = t.language ?? subject.service.defaultLanguage
  const v = substitutionValues(subject, language)
  const facts: [string, string][] = [
    ['Ticket', `${v.get('ticket.id')} (#${v.get('ticket.number')})`],
    ['Status', t.status],
    ['Channel', t.channel],
    ['Requester', [t.requester_name, subject.requesterEmail && `<${subject.requesterEmail}>`].filter(Boolean).join(' ')],
    ['Intake category', v.get('ticket.intakeCategory') ?? ''],
    ['Created', v.get('ticket.createdAt') ?? ''],
  ]
  const fields = Object.entries(subject.fields).map(([code, value]) => [code, v.get(`field.${code}`) ?? String(value)] as [string, string])
  const conversation = subject.entries.map((e) => `--- ${e.kind} ${e.author.label ? `(${e.author.label}) ` : ''}${e.createdAt}\n${e.content}`)
  const text = [
    ...facts.filter(([, value]) => value).map(([k, value]) => `${k}: ${value}`),
    ...(fields.length ? ['', 'Fields:', ...fields.map(([k, value]) => `  ${k}: ${value}`)] : []),
    '',
    t.title,
    '',
    t.content,
    ...(conversation.length ? ['', ...conversation] : []),
  ].join('\n')
  const row = ([k, value]: [string, string]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(value)}</td></tr>`
  const html = [
    `<table>${[...facts.filter(([, value]) => value), ...fields].map(row).join('')}</table>`,
    `<h2>${escapeHtml(t.title)}</h2>`,
    `<div style="white-space:pre-wrap">${escapeHtml(t.content)}</div>`,
    ...subject.entries.map((e) => `<hr><p><b>${escapeHtml(e.kind)}</b> ${escapeHtml(e.author.label ?? '')} ${escapeHtml(e.createdAt)}</p><div style="white-space:pre-wrap">${escapeHtml(e.content)}</div>`),
  ].join('\n')
  return { kind: 'mail', type: 'forward', mails: [{ to: result.to, subject: `[${subject.service.name}] #${v.get('ticket.number')} ${t.title}`, text, html }], threadToTicket: false, complete: result.complete }
}

function callbackBody(subject: EffectSubject) {
  return { effectId: subject.effectId, eventId: subject.eventId, trigger: subject.trigger, ticket: triggerTicket(subject.ticket) }
}

/** Performs one `ticket.trigger-effect` event; throws (after logging) so the dispatcher retries. */
export async function performEffect(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const effect = event.payload as TriggerEffectEvent
  if (!event.serviceId) return
  const scope = { orgId: event.orgId, serviceId: event.serviceId }
  const service = await ctx.tenant(scope)
  if (!service) return
  const mark = (patch: Partial<RunResult>) => service.db.tx((tx) => updateRunResult(tx, effect.runId, effect.index, patch))
  const state = await service.db.tx(async (tx) => {
    const current = await findRunResult(tx, effect.runId, effect.index)
    if (!current || current.status === 'done') return null
    const ticket = await findTicket(tx, effect.ticketId)
    if (!ticket) return { current, ticket: null }
    return { current, ticket, base: await loadRenderBase(tx, ctx, scope, ticket) }
  })
  if (!state) return
  if (!state.ticket || !state.base) {
    await mark({ status: 'skipped', error: 'the ticket was deleted' })
    return
  }
  const attempts = (state.current.attempts ?? 0) + 1
  try {
    const people = await loadPeople(ctx, scope)
    const subject = withPeople(
      { ticket: state.ticket, ...state.base, service: { name: service.tenant.service.name, defaultLanguage: service.tenant.service.defaultLanguage }, trigger: { id: effect.triggerId, title: effect.triggerTitle }, eventId: effect.eventId, effectId: `${effect.runId}:${effect.index}` },
      people,
    )
    const prepared = prepareEffect(effect.result as TriggerResult, subject)
    const already = new Set(((state.current.detail?.sent as string[] | undefined) ?? []).map((s) => s.toLowerCase()))
    const detail = await perform(ctx, scope, prepared, subject, already, (sent) => mark({ detail: { sent } }))
    await mark({ status: prepared.kind === 'skip' ? 'skipped' : 'done', attempts, detail, ...(prepared.kind === 'skip' ? { error: prepared.reason } : {}) })
  } catch (error) {
    await mark({ status: 'failed', attempts, error: (error as Error).message })
    throw error
  }
}

async function perform(ctx: PluginContext, scope: TenantScope, prepared: PreparedEffect, subject: EffectSubject, alreadySent: ReadonlySet<string>, progress: (sent: string[]) => Promise<void>): Promise<Record<string, unknown>> {
  switch (prepared.kind) {
    case 'skip':
      return {}
    case 'mail': {
      const sent = [...alreadySent]
      for (const { logAs, ...mail } of prepared.mails) {
        const logged = (logAs ?? mail.to).toLowerCase()
        if (alreadySent.has(logged)) continue
        await sendServiceMail(ctx, scope, { ...mail, useLayout: false, headers: TRIGGER_MAIL_HEADERS, ...(prepared.threadToTicket ? { ticketId: subject.ticket.id } : {}) })
        sent.push(logged)
        // Recorded per address: a retry (say, after the completion below failed) mails only the rest.
        await progress(sent)
      }
      const completed = prepared.complete ? await completeTicket(ctx, scope, subject) : false
      return { sent, ...(prepared.complete ? { completed } : {}) }
    }
    case 'http': {
      const response = await ctx.outbound.fetch(prepared.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'OpenContact-Triggers', 'x-opencontact-effect': subject.effectId },
        body: JSON.stringify(prepared.body),
        timeoutMs: 10_000,
      })
      const text = await response.text().catch(() => '')
      if (!response.ok) throw new Error(`${prepared.url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`)
      if (prepared.type === 'dooray') refuseDoorayFailure(text)
      return { url: prepared.url, status: response.status }
    }
    case 'plugin': {
      const action = triggerActions(ctx).find((a) => a.type === prepared.type)
      if (!action) throw new Error(`no installed plugin provides the result type '${prepared.type}'`)
      const params = action.params.parse(prepared.params)
      await action.run({ scope, effectId: subject.effectId, eventId: subject.eventId, trigger: subject.trigger, ticket: triggerTicket(subject.ticket), params })
      return { plugin: action.pluginId }
    }
    default: {
      const unreachable: never = prepared
      throw new Error(`unknown effect ${JSON.stringify(unreachable)}`)
    }
  }
}

/** Dooray! documents no response body: a JSON body saying `header.isSuccessful: false` is a failure, anything else 2xx a success. */
function refuseDoorayFailure(text: string): void {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return
  }
  const header = (body as { header?: { isSuccessful?: boolean; resultMessage?: string; resultCode?: number } } | null)?.header
  if (header?.isSuccessful === false) throw new Error(`Dooray! refused the message: ${header.resultCode ?? ''} ${header.resultMessage ?? ''}`.trim())
}

/** Completes the ticket after a forward, as the trigger (so triggers do not run on it again), through the tickets service. */
async function completeTicket(ctx: PluginContext, scope: TenantScope, subject: EffectSubject): Promise<boolean> {
  const service = await ctx.tenant(scope)
  if (!service) return false
  return service.db.tx(async (tx) => {
    const before = await findTicket(tx, subject.ticket.id, true)
    if (!before || before.status === 'completed' || !canMove(before.status, 'completed')) return false
    const caller = { service: service.tenant.service, actor: { kind: 'trigger', id: subject.trigger.id, title: subject.trigger.title } } as const
    return (await ticketsService(ctx).changeTicket(tx, caller, before.id, { status: 'completed' })) !== null
  })
}
