/**
 * Filing a ticket through the compat OPEN API (C16): the documented body (`categoryId`,
 * `subject`, `content`, `endUser`, `attachments`, `source`, `userFields[{code, value}]`) becomes
 * the same ticket the native `POST /ticket/tickets` makes for a service key: the intake
 * category's customer form validated (documented value formats mapped first), personal-info
 * values sealed, one number, the `ticket.created` event, history and audit in one transaction.
 * Validation failures are answered as the documented list (see envelope.ts), each naming the
 * field code, its fieldId, the rule and the rejected value.
 */
import { OcError, recordAudit, requestActor, type FieldIssue, type PlatformContext, type Queryable, type PluginContext } from '../../../core/mod.ts'
import { ticketActor } from '../tickets/actor.ts'
import { compatTicketId, nextTicketNumber } from '../tickets/ids.ts'
import { checkTitleAndContent, fieldSpecFor, validateNewTicketFields } from '../tickets/checks.ts'
import { sealFieldValues } from '../tickets/field-values.ts'
import { bindAttachments, insertTicket, recordHistory } from '../tickets/store.ts'
import { ticketRef } from '../tickets/views.ts'
import { CompatError, RESULT, validationItem, type ValidationItem } from './envelope.ts'
import { channelOf, incomingValue } from './mapping.ts'
import { fieldCompatIds, intakeCategoryByCompatId } from './queries.ts'
import type { CreateInput } from './schemas.ts'

/** Where our validator points an issue -> the documented attribute it came from. */
const TOP_LEVEL_NAMES: Record<string, string> = { 'body.title': 'subject', 'body.content': 'content', 'body.requester.email': 'endUser.email', 'body.intakeCategoryId': 'categoryId' }

function invalid(items: ValidationItem[]): CompatError {
  return new CompatError(RESULT.badRequest, 'the inquiry is invalid; see result.contents', items)
}

export async function createCompatTicket(c: PlatformContext, ctx: PluginContext, input: CreateInput) {
  const service = c.var.tenant.service
  const actor = ticketActor(c.var.principal)
  let sealer: ReturnType<typeof ctx.crypto.forTenant> | undefined
  const crypto = () => (sealer ??= ctx.crypto.forTenant({ orgId: c.var.tenant.org.id, serviceId: service.id }))
  const number = await c.var.db.tx((tx) => nextTicketNumber(tx))
  return c.var.db.tx(async (tx) => {
    const intakeCategoryId = await intakeCategoryByCompatId(tx, input.categoryId)
    if (!intakeCategoryId) throw invalid([validationItem('categoryId', null, 'invalid', `there is no submission type ${input.categoryId} in this service; list them with GET /api/v2/ticket/categories.json`, input.categoryId)])
    const spec = await fieldSpecFor(tx, service, intakeCategoryId, 'customer')
    if (!spec.intakeCategoryIds.has(intakeCategoryId)) throw invalid([validationItem('categoryId', null, 'invalid', `submission type ${input.categoryId} (or one above it) is inactive; customers may only file under active ones`, input.categoryId)])

    const byCode = new Map(spec.definitions.map((d) => [d.code, d]))
    const fields: Record<string, unknown> = {}
    for (const { code, value } of input.userFields) fields[code] = incomingValue(byCode.get(code), value)
    const top = { title: input.subject, content: input.content, email: input.endUser.email, intake_type: intakeCategoryId }
    let values
    try {
      values = validateNewTicketFields(spec, service, top, fields)
      checkTitleAndContent(input.subject, input.content)
    } catch (error) {
      if (!(error instanceof OcError) || !error.issues?.length) throw error
      throw invalid(await documentedIssues(tx, error.issues, { ...fields, title: input.subject, content: input.content, email: input.endUser.email }))
    }
    const stored = await sealFieldValues(crypto, spec.definitions, values, { plain: {}, secret: {}, index: [] })
    const created = await insertTicket(tx, {
      number,
      publicId: compatTicketId(),
      title: input.subject.trim(),
      content: input.content,
      channel: channelOf(input.source),
      language: input.language ?? null,
      requester: { email: input.endUser.email || null, name: input.endUser.username || null, memberId: null, usercode: input.endUser.usercode || null },
      assigneeAgentId: null,
      assigneeGroupId: null,
      intakeCategoryId,
      processingCategoryId: null,
      fields: stored.plain,
      secretFields: stored.secret,
      secretIndex: stored.index,
      createdBy: actor,
    })
    // Only mobile web needs a mark: our channels tell web and api apart by themselves.
    if (input.source === 'spweb') await tx.sql`UPDATE tickets SET compat_source = 'spweb' WHERE id = ${created.id}`
    const attachmentIds = (input.attachments ?? []).map((a) => a.attachmentId)
    if (attachmentIds.length) {
      const malformed = attachmentIds.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      // The first message's files belong to the ticket itself (entry id = ticket id), as natively.
      const taken = malformed.length ? malformed : await bindAttachments(tx, attachmentIds, created.id, created.id)
      if (taken.length) throw invalid(taken.map((id) => validationItem('attachments', null, 'invalid', `attachment '${id}' does not exist or belongs to another message; upload it again`, id)))
    }
    const channel = created.channel
    await recordHistory(tx, created.id, actor, [{ field: 'created', from: null, to: { status: 'new', channel } }])
    await tx.emit('ticket.created', { ...ticketRef(created), status: 'new', channel, intakeCategoryId, assigneeAgentId: null, assigneeGroupId: null, actor: { type: actor.type, id: actor.id } })
    await recordAudit(tx, requestActor(c), { action: 'ticket.ticket.created', target: { type: 'ticket', id: created.id }, after: { number: Number(created.number), channel, fields: Object.keys(values), via: 'oc-compat' } })
    return { ...created, compat_source: input.source === 'spweb' ? 'spweb' : null }
  })
}

/** Our field issues as the documented list, with each field's compat id. */
async function documentedIssues(tx: Queryable, issues: readonly FieldIssue[], sent: Record<string, unknown>): Promise<ValidationItem[]> {
  const codeOf = (path: string) => (path.startsWith('body.fields.') ? path.slice('body.fields.'.length) : null)
  const codes = issues.map((i) => codeOf(i.path)).filter((code): code is string => code !== null)
  const ids = await fieldCompatIds(tx, [...codes, 'title', 'content', 'email', 'intake_type'])
  return issues.map((issue) => {
    const code = codeOf(issue.path)
    if (code !== null) return validationItem(code, ids.get(code) ?? null, issue.code ?? 'invalid', issue.message, sent[code])
    const name = TOP_LEVEL_NAMES[issue.path] ?? issue.path.replace(/^body\./, '')
    const systemCode = { subject: 'title', content: 'content', 'endUser.email': 'email', categoryId: 'intake_type' }[name]
    return validationItem(name, systemCode ? (ids.get(systemCode) ?? null) : null, issue.code ?? 'invalid', issue.message, systemCode ? sent[systemCode] : null)
  })
}
