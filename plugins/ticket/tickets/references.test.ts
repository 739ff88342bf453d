/**
 * Ids in request bodies must be the tenant's (core/tenancy/references.ts), on both drivers: for
 * each kind of record a body names (member, agent, group, intake and processing category, field,
 * answer template, attachment, ticket; mail accounts in mail/mail-settings.test.ts), another organization's id is refused with
 * 422 `unknown_reference` at the field that carried it, and nothing is written (no row, no event,
 * no audit entry). The same ids of the service's own records pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { addMember } from '../../../test/support/identity.ts'
import { ok } from '../test-support.ts'
import { ticketBed, type TicketBed } from './test-bed.ts'

describe.each(DRIVERS)('references to records of another organization on %s', (driver) => {
  let bed: TicketBed
  /** Records of the other organization's service, and of this service where a route needs one to act on. */
  const theirs: Record<string, string> = {}
  const mine: Record<string, string> = {}
  beforeAll(async () => {
    bed = await ticketBed(driver, 'ref-org')
    const other = bed.otherApi
    const made = async (path: string, body: unknown) => (await ok(bed.call(path, { body }), 201)).id as string
    theirs.member = (await addMember(bed.t, 'ref-org-other', 'stranger@ref-org-other.test')).id
    theirs.agent = (await made(`${other}/agents`, { email: 'stranger@ref-org-other.test', role: 'agent', permissions: ['ticket'] }))
    theirs.group = await made(`${other}/groups`, { name: 'their group' })
    theirs.intake = bed.intake.other
    theirs.processing = await made(`${other}/ticket/processing-categories`, { names: { ko: '남의 처리' } })
    theirs.field = await made(`${other}/ticket/fields`, { audience: 'customer', code: 'their_field', type: 'text', names: { ko: '남의 필드' } })
    theirs.template = await made(`${other}/ticket/answer-templates`, { title: 'their template', content: 'theirs' })
    theirs.attachment = await made(`${other}/ticket/attachments`, { fileName: 'theirs.txt', contentType: 'text/plain', data: btoa('their file') })
    theirs.ticket = await made(`${other}/ticket/tickets`, { title: 'theirs', content: 'their ticket', channel: 'api' })
    mine.ticket = await made(`${bed.api}/ticket/tickets`, { title: 'mine', content: 'my ticket', channel: 'api' })
    mine.member = (await addMember(bed.t, 'ref-org', 'requester@ref-org.test')).id
  }, 90_000)
  afterAll(() => bed.t.close())

  /** Rows the refused requests could have left behind, in this service and the other. */
  const written = async () => {
    const [row] = await bed.t.db.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_entries) AS entries,
      (SELECT count(*) FROM ticket_history) AS history, (SELECT count(*) FROM oc_outbox) AS events,
      (SELECT count(*) FROM oc_audit) AS audit, (SELECT count(*) FROM oc_agent_groups) AS groups,
      (SELECT count(*) FROM ticket_answer_templates) AS templates, (SELECT count(*) FROM ticket_categories) AS categories,
      (SELECT count(*) FROM ticket_attachments WHERE ticket_id IS NOT NULL) AS bound,
      (SELECT count(*) FROM oc_agents) AS agents, (SELECT count(*) FROM ticket_category_fields) AS form_fields,
      (SELECT count(*) FROM ticket_answer_template_links) AS links`)
    return row
  }
  const refusedAt = async (path: string, method: string, body: unknown, field: string, noun: RegExp) => {
    const res = await bed.call(`${bed.api}${path}`, { method, body })
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(422)
    expect(res.body.error.code).toBe('OC_VALIDATION')
    const issue = res.body.error.issues.find((i: { path: string }) => i.path === field)
    expect(issue, `${field} in ${JSON.stringify(res.body.error.issues)}`).toMatchObject({ code: 'unknown_reference' })
    expect(issue.message).toMatch(noun)
    expect(issue.message).toMatch(/send|upload/)
  }
  const ticketDraft = (extra: Record<string, unknown>) => ({ title: 'refused', content: 'refused', channel: 'api', ...extra })

  it('refuses another organization\'s ids in ticket creates, changes, replies and notes, writing nothing', async () => {
    const before = await written()
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ requester: { memberId: theirs.member } }), 'body.requester.memberId', /not a member of this organization/)
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ assigneeAgentId: theirs.agent }), 'body.assigneeAgentId', /not an agent of this service/)
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ assigneeGroupId: theirs.group }), 'body.assigneeGroupId', /not an agent group of this service/)
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ processingCategoryId: theirs.processing }), 'body.processingCategoryId', /not a processing category/)
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ intakeCategoryId: theirs.intake }), 'body.intakeCategoryId', /not an intake category/)
    await refusedAt('/ticket/tickets', 'POST', ticketDraft({ attachmentIds: [theirs.attachment] }), 'body.attachmentIds.0', /not a file uploaded to this service/)
    const patch = `/ticket/tickets/${mine.ticket}`
    await refusedAt(patch, 'PATCH', { requester: { memberId: theirs.member } }, 'body.requester.memberId', /member/)
    await refusedAt(patch, 'PATCH', { assigneeAgentId: theirs.agent }, 'body.assigneeAgentId', /agent/)
    await refusedAt(patch, 'PATCH', { assigneeGroupId: theirs.group }, 'body.assigneeGroupId', /group/)
    await refusedAt(patch, 'PATCH', { intakeCategoryId: theirs.intake }, 'body.intakeCategoryId', /intake category/)
    await refusedAt(patch, 'PATCH', { processingCategoryId: theirs.processing }, 'body.processingCategoryId', /processing category/)
    await refusedAt(`${patch}/agent-replies`, 'POST', { content: 'hello', attachmentIds: [theirs.attachment] }, 'body.attachmentIds.0', /file/)
    await refusedAt(`${patch}/notes`, 'POST', { content: 'note', attachmentIds: [theirs.attachment] }, 'body.attachmentIds.0', /file/)
    expect(await written()).toEqual(before)
    // Their file is still theirs to use.
    const [file] = await bed.t.db.query<{ ticket_id: string | null }>('SELECT ticket_id FROM ticket_attachments WHERE id = $1', [theirs.attachment])
    expect(file!.ticket_id).toBeNull()
  })

  it('refuses them in configuration: categories, forms, templates, triggers, groups and agents, writing nothing', async () => {
    const before = await written()
    await refusedAt('/ticket/intake-categories', 'POST', { names: { ko: '하위' }, parentId: theirs.intake }, 'body.parentId', /intake category/)
    await refusedAt(`/ticket/intake-categories/${bed.intake.billing}/fields`, 'PUT', { fieldIds: [bed.fieldIds.order_no, theirs.field] }, 'body.fieldIds.1', /not a field of this service/)
    await refusedAt(`/ticket/intake-categories/${bed.intake.billing}/fields`, 'POST', { fieldId: theirs.field }, 'body.fieldId', /field/)
    await refusedAt('/ticket/answer-templates', 'POST', { title: 't', content: 'c', categoryIds: [theirs.processing] }, 'body.categoryIds.0', /processing category/)
    await refusedAt(`/ticket/processing-categories/${bed.processing}/answer-templates`, 'PUT', { templateIds: [theirs.template] }, 'body.templateIds.0', /not an answer template of this service/)
    await refusedAt(`/ticket/processing-categories/${bed.processing}/answer-templates`, 'POST', { templateId: theirs.template }, 'body.templateId', /answer template/)
    await refusedAt('/ticket/triggers/dry-run', 'POST', { ticketId: theirs.ticket, event: 'created' }, 'body.ticketId', /not a ticket of this service/)
    await refusedAt('/groups', 'POST', { name: 'crossed', agentIds: [bed.agent.id, theirs.agent] }, 'body.agentIds.1', /not an agent of this service/)
    const agent = await bed.call(`${bed.api}/agents`, { body: { memberId: theirs.member, role: 'agent' } })
    expect(agent.status).toBe(422)
    expect(agent.body.error.issues[0]).toMatchObject({ path: 'body.memberId', code: 'unknown_reference' })
    // Triggers name agents, groups and categories in conditions and results (refused there as before).
    const trigger = await bed.call(`${bed.api}/ticket/triggers`, { body: { title: 'crossed', conditions: { all: [{ attribute: 'assignee', operator: 'is', value: theirs.agent }] }, results: [{ type: 'assign', mode: 'random', groupId: theirs.group }] } })
    expect(trigger.status).toBe(422)
    expect(trigger.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.conditions.all.0.value', 'body.results.0.groupId'])
    expect(await written()).toEqual(before)
  })

  it('takes the service\'s own references, and a member of its own organization as requester', async () => {
    const made = await ok(bed.call(`${bed.api}/ticket/tickets`, { body: ticketDraft({ requester: { memberId: mine.member }, assigneeAgentId: bed.agent.id, assigneeGroupId: bed.group, processingCategoryId: bed.processing }) }), 201)
    expect(made).toMatchObject({ requester: { memberId: mine.member }, assigneeAgentId: bed.agent.id, assigneeGroupId: bed.group })
    const changed = await ok(bed.call(`${bed.api}/ticket/tickets/${mine.ticket}`, { method: 'PATCH', body: { requester: { memberId: mine.member } } }))
    expect(changed.requester.memberId).toBe(mine.member)
    // The other organization's member is a fine requester there.
    const there = await ok(bed.call(`${bed.otherApi}/ticket/tickets`, { body: ticketDraft({ requester: { memberId: theirs.member } }) }), 201)
    expect(there.requester.memberId).toBe(theirs.member)
  })
})
