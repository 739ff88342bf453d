/**
 * Themes over the API, on both drivers: register (templates left out are the default's),
 * refuse templates that do not parse or read variables their page lacks (template, line,
 * message), edit as new versions, roll back (a new version), activate, set in use per device,
 * refuse deleting or deactivating the theme in use, preview an unsaved theme under the pages'
 * CSP, serve theme CSS and script from their own paths, the render path pages use, isolation,
 * access and audit entries.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { tenantDb } from '../../../core/storage/tenant-db.ts'
import { DEFAULT_THEMES } from '../default-theme/mod.ts'
import { samplePage } from '../render/samples.ts'
import { pageTheme, renderPage } from './in-use.ts'
import { pageAssets } from './assets.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const HOME = `{% layout 'layout' %}{% block content %}<h1 class="title_txt">{{ banner.title }}</h1><p class="custom-home">{{ strings.hc_title }}</p>{% endblock %}`

describe.each(drivers)('help-center themes on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  let other: TestService
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver() })
    svc = await tp.service('theme-org', 'support', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'], defaultLanguage: 'ko' })
    other = await tp.service('theme-other', 'support', { plugins: ['ticket', 'helpcenter'] })
  })
  afterAll(() => tp.close())

  const create = (body: Record<string, unknown>) => ok(svc.call('/helpcenter/themes', { body }), 201)
  const get = (path: string) => tp.fetch(new Request(`http://opencontact.test${path}`))
  /** The home page as the pages render it: the theme in use, through the per-version cache. */
  const renderInUse = async () => {
    const theme = await tenantDb(tp.db, { orgId: svc.orgId, serviceId: svc.serviceId }, new Map()).tx((tx) => pageTheme(tx, 'pc'))
    return renderPage(theme, 'home', samplePage('home', { device: 'pc', language: 'ko', strings: { hc_title: 'HC' }, assets: pageAssets('/o/theme-org/support', theme) }))
  }

  it('registers a theme from a few templates; the rest are the default theme\'s', async () => {
    const theme = await create({ device: 'pc', title: 'Spring', description: 'Seasonal', templates: { home: HOME }, css: '.custom-home{color:#123}', script: 'document.documentElement.dataset.theme = "spring"' })
    expect(theme).toMatchObject({ device: 'pc', title: 'Spring', description: 'Seasonal', active: true, inUse: false, version: 1 })
    expect(theme.templates.home).toBe(HOME)
    expect(theme.templates.faq_detail).toBe(DEFAULT_THEMES.pc.templates.faq_detail)
    expect(Object.keys(theme.templates).sort()).toEqual(Object.keys(DEFAULT_THEMES.pc.templates).sort())
    const { themes } = await ok(svc.call('/helpcenter/themes?device=pc'))
    expect(themes.map((t: { title: string }) => t.title)).toEqual(['Spring'])
    expect(themes[0].templates).toBeUndefined()
  })

  it('refuses a template that does not parse or reads what its page does not have, naming template and line', async () => {
    const broken = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Broken', templates: { home: HOME, faq_list: 'fine\n{% for x in faqs %}never closed' } } })
    expect(broken.status).toBe(422)
    expect(broken.body.error.code).toBe('HELPCENTER_TEMPLATE_INVALID')
    expect(broken.body.error.message).toBe('faq_list: line 2, column 1: tag {% for x in faqs %} not closed')
    expect(broken.body.error.issues).toEqual([{ path: 'body.templates.faq_list', message: 'line 2, column 1: tag {% for x in faqs %} not closed', code: 'template_invalid' }])
    const unknown = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Nosy', templates: { notice_detail: '{% layout "layout" %}{% block content %}\n\n{{ visitor.email }}{{ faq.title }}{% endblock %}' } } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.templates.notice_detail', 'body.templates.notice_detail'])
    expect(unknown.body.error.issues[0].message).toMatch(/^line 3, column 4: 'visitor\.email' is not a variable of this page; visitor has: signedIn, displayName$/)
    expect(unknown.body.error.issues[1].message).toMatch(/'faq' is not a variable of this page/)
    const filter = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Filter', templates: { home: '{{ banner.title | shell }}' } } })
    expect(filter.body.error.issues[0]).toMatchObject({ path: 'body.templates.home', message: 'line 1, column 1: undefined filter: shell' })
    const outside = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Outside', templates: { home: '{% include "../../etc/passwd" %}' } } })
    expect(outside.body.error.issues[0].message).toMatch(/is not a template of this theme/)
    const badName = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'Names', templates: { '../x': 'a' } } })
    expect(badName.status).toBe(422)
    expect(badName.body.error.issues[0].path).toMatch(/^body\.templates/)
    expect((await ok(svc.call('/helpcenter/themes'))).themes).toHaveLength(1)
  })

  it('keeps a version per save, and rolls back by saving an earlier version as a new one', async () => {
    const [spring] = (await ok(svc.call('/helpcenter/themes'))).themes
    const v2 = await ok(svc.call(`/helpcenter/themes/${spring.id}`, { method: 'PATCH', body: { templates: { home: HOME.replace('custom-home', 'custom-home-2') }, css: '.custom-home-2{color:#321}' } }))
    expect(v2).toMatchObject({ version: 2, css: '.custom-home-2{color:#321}', title: 'Spring' })
    const v3 = await ok(svc.call(`/helpcenter/themes/${spring.id}`, { method: 'PATCH', body: { title: 'Spring 2', templates: { home: null } } }))
    expect(v3.version).toBe(3)
    expect(v3.templates.home).toBe(DEFAULT_THEMES.pc.templates.home)
    const refused = await svc.call(`/helpcenter/themes/${spring.id}`, { method: 'PATCH', body: { templates: { home: '{{ nope.nope }}' } } })
    expect(refused.status).toBe(422)
    expect((await ok(svc.call(`/helpcenter/themes/${spring.id}`))).version).toBe(3)
    const { versions } = await ok(svc.call(`/helpcenter/themes/${spring.id}/versions`))
    expect(versions.map((v: { version: number; title: string }) => [v.version, v.title])).toEqual([[3, 'Spring 2'], [2, 'Spring'], [1, 'Spring']])
    expect((await ok(svc.call(`/helpcenter/themes/${spring.id}/versions/1`))).templates.home).toBe(HOME)
    const rolled = await ok(svc.call(`/helpcenter/themes/${spring.id}/versions/1/rollback`, { method: 'POST' }))
    expect(rolled).toMatchObject({ version: 4, title: 'Spring', css: '.custom-home{color:#123}' })
    expect(rolled.templates.home).toBe(HOME)
    expect((await ok(svc.call(`/helpcenter/themes/${spring.id}/versions/4`))).restoredFrom).toBe(1)
    expect((await svc.call(`/helpcenter/themes/${spring.id}/versions/9/rollback`, { method: 'POST' })).status).toBe(404)
  })

  it('sets a theme in use per device; pages render it; the one in use is neither deleted nor deactivated', async () => {
    const [spring] = (await ok(svc.call('/helpcenter/themes'))).themes
    expect(await renderInUse()).not.toContain('custom-home')
    expect((await svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'mobile', themeId: spring.id } })).body.error.issues[0].path).toBe('body.themeId')
    const inUse = await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: spring.id } }))
    expect(inUse).toMatchObject({ pc: { id: spring.id, inUse: true }, mobile: null })
    const html = await renderInUse()
    expect(html).toContain('<p class="custom-home">HC</p>')
    expect(html).toContain(`<link rel="stylesheet" href="/o/theme-org/support/hc/assets/themes/${spring.id}/4/theme.css">`)
    expect(html).toContain(`<script src="/o/theme-org/support/hc/assets/themes/${spring.id}/4/theme.js" defer></script>`)

    const deleted = await svc.call(`/helpcenter/themes/${spring.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(409)
    expect(deleted.body.error.code).toBe('HELPCENTER_THEME_IN_USE')
    expect(deleted.body.error.message).toContain(`theme 'Spring' (${spring.id}) is in use for pc pages`)
    expect((await svc.call(`/helpcenter/themes/${spring.id}`, { method: 'PATCH', body: { active: false } })).body.error.code).toBe('HELPCENTER_THEME_IN_USE')

    const autumn = await create({ device: 'pc', title: 'Autumn', active: false })
    expect((await svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: autumn.id } })).body.error.code).toBe('HELPCENTER_THEME_INACTIVE')
    await ok(svc.call(`/helpcenter/themes/${autumn.id}`, { method: 'PATCH', body: { active: true } }))
    expect((await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: autumn.id } }))).pc.id).toBe(autumn.id)
    expect((await ok(svc.call(`/helpcenter/themes/${spring.id}`))).inUse).toBe(false)
    // Back to the default theme; then the spring theme may go.
    expect((await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'pc', themeId: null } }))).pc).toBeNull()
    expect(await renderInUse()).toContain('class="main_banner"')
    expect((await svc.call(`/helpcenter/themes/${spring.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await svc.call(`/helpcenter/themes/${spring.id}`)).status).toBe(404)
  })

  it('takes concurrent changes of the theme in use in turn, leaving one in use', async () => {
    const [a, b] = await Promise.all([create({ device: 'mobile', title: 'Race A' }), create({ device: 'mobile', title: 'Race B' })])
    const answers = await Promise.all([a, b, a, b].map((t) => svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'mobile', themeId: t.id } })))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200])
    const inUse = await tp.db.query<{ id: string }>('SELECT id FROM helpcenter_themes WHERE service_id = $1 AND device = $2 AND in_use', [svc.serviceId, 'mobile'])
    expect(inUse).toHaveLength(1)
    await ok(svc.call('/helpcenter/themes/in-use', { method: 'PUT', body: { device: 'mobile', themeId: null } }))
    for (const t of [a, b]) expect((await svc.call(`/helpcenter/themes/${t.id}`, { method: 'DELETE' })).status).toBe(204)
  })

  it('serves theme CSS and script from their own paths, typed and nosniff', async () => {
    const theme = await create({ device: 'mobile', title: 'Assets', css: 'body{color:#111}', script: 'console.log(1)' })
    const css = await get(`/o/theme-org/support/hc/assets/themes/${theme.id}/1/theme.css`)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await css.text()).toBe('body{color:#111}')
    const js = await get(`/o/theme-org/support/hc/assets/themes/${theme.id}/1/theme.js`)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toBe('console.log(1)')
    const main = await get('/o/theme-org/support/hc/assets/default/pc/main.css')
    expect(main.status).toBe(200)
    expect(await main.text()).toContain('.main_banner')
    expect((await get('/o/theme-org/support/hc/assets/default/pc/evil.css')).status).toBe(404)
    expect((await get(`/o/theme-org/support/hc/assets/themes/${theme.id}/1/other.js`)).status).toBe(422)
    // Another service's path does not serve this service's theme.
    expect((await get(`/o/theme-other/support/hc/assets/themes/${theme.id}/1/theme.css`)).status).toBe(404)
  })

  it('previews an unsaved theme with sample data under the pages\' CSP, its CSS and script allowed by hash only', async () => {
    const res = await svc.call('/helpcenter/themes/preview', { body: { device: 'pc', pageType: 'home', language: 'en', templates: { home: HOME }, css: '.custom-home{color:red}', script: 'window.previewed = 1' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = res.body as string
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<p class="custom-home">Help center</p>')
    expect(html).toContain('<style>.custom-home{color:red}</style><script>window.previewed = 1</script></head>')
    expect(html).toContain('href="/o/theme-org/support/hc/assets/default/pc/main.css"')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'self' 'sha256-[A-Za-z0-9+/=]+';/)
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const faq = await svc.call('/helpcenter/themes/preview', { body: { device: 'mobile', pageType: 'faq_detail' } })
    expect(faq.body).toContain('class="faqData_info-con"')
    expect(faq.body).toContain('<html lang="ko">')
    const broken = await svc.call('/helpcenter/themes/preview', { body: { device: 'pc', pageType: 'home', templates: { home: '{{ banner.title | nope }}' } } })
    expect(broken.status).toBe(422)
    expect(broken.body.error.issues[0].path).toBe('body.templates.home')
    const slow = await svc.call('/helpcenter/themes/preview', { body: { device: 'pc', pageType: 'home', templates: { home: '{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}' } } })
    expect(slow.status).toBe(422)
    expect(slow.body.error.code).toBe('HELPCENTER_RENDER_LIMIT')
  })

  it('documents the page types and gives the default theme to start from', async () => {
    const catalogue = await ok(svc.call('/helpcenter/themes/page-types'))
    expect(catalogue.pageTypes.map((p: { name: string }) => p.name)).toContain('faq_detail')
    expect(Object.keys(catalogue.shared.properties)).toEqual(['hc', 'visitor', 'strings', 'csrf', 'assets'])
    const defaults = await ok(svc.call('/helpcenter/themes/default?device=mobile'))
    expect(defaults.templates.layout).toContain('hc-menu-toggle')
    expect(defaults.css.map((c: { name: string }) => c.name)).toContain('inquiry.css')
  })

  it('keeps themes to their service, asks for the permission, and records changes in the audit trail', async () => {
    const [theme] = (await ok(svc.call('/helpcenter/themes'))).themes
    expect((await other.call(`/helpcenter/themes/${theme.id}`)).status).toBe(404)
    expect((await other.call(`/helpcenter/themes/${theme.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await ok(other.call('/helpcenter/themes'))).themes).toEqual([])
    const agent = await svc.agent({ permissions: [] })
    expect((await agent.call('/helpcenter/themes')).status).toBe(403)
    expect((await svc.call('/helpcenter/themes', { token: null })).status).toBe(401)
    const rows = await tp.db.query<{ action: string }>("SELECT action FROM oc_audit WHERE action LIKE 'helpcenter.theme.%' ORDER BY id")
    const actions = new Set(rows.map((r) => r.action))
    expect([...actions].sort()).toEqual(['helpcenter.theme.created', 'helpcenter.theme.deleted', 'helpcenter.theme.in-use', 'helpcenter.theme.rolled-back', 'helpcenter.theme.updated'])
  })
})
