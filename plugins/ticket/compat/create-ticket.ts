/**
 * Filing a ticket through the compat OPEN API (C16): the documented body (`categoryId`,
 * `subject`, `content`, `endUser`, `attachments`, `source`, `userFields[{code, value}]`) becomes
 * the same ticket the native `POST /ticket/tickets` makes for a service key: the intake
 * category's customer form validated (documented value formats mapped first), personal-info
 * values sealed, one number, the `ticket.created` event, history and audit in one transaction.
 * Validation failures are answered as the documented list (see envelope.ts), each naming the
 * field code, its fieldId, the rule and the rejected value.
 */
import { isUuid, type FieldIssue, type PlatformContext, type PluginContext, type Queryable } from '../../../core/mod.ts'
import { requestTicketsActor } from '../tickets/actor.ts'
import { ticketsService } from '../tickets/service.ts'
import { formCache } from '../fields/form-cache.ts'
import type { TicketRow } from '../tickets/store.ts'
import { CompatError, RESULT, validationItem, type ValidationItem } from './envelope.ts'
import { channelOf, incomingValue, isYesNo } from './mapping.ts'
import { fieldCompatIds, intakeCategoryByCompatId } from './queries.ts'
import { inquirySender, limitRepeatInquiries } from './repeat-inquiries.ts'
import type { CreateInput } from './schemas.ts'

/** Where our validator points an issue -> the documented attribute it came from. */
const TOP_LEVEL_NAMES: Record<string, string> = { 'body.title': 'subject', 'body.content': 'content', 'body.requester.email': 'endUser.email', 'body.intakeCategoryId': 'categoryId' }

/** The compat create sees every customer field. */
const NOTHING_HIDDEN: ReadonlySet<string> = new Set()

function invalid(items: ValidationItem[]): CompatError {
  return new CompatError(RESULT.badRequest, 'the inquiry is invalid; see result.contents', items)
}

/** The compat create of one plugin instance, on the native create path (`fileTicket`, tickets/create.ts). */
export function compatTicketCreation(ctx: PluginContext) {
  const tickets = ticketsService(ctx)
  return async (c: PlatformContext, input: CreateInput): Promise<TicketRow & { compat_source: string | null }> => {
    const attachmentIds = (input.attachments ?? []).map((a) => a.attachmentId)
    const malformed = attachmentIds.filter((id) => !isUuid(id))
    if (malformed.length) throw invalid(malformed.map((id) => validationItem('attachments', null, 'invalid', `attachment '${id}' does not exist or belongs to another message; upload it again`, id)))
    const sent: Record<string, unknown> = Object.fromEntries(input.userFields.map(({ code, value }) => [code, value]))
    let read: Record<string, unknown> = sent
    let agreeCodes = new Set<string>()
    // The category's id is kept per service (with the forms), so a create usually reads nothing before its writes.
    const category = await formCache(ctx.db).compatCategory(c.var.tenant.service.id, input.categoryId)
    let found: string | undefined
    const { row } = await tickets.fileTicket(
      c.var.db,
      { service: c.var.tenant.service, actor: requestTicketsActor(c) },
      {
        title: input.subject,
        content: input.content,
        channel: channelOf(input.source),
        language: input.language ?? null,
        requester: { email: input.endUser.email || null, name: input.endUser.username || null, memberId: null, usercode: input.endUser.usercode || null },
        assigneeAgentId: null,
        assigneeGroupId: null,
        intakeCategoryId: null,
        processingCategoryId: null,
        fields: sent,
        attachmentIds,
      },
      {
        filler: 'customer',
        async intakeCategory(tx) {
          if (category.value) return category.value
          const id = await intakeCategoryByCompatId(tx, input.categoryId)
          if (!id) throw invalid([validationItem('categoryId', null, 'invalid', `there is no submission type ${input.categoryId} in this service; list them with GET /api/v2/ticket/categories.json`, input.categoryId)])
          return (found = id)
        },
        async prepare(tx) {
          await limitRepeatInquiries(ctx, tx, inquirySender(c.req.header('oc-client-ip'), input.endUser))
          return NOTHING_HIDDEN
        },
        readFields(spec, values) {
          const byCode = new Map(spec.definitions.map((d) => [d.code, d]))
          agreeCodes = new Set(spec.definitions.filter(isYesNo).map((d) => d.code))
          read = Object.fromEntries(Object.entries(values).map(([code, value]) => [code, incomingValue(byCode.get(code), value)]))
          return read
        },
        async refuse(tx, error) {
          if (!error.issues?.length) throw error
          throw invalid(await documentedIssues(tx, error.issues, { ...read, title: input.subject, content: input.content, email: input.endUser.email }, agreeCodes))
        },
        // Only mobile web needs a mark: our channels tell web and api apart by themselves.
        created: input.source === 'spweb' ? async (tx, created) => void (await tx.sql`UPDATE tickets SET compat_source = 'spweb' WHERE id = ${created.id}`) : undefined,
        audit: { via: 'oc-compat' },
      },
    )
    if (found) category.keep(found)
    return { ...row, compat_source: input.source === 'spweb' ? 'spweb' : null }
  }
}

/** An agree field's value that is neither true nor false, in the documented vocabulary. */
const agreeMessage = (code: string, value: unknown) => `'${code}' is an agree field: it must be true or false (the strings "true"/"false" and "Y"/"N" are read too), not ${(JSON.stringify(value) ?? String(value)).slice(0, 60)}`

/** Our field issues as the documented list, with each field's compat id. */
async function documentedIssues(tx: Queryable, issues: readonly FieldIssue[], sent: Record<string, unknown>, agreeCodes: ReadonlySet<string>): Promise<ValidationItem[]> {
  const codeOf = (path: string) => (path.startsWith('body.fields.') ? path.slice('body.fields.'.length) : null)
  const codes = issues.map((i) => codeOf(i.path)).filter((code): code is string => code !== null)
  const ids = await fieldCompatIds(tx, [...codes, 'title', 'content', 'email', 'intake_type'])
  return issues.map((issue) => {
    const code = codeOf(issue.path)
    if (code !== null) return validationItem(code, ids.get(code) ?? null, issue.code ?? 'invalid', agreeCodes.has(code) && issue.code === 'invalid_type' ? agreeMessage(code, sent[code]) : issue.message, sent[code])
    const name = TOP_LEVEL_NAMES[issue.path] ?? (issue.path.startsWith('body.attachmentIds') ? 'attachments' : issue.path.replace(/^body\./, ''))
    const systemCode = { subject: 'title', content: 'content', 'endUser.email': 'email', categoryId: 'intake_type' }[name]
    return validationItem(name, systemCode ? (ids.get(systemCode) ?? null) : null, issue.code ?? 'invalid', issue.message, systemCode ? sent[systemCode] : null)
  })
}
