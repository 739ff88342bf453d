/**
 * String sets over the API, on both drivers: system sets (texts and tags editable, code fixed,
 * reset), custom sets, tags, languages checked, what a page gets in each language (edits over
 * defaults, the service default for a missing language), isolation, access and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { SYSTEM_STRINGS } from './system.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

describe.each(drivers)('help-center string sets on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let other: TestService
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver() })
    svc = await tp.service('str-org', 'support', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en', 'ja'], defaultLanguage: 'ko' })
    other = await tp.service('str-other', 'support', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'] })
  })
  afterAll(() => tp.close())

  const resolved = async (language: string, service = svc) => (await ok(service.call(`/helpcenter/strings/resolved?language=${language}`))).strings

  it('lists every system set with its defaults, and resolves them per language with the service default for a missing one', async () => {
    const { sets } = await ok(svc.call('/helpcenter/strings/sets?kind=system'))
    expect(sets.map((s: { code: string }) => s.code)).toEqual(Object.keys(SYSTEM_STRINGS))
    expect(sets[0]).toMatchObject({ code: 'hc_title', system: true, edited: false, texts: { ko: '고객센터', en: 'Help center' }, defaults: { ko: '고객센터', en: 'Help center' }, tagIds: [] })
    expect((await resolved('en')).hc_menu_notices).toBe('Notices')
    expect((await resolved('ko')).hc_menu_notices).toBe('공지사항')
    // Japanese has no system text: the service's default language (Korean) shows.
    expect((await resolved('ja')).hc_menu_notices).toBe('공지사항')
    const bad = await svc.call('/helpcenter/strings/resolved?language=fr')
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0].path).toBe('query.language')
  })

  it('edits a system set\'s texts per language, keeps its code, resets it, and never deletes it', async () => {
    const edited = await ok(svc.call('/helpcenter/strings/sets/hc_menu_notices', { method: 'PATCH', body: { texts: { en: 'News', ja: 'お知らせ' } } }))
    expect(edited).toMatchObject({ code: 'hc_menu_notices', system: true, edited: true, texts: { ko: '공지사항', en: 'News', ja: 'お知らせ' }, defaults: { ko: '공지사항', en: 'Notices' } })
    expect((await resolved('en')).hc_menu_notices).toBe('News')
    expect((await resolved('ja')).hc_menu_notices).toBe('お知らせ')
    // A second edit keeps the languages edited before.
    await ok(svc.call('/helpcenter/strings/sets/hc_menu_notices', { method: 'PATCH', body: { texts: { ko: '알림' } } }))
    expect(await resolved('en')).toMatchObject({ hc_menu_notices: 'News' })
    expect(await resolved('ko')).toMatchObject({ hc_menu_notices: '알림' })
    // Another service is untouched.
    expect((await resolved('en', other)).hc_menu_notices).toBe('Notices')

    const deleted = await svc.call('/helpcenter/strings/sets/hc_menu_notices', { method: 'DELETE' })
    expect(deleted.status).toBe(409)
    expect(deleted.body.error).toMatchObject({ code: 'HELPCENTER_SYSTEM_STRING' })
    expect(deleted.body.error.message).toContain('/reset')
    const reset = await ok(svc.call('/helpcenter/strings/sets/hc_menu_notices/reset', { method: 'POST' }))
    expect(reset).toMatchObject({ edited: false, texts: { ko: '공지사항', en: 'Notices' } })
    expect((await resolved('en')).hc_menu_notices).toBe('Notices')
  })

  it('adds, edits and deletes custom sets; a code is never taken twice, a system code never', async () => {
    const created = await ok(svc.call('/helpcenter/strings/sets', { body: { code: 'shop_hours', texts: { ko: '평일 9–18시', en: 'Weekdays 9–18' } } }), 201)
    expect(created).toMatchObject({ code: 'shop_hours', system: false, defaults: null, texts: { ko: '평일 9–18시', en: 'Weekdays 9–18' } })
    expect((await resolved('en')).shop_hours).toBe('Weekdays 9–18')
    expect((await resolved('ja')).shop_hours).toBe('평일 9–18시')
    const again = await svc.call('/helpcenter/strings/sets', { body: { code: 'shop_hours', texts: { ko: 'x' } } })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('HELPCENTER_STRING_CODE_TAKEN')
    const systemCode = await svc.call('/helpcenter/strings/sets', { body: { code: 'hc_title', texts: { ko: 'x' } } })
    expect(systemCode.status).toBe(409)
    expect(systemCode.body.error.message).toContain('system set')
    const badCode = await svc.call('/helpcenter/strings/sets', { body: { code: 'Shop-Hours', texts: { ko: 'x' } } })
    expect(badCode.status).toBe(422)
    expect(badCode.body.error.issues[0].path).toBe('body.code')
    const badLanguage = await svc.call('/helpcenter/strings/sets', { body: { code: 'shop_x', texts: { fr: 'x' } } })
    expect(badLanguage.status).toBe(422)
    expect(badLanguage.body.error.issues).toEqual([expect.objectContaining({ path: 'body.texts.fr', message: expect.stringContaining('ko, en, ja') })])

    await ok(svc.call('/helpcenter/strings/sets/shop_hours', { method: 'PATCH', body: { texts: { en: 'Mon–Fri 9–18' } } }))
    expect((await resolved('en')).shop_hours).toBe('Mon–Fri 9–18')
    expect((await svc.call('/helpcenter/strings/sets/shop_hours/reset', { method: 'POST' })).status).toBe(409)
    expect((await svc.call('/helpcenter/strings/sets/shop_hours', { method: 'DELETE' })).status).toBe(204)
    expect((await svc.call('/helpcenter/strings/sets/shop_hours')).status).toBe(404)
    expect((await resolved('en')).shop_hours).toBeUndefined()
  })

  it('answers concurrent adds of one code or tag name with one 201 and 409s', async () => {
    const sets = await Promise.all([1, 2, 3].map(() => svc.call('/helpcenter/strings/sets', { body: { code: 'race_code', texts: { ko: 'x' } } })))
    expect(sets.map((r) => r.status).sort()).toEqual([201, 409, 409])
    const tags = await Promise.all([1, 2, 3].map(() => svc.call('/helpcenter/strings/tags', { body: { name: 'Race' } })))
    expect(tags.map((r) => r.status).sort()).toEqual([201, 409, 409])
    await ok(svc.call('/helpcenter/strings/sets/race_code', { method: 'DELETE' }), 204)
    await ok(svc.call(`/helpcenter/strings/tags/${tags.find((r) => r.status === 201)!.body.id}`, { method: 'DELETE' }), 204)
  })

  it('sorts sets by tags: add, rename, filter, delete (the sets lose the tag)', async () => {
    const banner = await ok(svc.call('/helpcenter/strings/tags', { body: { name: 'Banner' } }), 201)
    expect((await svc.call('/helpcenter/strings/tags', { body: { name: 'Banner' } })).body.error.code).toBe('HELPCENTER_STRING_TAG_EXISTS')
    await ok(svc.call('/helpcenter/strings/sets/hc_title', { method: 'PATCH', body: { tagIds: [banner.id] } }))
    await ok(svc.call('/helpcenter/strings/sets', { body: { code: 'banner_text', texts: { ko: '환영합니다' }, tagIds: [banner.id] } }), 201)
    const tagged = await ok(svc.call(`/helpcenter/strings/sets?tagId=${banner.id}`))
    expect(tagged.sets.map((s: { code: string }) => s.code)).toEqual(['hc_title', 'banner_text'])
    // Tagging a system set edits no text.
    expect(tagged.sets[0]).toMatchObject({ edited: false, tagIds: [banner.id] })
    expect((await ok(svc.call('/helpcenter/strings/tags/' + banner.id, { method: 'PATCH', body: { name: 'Home banner' } }))).name).toBe('Home banner')
    const unknown = await svc.call('/helpcenter/strings/sets/hc_home', { method: 'PATCH', body: { tagIds: ['0b6f2a4e-6a1b-4c55-9d1e-3f1c2b7d9a10'] } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0].path).toBe('body.tagIds.0')
    // Another service cannot see or use the tag.
    expect((await other.call('/helpcenter/strings/tags')).body.tags).toEqual([])
    expect((await other.call('/helpcenter/strings/sets/hc_home', { method: 'PATCH', body: { tagIds: [banner.id] } })).status).toBe(422)
    expect((await svc.call('/helpcenter/strings/tags/' + banner.id, { method: 'DELETE' })).status).toBe(204)
    expect((await ok(svc.call('/helpcenter/strings/sets/hc_title'))).tagIds).toEqual([])
    expect((await ok(svc.call('/helpcenter/strings/sets?q=' + encodeURIComponent('환영')))).sets.map((s: { code: string }) => s.code)).toEqual(['banner_text'])
  })

  it('needs the help-center permission, and records each change in the audit trail', async () => {
    const agent = await svc.agent({ permissions: [] })
    expect((await agent.call('/helpcenter/strings/sets')).status).toBe(403)
    expect((await svc.call('/helpcenter/strings/sets', { token: null })).status).toBe(401)
    const manager = await svc.agent({ permissions: ['helpcenter'] })
    expect((await manager.call('/helpcenter/strings/sets/hc_home', { method: 'PATCH', body: { texts: { en: 'Start' } } })).status).toBe(200)
    const rows = await tp.db.query<{ action: string; target_id: string }>("SELECT action, target_id FROM oc_audit WHERE action LIKE 'helpcenter.string%' ORDER BY id")
    const actions = rows.map((r) => `${r.action} ${r.target_id}`)
    expect(actions).toContain('helpcenter.string-set.updated hc_menu_notices')
    expect(actions).toContain('helpcenter.string-set.reset hc_menu_notices')
    expect(actions).toContain('helpcenter.string-set.deleted shop_hours')
    expect(actions).toContain('helpcenter.string-tag.deleted ' + rows.find((r) => r.action === 'helpcenter.string-tag.created')!.target_id)
    expect(actions.at(-1)).toBe('helpcenter.string-set.updated hc_home')
  })
})
