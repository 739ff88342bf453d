/**
 * Answer templates over the API, on both drivers: add, edit, delete, search (any case and width,
 * Korean), cursor pages, links to processing categories and what agents fetch for a category,
 * isolation, access and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok, ticketTestBed, type TicketTestBed } from '../test-support.ts'

describe.each(DRIVERS)('ticket answer templates on %s', (driver) => {
  let bed: TicketTestBed
  let templates: string
  let processing: string
  let billing: { id: string }
  let shipping: { id: string }
  beforeAll(async () => {
    bed = await ticketTestBed(driver, 'tpl-org')
    templates = `${bed.api}/ticket/answer-templates`
    processing = `${bed.api}/ticket/processing-categories`
    billing = await ok(bed.call(processing, { body: { names: { ko: '결제' } } }), 201)
    shipping = await ok(bed.call(processing, { body: { names: { ko: '배송' } } }), 201)
  })
  afterAll(() => bed.t.close())

  const add = (body: Record<string, unknown>) => ok(bed.call(templates, { body }), 201)
  const titles = (page: { templates: { title: string }[] }) => page.templates.map((t) => t.title)

  it('adds templates linked to processing categories, and edits them', async () => {
    const refund = await add({ title: 'Refund policy', content: '환불은 7일 이내에 가능합니다.', categoryIds: [billing.id] })
    expect(refund).toMatchObject({ title: 'Refund policy', categoryIds: [billing.id] })
    const delay = await add({ title: '배송 지연 안내', content: 'Your parcel is DELAYED by a day.' })
    expect(delay.categoryIds).toEqual([])
    const edited = await ok(bed.call(`${templates}/${delay.id}`, { method: 'PATCH', body: { content: '배송이 하루 늦어집니다. Sorry for the DELAY.', categoryIds: [shipping.id, billing.id] } }))
    expect(edited).toMatchObject({ title: '배송 지연 안내', content: '배송이 하루 늦어집니다. Sorry for the DELAY.' })
    expect([...edited.categoryIds].sort()).toEqual([billing.id, shipping.id].sort())
    expect((await ok(bed.call(`${templates}/${delay.id}`))).content).toContain('하루')
  })

  it('searches title and content in any case and width, Korean included', async () => {
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('REFUND')}`)))).toEqual(['Refund policy'])
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('ｒｅｆｕｎｄ')}`)))).toEqual(['Refund policy'])
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('환불은')}`)))).toEqual(['Refund policy'])
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('delay')}`)))).toEqual(['배송 지연 안내'])
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('지연')}`)))).toEqual(['배송 지연 안내'])
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('100%')}`)))).toEqual([])
    expect(titles(await ok(bed.call(`${templates}?categoryId=${shipping.id}`)))).toEqual(['배송 지연 안내'])
    expect(titles(await ok(bed.call(`${templates}?categoryId=${billing.id}&q=policy`)))).toEqual(['Refund policy'])
  })

  it('pages newest first with an opaque cursor', async () => {
    for (const n of [1, 2, 3]) await add({ title: `페이지 ${n}`, content: '페이지 내용' })
    const first = await ok(bed.call(`${templates}?q=${encodeURIComponent('페이지')}&limit=2`))
    expect(titles(first)).toEqual(['페이지 3', '페이지 2'])
    const second = await ok(bed.call(`${templates}?q=${encodeURIComponent('페이지')}&limit=2&cursor=${first.nextCursor}`))
    expect(titles(second)).toEqual(['페이지 1'])
    expect(second.nextCursor).toBeNull()
    const bad = await bed.call(`${templates}?cursor=nope`)
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('query.cursor')
    expect((await bed.call(`${templates}?limit=500`)).body.error.issues[0].path).toBe('query.limit')
  })

  it('refuses missing and mistyped input and links to anything but processing categories', async () => {
    expect((await bed.call(templates, { body: { content: '제목 없음' } })).body.error.issues[0].path).toBe('body.title')
    expect((await bed.call(templates, { body: { title: '제목', content: 5 } })).body.error.issues[0].path).toBe('body.content')
    expect((await bed.call(templates, { body: { title: '제목', content: '내용', tags: [] } })).body.error.issues[0]).toMatchObject({ path: 'body.tags', code: 'unknown_field' })
    const intake = await ok(bed.call(`${bed.api}/ticket/intake-categories`, { body: { names: { ko: '접수' } } }), 201)
    const wrongKind = await bed.call(templates, { body: { title: '제목', content: '내용', categoryIds: [intake.id] } })
    expect(wrongKind.status).toBe(422)
    expect(wrongKind.body.error.issues[0]).toMatchObject({ path: 'body.categoryIds.0', code: 'wrong_kind' })
    const twice = await bed.call(templates, { body: { title: '제목', content: '내용', categoryIds: [billing.id, billing.id] } })
    expect(twice.body.error.issues[0]).toMatchObject({ path: 'body.categoryIds.1', code: 'duplicate' })
    const unknown = await bed.call(templates, { body: { title: '제목', content: '내용', categoryIds: ['00000000-0000-4000-8000-000000000000'] } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'body.categoryIds.0', code: 'unknown_reference' })
    // A refused create leaves nothing behind.
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('제목')}`)))).toEqual([])
  })

  it("gives agents a category's templates in order; administrators link, reorder and unlink", async () => {
    const links = `${processing}/${billing.id}/answer-templates`
    const list = await ok(bed.call(links))
    expect(list.templates.map((t: { title: string }) => t.title)).toEqual(['Refund policy', '배송 지연 안내'])
    const [refund, delay] = list.templates
    const reordered = await ok(bed.call(links, { method: 'PUT', body: { templateIds: [delay.id, refund.id] } }))
    expect(reordered.templates.map((t: { title: string }) => t.title)).toEqual(['배송 지연 안내', 'Refund policy'])
    const extra = await add({ title: '추가 템플릿', content: '내용' })
    const linked = await ok(bed.call(links, { body: { templateId: extra.id, position: 1 } }))
    expect(linked.templates.map((t: { title: string }) => t.title)).toEqual(['추가 템플릿', '배송 지연 안내', 'Refund policy'])
    expect((await bed.call(links, { body: { templateId: extra.id } })).status).toBe(409)
    expect((await bed.call(links, { method: 'PUT', body: { templateIds: [extra.id, extra.id] } })).body.error.issues[0].code).toBe('duplicate')
    expect((await bed.call(`${links}/${extra.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${links}/${extra.id}`, { method: 'DELETE' })).status).toBe(404)

    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await ok(bed.call(links, { token: agent }))).templates).toHaveLength(2)
    const noTicket = await bed.agentToken('agent', [])
    const denied = await bed.call(links, { token: noTicket })
    expect(denied.status).toBe(403)
    expect(denied.body.error.message).toContain("'ticket' permission")
    expect((await bed.call(links, { token: agent, method: 'PUT', body: { templateIds: [] } })).status).toBe(403)
    expect((await bed.call(`${bed.api}/ticket/intake-categories/${billing.id}/fields`)).status).toBe(404)
  })

  it('refuses to delete a category with templates linked, and deleting a template removes its links', async () => {
    const inUse = await bed.call(`${processing}/${shipping.id}`, { method: 'DELETE' })
    expect(inUse.status).toBe(409)
    expect(inUse.body.error.message).toContain('1 answer templates linked')
    const delay = (await ok(bed.call(`${templates}?q=${encodeURIComponent('지연')}`))).templates[0]
    expect((await bed.call(`${templates}/${delay.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${templates}/${delay.id}`)).status).toBe(404)
    expect((await ok(bed.call(`${processing}/${billing.id}/answer-templates`))).templates.map((t: { title: string }) => t.title)).toEqual(['Refund policy'])
    expect((await bed.call(`${processing}/${shipping.id}`, { method: 'DELETE' })).status).toBe(204)
  })

  it("answers 404 for another tenant's templates and categories in paths (422 in bodies), 401 anonymous, 403 to agents changing them", async () => {
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/answer-templates`, { body: { title: '남의 템플릿', content: '내용' } }), 201)
    expect((await bed.call(`${templates}/${foreign.id}`)).status).toBe(404)
    expect((await bed.call(`${templates}/${foreign.id}`, { method: 'PATCH', body: { title: '바꿈' } })).status).toBe(404)
    expect((await bed.call(`${templates}/${foreign.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await bed.call(`${processing}/${billing.id}/answer-templates`, { body: { templateId: foreign.id } })).status).toBe(422)
    expect((await bed.call(`${bed.otherApi}/ticket/processing-categories/${billing.id}/answer-templates`)).status).toBe(404)
    expect(titles(await ok(bed.call(`${templates}?q=${encodeURIComponent('남의')}`)))).toEqual([])

    expect((await bed.call(templates, { token: null })).status).toBe(401)
    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(templates, { token: agent })).status).toBe(200)
    expect((await bed.call(templates, { token: agent, body: { title: '상담원', content: '내용' } })).status).toBe(403)
  })

  it('records changes in the audit trail', async () => {
    const trail = await ok(bed.call(`${bed.api}/audit?targetType=ticket-answer-template&limit=100`))
    expect(new Set(trail.entries.map((e: { action: string }) => e.action))).toEqual(new Set(['ticket.answer-template.created', 'ticket.answer-template.updated', 'ticket.answer-template.deleted']))
    const links = await ok(bed.call(`${bed.api}/audit?action=ticket.processing-category.templates-updated&limit=1`))
    expect(links.entries[0]).toMatchObject({ target: { id: billing.id } })
  })

  // The tests below run after the audit check above, which reads the latest link change.

  it('refuses edits that mistype an attribute, name an unknown one, or link to another tenant\'s category', async () => {
    const template = await add({ title: '수정 검증', content: '원래 내용', categoryIds: [billing.id] })
    const foreignCategory = await ok(bed.call(`${bed.otherApi}/ticket/processing-categories`, { body: { names: { ko: '남의 처리' } } }), 201)
    const patch = (body: unknown) => bed.call(`${templates}/${template.id}`, { method: 'PATCH', body })
    const issue = async (body: unknown) => {
      const res = await patch(body)
      expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0]
    }
    expect(await issue({ title: 5 })).toMatchObject({ path: 'body.title' })
    expect(await issue({ title: '   ' })).toMatchObject({ path: 'body.title' })
    expect(await issue({ categoryIds: billing.id })).toMatchObject({ path: 'body.categoryIds' })
    expect(await issue({ tags: ['x'] })).toMatchObject({ path: 'body.tags', code: 'unknown_field' })
    const foreignLink = await patch({ categoryIds: [billing.id, foreignCategory.id] })
    expect(foreignLink.status).toBe(422)
    expect(foreignLink.body.error.issues[0].path).toBe('body.categoryIds.1')
    const createForeign = await bed.call(templates, { body: { title: '남의 분류로', content: '내용', categoryIds: [foreignCategory.id] } })
    expect(createForeign.status).toBe(422)
    expect(createForeign.body.error.issues[0].path).toBe('body.categoryIds.0')
    expect(await ok(bed.call(`${templates}/${template.id}`))).toMatchObject({ title: '수정 검증', content: '원래 내용', categoryIds: [billing.id] })
    expect((await ok(bed.call(`${templates}?categoryId=${foreignCategory.id}`))).templates).toEqual([])
    expect((await bed.call(`${templates}/not-an-id`)).body.error.issues[0].path).toBe('path.id')
  })

  it('refuses category link bodies that miss the template, mistype it, add attributes or place it past the end', async () => {
    const links = `${processing}/${billing.id}/answer-templates`
    const linked = (await ok(bed.call(links))).templates.map((t: { id: string }) => t.id) as string[]
    const spare = await add({ title: '연결 검증', content: '내용' })
    const issue = async (method: string, path: string, body: unknown) => {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0]
    }
    expect(await issue('PUT', links, {})).toMatchObject({ path: 'body.templateIds' })
    expect(await issue('PUT', links, { templateIds: spare.id })).toMatchObject({ path: 'body.templateIds' })
    expect(await issue('PUT', links, { templateIds: [spare.id], order: 'asc' })).toMatchObject({ path: 'body.order', code: 'unknown_field' })
    expect(await issue('POST', links, {})).toMatchObject({ path: 'body.templateId' })
    expect(await issue('POST', links, { templateId: 12 })).toMatchObject({ path: 'body.templateId' })
    expect(await issue('POST', links, { templateId: spare.id, position: 'top' })).toMatchObject({ path: 'body.position' })
    expect(await issue('POST', links, { templateId: spare.id, pinned: true })).toMatchObject({ path: 'body.pinned', code: 'unknown_field' })
    expect(await issue('POST', links, { templateId: spare.id, position: linked.length + 2 })).toMatchObject({ path: 'body.position' })
    expect(await issue('DELETE', `${links}/not-an-id`, undefined)).toMatchObject({ path: 'path.templateId' })
    expect((await ok(bed.call(links))).templates.map((t: { id: string }) => t.id)).toEqual(linked)
  })

  it("answers 404 (paths) or 422 (bodies) for another tenant's templates and categories on every link route, and 403 to agents on every change", async () => {
    const foreignTemplate = await ok(bed.call(`${bed.otherApi}/ticket/answer-templates`, { body: { title: '남의 것', content: '내용' } }), 201)
    const foreignCategory = await ok(bed.call(`${bed.otherApi}/ticket/processing-categories`, { body: { names: { ko: '남의 분류' } } }), 201)
    const mine = await add({ title: '우리 것', content: '내용' })
    const links = `${processing}/${billing.id}/answer-templates`
    const linked = (await ok(bed.call(links))).templates.map((t: { id: string }) => t.id) as string[]
    const replaceForeign = await bed.call(links, { method: 'PUT', body: { templateIds: [...linked, foreignTemplate.id] } })
    expect(replaceForeign.status).toBe(422)
    expect(replaceForeign.body.error.issues[0].path).toBe(`body.templateIds.${linked.length}`)
    const unlinkForeign = await bed.call(`${links}/${foreignTemplate.id}`, { method: 'DELETE' })
    expect(unlinkForeign.status).toBe(404)
    expect(unlinkForeign.body.error.issues[0].path).toBe('path.templateId')
    const theirs = `${processing}/${foreignCategory.id}/answer-templates`
    for (const [method, path, body] of [
      ['GET', theirs, undefined],
      ['PUT', theirs, { templateIds: [mine.id] }],
      ['POST', theirs, { templateId: mine.id }],
      ['DELETE', `${theirs}/${mine.id}`, undefined],
    ] as const) {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404)
      expect(res.body.error.issues[0].path).toBe('path.id')
    }
    expect((await ok(bed.call(`${bed.otherApi}/ticket/processing-categories/${foreignCategory.id}/answer-templates`))).templates).toEqual([])

    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(`${templates}/${mine.id}`, { token: agent })).status).toBe(200)
    for (const [method, path, body] of [
      ['PATCH', `${templates}/${mine.id}`, { title: '상담원' }],
      ['DELETE', `${templates}/${mine.id}`, undefined],
      ['POST', links, { templateId: mine.id }],
      ['DELETE', `${links}/${linked[0]}`, undefined],
    ] as const) {
      const res = await bed.call(path, { token: agent, method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403)
    }
    expect((await ok(bed.call(`${templates}/${mine.id}`))).title).toBe('우리 것')
    expect((await ok(bed.call(links))).templates.map((t: { id: string }) => t.id)).toEqual(linked)
  })
})
