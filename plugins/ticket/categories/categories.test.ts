/**
 * Intake and processing categories over the API, on both drivers: trees up to five levels,
 * names per language, moves that would break the tree, reordering, activation, deletion of
 * categories in use, the CSV download, tenant isolation, access rules and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok, ticketTestBed, type TicketTestBed } from '../test-support.ts'

describe.each(DRIVERS)('ticket categories on %s', (driver) => {
  let bed: TicketTestBed
  let intake: string
  let processing: string
  beforeAll(async () => {
    bed = await ticketTestBed(driver, 'cat-org')
    intake = `${bed.api}/ticket/intake-categories`
    processing = `${bed.api}/ticket/processing-categories`
  })
  afterAll(() => bed.t.close())

  const add = (base: string, body: Record<string, unknown>) => ok(bed.call(`${base}`, { body }), 201)
  const named = (ko: string, extra: Record<string, unknown> = {}) => ({ names: { ko }, ...extra })

  it('adds categories with names per language, levels, paths and order', async () => {
    const delivery = await add(intake, { names: { ko: '배송', en: 'Delivery' } })
    expect(delivery).toMatchObject({ parentId: null, level: 1, position: 1, names: { ko: '배송', en: 'Delivery' }, path: { ko: '배송', en: 'Delivery' }, active: true, visible: true, childCount: 0 })
    expect(delivery.id).toMatch(/^[0-9a-f-]{36}$/)
    const late = await add(intake, { parentId: delivery.id, names: { ko: '지연' } })
    expect(late).toMatchObject({ level: 2, path: { ko: '배송 > 지연', en: 'Delivery > 지연' }, pathIds: [delivery.id, late.id] })
    const first = await add(intake, { names: { ko: '결제' }, position: 1 })
    const list = await ok(bed.call(intake))
    expect(list.categories.map((c: { names: { ko: string }; position: number }) => [c.names.ko, c.position])).toEqual([['결제', 1], ['배송', 2], ['지연', 1]])
    expect((await ok(bed.call(`${intake}/${first.id}`))).names.ko).toBe('결제')
  })

  it('refuses names without the default language, in unknown languages, unknown fields and wrong types', async () => {
    const noDefault = await bed.call(intake, { body: { names: { en: 'Refunds' } } })
    expect(noDefault.status).toBe(422)
    expect(noDefault.body.error.issues).toEqual([expect.objectContaining({ path: 'body.names.ko', code: 'required' })])
    const unknownLanguage = await bed.call(intake, { body: { names: { ko: '환불', ja: '返金' } } })
    expect(unknownLanguage.body.error.issues[0]).toMatchObject({ path: 'body.names.ja', code: 'unknown_language' })
    expect(unknownLanguage.body.error.message).toContain('use one of ko, en')
    const unknownField = await bed.call(intake, { body: { names: { ko: '환불' }, colour: 'red' } })
    expect(unknownField.status).toBe(422)
    expect(unknownField.body.error.issues[0]).toMatchObject({ path: 'body.colour', code: 'unknown_field' })
    const wrongType = await bed.call(intake, { body: { names: '환불' } })
    expect(wrongType.status).toBe(422)
    expect(wrongType.body.error.issues[0].path).toBe('body.names')
    const missing = await bed.call(intake, { body: {} })
    expect(missing.body.error.issues[0].path).toBe('body.names')
    const badPosition = await bed.call(intake, { body: { names: { ko: '환불' }, position: 9 } })
    expect(badPosition.body.error.issues[0]).toMatchObject({ path: 'body.position' })
    expect(badPosition.body.error.issues[0].message).toContain('use a position from 1 to')
  })

  it('keeps trees to five levels, on add and on move', async () => {
    let parent: string | null = null
    const chain: string[] = []
    for (let level = 1; level <= 5; level++) {
      const made: { id: string; level: number } = await add(intake, named(`깊이${level}`, { parentId: parent }))
      expect(made.level).toBe(level)
      chain.push(made.id)
      parent = made.id
    }
    const tooDeep = await bed.call(intake, { body: named('깊이6', { parentId: parent }) })
    expect(tooDeep.status).toBe(422)
    expect(tooDeep.body.error.issues[0]).toMatchObject({ path: 'body.parentId', code: 'too_deep' })
    expect(tooDeep.body.error.message).toContain('at most 5 levels')

    // A two-level subtree fits under level 3, not under level 4.
    const branch = await add(intake, named('가지'))
    await add(intake, named('잎', { parentId: branch.id }))
    const refused = await bed.call(`${intake}/${branch.id}/move`, { body: { parentId: chain[3] } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.issues[0]).toMatchObject({ path: 'body.parentId', code: 'too_deep' })
    expect(refused.body.error.message).toContain('level 6')
    const moved = await ok(bed.call(`${intake}/${branch.id}/move`, { body: { parentId: chain[2] } }))
    expect(moved).toMatchObject({ level: 4, parentId: chain[2], position: 2 })
    const leaf = (await ok(bed.call(intake))).categories.find((c: { names: { ko: string } }) => c.names.ko === '잎')
    expect(leaf.level).toBe(5)
  })

  it('refuses moves into the own subtree, and re-parents with order kept tidy', async () => {
    const top = await add(intake, named('상위'))
    const mid = await add(intake, named('중간', { parentId: top.id }))
    const low = await add(intake, named('하위', { parentId: mid.id }))
    const intoChild = await bed.call(`${intake}/${top.id}/move`, { body: { parentId: low.id } })
    expect(intoChild.status).toBe(422)
    expect(intoChild.body.error.issues[0]).toMatchObject({ path: 'body.parentId', code: 'cycle' })
    expect(intoChild.body.error.message).toContain("'하위' is inside the subtree of '상위'")
    const intoItself = await bed.call(`${intake}/${top.id}/move`, { body: { parentId: top.id } })
    expect(intoItself.body.error.issues[0].code).toBe('cycle')

    const second = await add(intake, named('둘째', { parentId: top.id }))
    const toTop = await ok(bed.call(`${intake}/${mid.id}/move`, { body: { parentId: null, position: 1 } }))
    expect(toTop).toMatchObject({ level: 1, position: 1, path: { ko: '중간' } })
    expect((await ok(bed.call(`${intake}/${low.id}`))).level).toBe(2)
    expect((await ok(bed.call(`${intake}/${second.id}`))).position).toBe(1)
    const missingParent = await bed.call(`${intake}/${mid.id}/move`, { body: { parentId: '00000000-0000-4000-8000-000000000000' } })
    expect(missingParent.status).toBe(422)
    expect(missingParent.body.error.issues[0].path).toBe('body.parentId')
  })

  it('reorders the children of one parent, exactly as listed', async () => {
    const parent = await add(intake, named('정렬'))
    const [a, b, c] = [await add(intake, named('가', { parentId: parent.id })), await add(intake, named('나', { parentId: parent.id })), await add(intake, named('다', { parentId: parent.id }))]
    const reordered = await ok(bed.call(`${intake}/order`, { method: 'PUT', body: { parentId: parent.id, ids: [c.id, a.id, b.id] } }))
    expect(reordered.categories.map((x: { names: { ko: string }; position: number }) => [x.names.ko, x.position])).toEqual([['다', 1], ['가', 2], ['나', 3]])
    const missing = await bed.call(`${intake}/order`, { method: 'PUT', body: { parentId: parent.id, ids: [c.id, a.id] } })
    expect(missing.status).toBe(422)
    expect(missing.body.error.issues[0]).toMatchObject({ code: 'missing_child' })
    const stranger = await bed.call(`${intake}/order`, { method: 'PUT', body: { parentId: parent.id, ids: [c.id, a.id, b.id, parent.id] } })
    expect(stranger.body.error.issues[0]).toMatchObject({ code: 'not_a_child' })
  })

  it('deactivates a category and hides its subtree from customers', async () => {
    const parent = await add(intake, named('이벤트'))
    const child = await add(intake, named('당첨', { parentId: parent.id }))
    const off = await ok(bed.call(`${intake}/${parent.id}`, { method: 'PATCH', body: { active: false } }))
    expect(off).toMatchObject({ active: false, visible: false, names: { ko: '이벤트' } })
    expect(await ok(bed.call(`${intake}/${child.id}`))).toMatchObject({ active: true, visible: false })
    const badQuery = await bed.call(`${intake}?visible=yes`)
    expect(badQuery.status).toBe(422)
    expect(badQuery.body.error.issues[0].path).toBe('query.visible')
    const visible = await ok(bed.call(`${intake}?visible=true`))
    const ids = visible.categories.map((c: { id: string }) => c.id)
    expect(ids).not.toContain(parent.id)
    expect(ids).not.toContain(child.id)
    expect(ids.length).toBeGreaterThan(0)
    const renamed = await ok(bed.call(`${intake}/${parent.id}`, { method: 'PATCH', body: { names: { ko: '이벤트 문의', en: 'Events' }, active: true } }))
    expect(renamed).toMatchObject({ active: true, visible: true, names: { ko: '이벤트 문의', en: 'Events' } })
  })

  it('has processing categories without an active switch', async () => {
    const made = await add(processing, { names: { ko: '처리완료' } })
    expect(made).not.toHaveProperty('active')
    expect(made).toMatchObject({ level: 1, path: { ko: '처리완료', en: '처리완료' } })
    const withActive = await bed.call(processing, { body: { names: { ko: '보류' }, active: false } })
    expect(withActive.status).toBe(422)
    expect(withActive.body.error.issues[0]).toMatchObject({ path: 'body.active', code: 'unknown_field' })
    const patch = await bed.call(`${processing}/${made.id}`, { method: 'PATCH', body: { active: false } })
    expect(patch.status).toBe(422)
    // The two trees are separate: an intake category is no processing category.
    const intakeId = (await ok(bed.call(intake))).categories[0].id
    expect((await bed.call(`${processing}/${intakeId}`)).status).toBe(404)
    expect((await bed.call(processing, { body: { names: { ko: '하위' }, parentId: intakeId } })).status).toBe(422)
  })

  it('refuses to delete a category in use, naming what uses it, and deletes a free one', async () => {
    const parent = await add(processing, named('삭제대상'))
    const child = await add(processing, named('자식', { parentId: parent.id }))
    const refused = await bed.call(`${processing}/${parent.id}`, { method: 'DELETE' })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('TICKET_CATEGORY_IN_USE')
    expect(refused.body.error.message).toContain("processing category '삭제대상' is in use")
    expect(refused.body.error.message).toContain('1 child categories')
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'children', code: 'in_use' })])
    expect((await bed.call(`${processing}/${child.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${processing}/${parent.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${processing}/${parent.id}`)).status).toBe(404)
    expect((await bed.call(`${processing}/${parent.id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('downloads the tree as CSV: BOM, RFC 4180 quoting, CRLF, one column per language', async () => {
    await bed.t.createService('cat-org', 'csv', ['ticket'])
    await bed.call('/operator/v1/organizations/cat-org/services/csv', { method: 'PATCH', body: { languages: ['ko', 'en'] } })
    const base = '/o/cat-org/csv/api/v1/ticket/intake-categories'
    const top = await add(base, { names: { ko: '배송, 반품', en: 'Say "hi"' } })
    const child = await add(base, { parentId: top.id, names: { ko: '두 줄\n이름' } })
    await ok(bed.call(`${base}/${child.id}`, { method: 'PATCH', body: { active: false } }))
    const response = await bed.t.platform.fetch(new Request(`http://opencontact.test${base}.csv`, { headers: { authorization: `Bearer ${bed.t.operatorToken}` } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="intake-categories.csv"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const expected =
      '\uFEFFid,parent_id,level,path,name_ko,name_en,active,order\r\n' +
      `${top.id},,1,"배송, 반품","배송, 반품","Say ""hi""",true,1\r\n` +
      `${child.id},${top.id},2,"배송, 반품 > 두 줄\n이름","두 줄\n이름",,false,1\r\n`
    expect(bytes).toEqual(new TextEncoder().encode(expected))

    const processingCsv = await bed.t.platform.fetch(new Request(`http://opencontact.test/o/cat-org/csv/api/v1/ticket/processing-categories.csv`, { headers: { authorization: `Bearer ${bed.t.operatorToken}` } }))
    expect(await processingCsv.text()).toBe('id,parent_id,level,path,name_ko,name_en,order\r\n') // text() drops the BOM
  })

  it("answers 404 for another tenant's categories (422 named as a parent)", async () => {
    const foreign = await add(`${bed.otherApi}/ticket/intake-categories`, { names: { ko: '남의 것' } })
    expect((await bed.call(`${intake}/${foreign.id}`)).status).toBe(404)
    expect((await bed.call(`${intake}/${foreign.id}`, { method: 'PATCH', body: { active: false } })).status).toBe(404)
    expect((await bed.call(`${intake}/${foreign.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await bed.call(`${intake}/${foreign.id}/move`, { body: { parentId: null } })).status).toBe(404)
    const asParent = await bed.call(intake, { body: { names: { ko: '침입' }, parentId: foreign.id } })
    expect(asParent.status).toBe(422)
    expect(asParent.body.error.issues[0].path).toBe('body.parentId')
    expect((await ok(bed.call(intake))).categories.map((c: { id: string }) => c.id)).not.toContain(foreign.id)
    expect((await ok(bed.call(`${bed.otherApi}/ticket/intake-categories/${foreign.id}`))).names.ko).toBe('남의 것')
  })

  it('runs the processing tree through read, rename, move, reorder and delete', async () => {
    const top = await add(processing, named('처리 상위'))
    const [a, b] = [await add(processing, named('가', { parentId: top.id })), await add(processing, named('나', { parentId: top.id }))]
    expect(await ok(bed.call(`${processing}/${a.id}`))).toMatchObject({ id: a.id, level: 2, parentId: top.id, path: { ko: '처리 상위 > 가' } })
    expect((await ok(bed.call(processing))).categories.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([top.id, a.id, b.id]))
    const renamed = await ok(bed.call(`${processing}/${a.id}`, { method: 'PATCH', body: { names: { ko: '가나', en: 'AB' } } }))
    expect(renamed).toMatchObject({ names: { ko: '가나', en: 'AB' }, path: { ko: '처리 상위 > 가나', en: '처리 상위 > AB' } })
    expect(renamed).not.toHaveProperty('active')
    const reordered = await ok(bed.call(`${processing}/order`, { method: 'PUT', body: { parentId: top.id, ids: [b.id, a.id] } }))
    expect(reordered.categories.map((c: { id: string; position: number }) => [c.id, c.position])).toEqual([[b.id, 1], [a.id, 2]])
    const moved = await ok(bed.call(`${processing}/${a.id}/move`, { body: { parentId: null, position: 1 } }))
    expect(moved).toMatchObject({ id: a.id, parentId: null, level: 1, position: 1 })
    expect((await ok(bed.call(`${processing}/${top.id}`))).childCount).toBe(1)
    expect((await bed.call(`${processing}/${a.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${processing}/${a.id}`)).status).toBe(404)

    // Five levels at most here too.
    let parent: string = top.id
    for (let level = 2; level <= 5; level++) parent = (await add(processing, named(`처리 깊이${level}`, { parentId: parent }))).id
    const tooDeep = await bed.call(processing, { body: named('처리 깊이6', { parentId: parent }) })
    expect(tooDeep.status).toBe(422)
    expect(tooDeep.body.error.issues[0]).toMatchObject({ path: 'body.parentId', code: 'too_deep' })
  })

  it('refuses rename, move and reorder bodies that miss a field, mistype one or name an unknown one, on both trees', async () => {
    for (const base of [intake, processing]) {
      const parent = await add(base, named('검증'))
      const child = await add(base, named('검증 자식', { parentId: parent.id }))
      const sibling = await add(base, named('검증 형제', { parentId: parent.id }))
      const issue = async (path: string, method: string, body: unknown) => {
        const res = await bed.call(path, { method, body })
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
        return res.body.error.issues[0]
      }
      // Add
      expect(await issue(base, 'POST', {})).toMatchObject({ path: 'body.names' })
      expect(await issue(base, 'POST', { names: { ko: '가' }, parentId: 42 })).toMatchObject({ path: 'body.parentId' })
      // Rename
      expect(await issue(`${base}/${child.id}`, 'PATCH', { names: '이름' })).toMatchObject({ path: 'body.names' })
      expect(await issue(`${base}/${child.id}`, 'PATCH', { names: { en: 'No default' } })).toMatchObject({ path: 'body.names.ko', code: 'required' })
      expect(await issue(`${base}/${child.id}`, 'PATCH', { names: { ko: '가' }, colour: 'red' })).toMatchObject({ path: 'body.colour', code: 'unknown_field' })
      // Move
      expect(await issue(`${base}/${child.id}/move`, 'POST', {})).toMatchObject({ path: 'body.parentId' })
      expect(await issue(`${base}/${child.id}/move`, 'POST', { parentId: null, position: 'first' })).toMatchObject({ path: 'body.position' })
      expect(await issue(`${base}/${child.id}/move`, 'POST', { parentId: null, level: 1 })).toMatchObject({ path: 'body.level', code: 'unknown_field' })
      expect((await issue(`${base}/${child.id}/move`, 'POST', { parentId: parent.id, position: 5 })).path).toBe('body.position')
      // Reorder
      expect(await issue(`${base}/order`, 'PUT', { parentId: parent.id })).toMatchObject({ path: 'body.ids' })
      expect(await issue(`${base}/order`, 'PUT', { parentId: parent.id, ids: child.id })).toMatchObject({ path: 'body.ids' })
      expect(await issue(`${base}/order`, 'PUT', { parentId: parent.id, ids: [child.id, sibling.id], sort: 'asc' })).toMatchObject({ path: 'body.sort', code: 'unknown_field' })
      expect(await issue(`${base}/order`, 'PUT', { parentId: parent.id, ids: [child.id, child.id, sibling.id] })).toMatchObject({ path: 'body.ids', code: 'duplicate' })
      // A path id that is no id at all
      expect(await issue(`${base}/not-an-id`, 'PATCH', { names: { ko: '가' } })).toMatchObject({ path: 'path.id' })
      expect(await issue(`${base}/not-an-id`, 'GET', undefined)).toMatchObject({ path: 'path.id' })
      // Nothing refused was changed.
      expect(await ok(bed.call(`${base}/${child.id}`))).toMatchObject({ parentId: parent.id, position: 1, names: { ko: '검증 자식' } })
    }
  })

  it('refuses every change to an agent who is not an administrator, on both trees', async () => {
    const agent = await bed.agentToken('agent', ['ticket'])
    for (const base of [intake, processing]) {
      const parent = await add(base, named('권한'))
      const child = await add(base, named('권한 자식', { parentId: parent.id }))
      expect((await bed.call(base, { token: agent })).status).toBe(200)
      expect((await bed.call(`${base}/${child.id}`, { token: agent })).status).toBe(200)
      expect((await bed.call(`${base}.csv`, { token: agent })).status).toBe(200)
      for (const [path, method, body] of [
        [base, 'POST', named('상담원')],
        [`${base}/${child.id}`, 'PATCH', { names: { ko: '바꿈' } }],
        [`${base}/${child.id}/move`, 'POST', { parentId: null }],
        [`${base}/order`, 'PUT', { parentId: parent.id, ids: [child.id] }],
        [`${base}/${child.id}`, 'DELETE', undefined],
      ] as const) {
        const res = await bed.call(path, { token: agent, method, body })
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403)
      }
      expect(await ok(bed.call(`${base}/${child.id}`))).toMatchObject({ parentId: parent.id, names: { ko: '권한 자식' } })
    }
  })

  it("answers 404 for another tenant's processing categories as path ids, 422 as parents", async () => {
    const foreign = await add(`${bed.otherApi}/ticket/processing-categories`, named('남의 처리'))
    const mine = await add(processing, named('우리 처리'))
    expect((await bed.call(`${processing}/${foreign.id}`)).status).toBe(404)
    expect((await bed.call(`${processing}/${foreign.id}`, { method: 'PATCH', body: { names: { ko: '침입' } } })).status).toBe(404)
    expect((await bed.call(`${processing}/${foreign.id}/move`, { body: { parentId: null } })).status).toBe(404)
    expect((await bed.call(`${processing}/${foreign.id}`, { method: 'DELETE' })).status).toBe(404)
    const asParent = await bed.call(processing, { body: named('침입', { parentId: foreign.id }) })
    expect(asParent.status).toBe(422)
    expect(asParent.body.error.issues[0].path).toBe('body.parentId')
    const moveUnder = await bed.call(`${processing}/${mine.id}/move`, { body: { parentId: foreign.id } })
    expect(moveUnder.status).toBe(422)
    expect(moveUnder.body.error.issues[0].path).toBe('body.parentId')
    const orderUnder = await bed.call(`${processing}/order`, { method: 'PUT', body: { parentId: foreign.id, ids: [mine.id] } })
    expect(orderUnder.status).toBe(422)
    expect(orderUnder.body.error.issues[0].path).toBe('body.parentId')
    // Listed among the top-level children, a foreign id is no child of ours.
    const topLevel = (await ok(bed.call(processing))).categories.filter((c: { parentId: string | null }) => c.parentId === null).map((c: { id: string }) => c.id)
    const stranger = await bed.call(`${processing}/order`, { method: 'PUT', body: { parentId: null, ids: [...topLevel, foreign.id] } })
    expect(stranger.status).toBe(422)
    expect(stranger.body.error.issues[0]).toMatchObject({ path: 'body.ids', code: 'not_a_child' })
    expect((await ok(bed.call(processing))).categories.map((c: { id: string }) => c.id)).not.toContain(foreign.id)
    // The foreign tree is untouched.
    expect(await ok(bed.call(`${bed.otherApi}/ticket/processing-categories/${foreign.id}`))).toMatchObject({ names: { ko: '남의 처리' }, childCount: 0 })
  })

  it('lets agents read and only administrators change; anonymous callers get 401', async () => {
    expect((await bed.call(intake, { token: null })).status).toBe(401)
    expect((await bed.call(intake, { token: null, body: named('익명') })).status).toBe(401)
    expect((await bed.call(`${intake}.csv`, { token: null })).status).toBe(401)
    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(intake, { token: agent })).status).toBe(200)
    const denied = await bed.call(intake, { token: agent, body: named('상담원') })
    expect(denied.status).toBe(403)
    expect(denied.body.error.message).toContain('administrators')
    const admin = await bed.agentToken('admin', [])
    expect((await bed.call(intake, { token: admin, body: named('관리자') })).status).toBe(201)
  })

  it('documents every configuration route with its access rule in the service document', async () => {
    const doc = await ok(bed.call(`${bed.api}/openapi.json`))
    const access = (path: string, method: string) => doc.paths[path]?.[method]?.['x-oc-access']
    expect(access('/ticket/intake-categories', 'get')).toBe('authenticated')
    expect(access('/ticket/intake-categories', 'post')).toBe('role admin')
    expect(access('/ticket/processing-categories/{id}/move', 'post')).toBe('role admin')
    expect(access('/ticket/intake-categories.csv', 'get')).toBe('authenticated')
    expect(access('/ticket/fields', 'post')).toBe('role admin')
    expect(access('/ticket/intake-categories/{id}/fields', 'put')).toBe('role admin')
    expect(access('/ticket/agent-fields/order', 'put')).toBe('role admin')
    expect(access('/ticket/processing-categories/{id}/answer-templates', 'get')).toBe('permission ticket')
    expect(access('/ticket/answer-templates', 'get')).toBe('authenticated')
    expect(access('/ticket/banned-words/preview', 'post')).toBe('authenticated')
    for (const schema of ['TicketIntakeCategory', 'TicketProcessingCategory', 'TicketFieldCreate', 'TicketField', 'TicketAnswerTemplate', 'TicketBannedWordPreview']) {
      expect(doc.components.schemas[schema], schema).toBeDefined()
    }
    expect(doc.components.schemas.TicketIntakeCategory.properties).toHaveProperty('active')
    expect(doc.components.schemas.TicketProcessingCategory.properties).not.toHaveProperty('active')
  })

  it('records every change in the audit trail', async () => {
    const made = await add(intake, named('감사'))
    await ok(bed.call(`${intake}/${made.id}`, { method: 'PATCH', body: { active: false } }))
    await ok(bed.call(`${intake}/${made.id}`, { method: 'DELETE' }), 204)
    const trail = await ok(bed.call(`${bed.api}/audit?targetType=ticket-intake-category&limit=3`))
    expect(trail.entries.map((e: { action: string }) => e.action)).toEqual(['ticket.intake-category.deleted', 'ticket.intake-category.updated', 'ticket.intake-category.created'])
    expect(trail.entries[1]).toMatchObject({ target: { id: made.id }, before: { active: true }, after: { active: false }, actor: { type: 'operator' } })
  })
})
