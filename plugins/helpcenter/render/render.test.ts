/**
 * The engine's settings and the save-time checks: escaping by default and `raw` only for
 * sanitised HTML, own properties only, strict filters, a file system of the theme's templates
 * only, the limits, the per-version cache, and checks naming the template, line and variable.
 */
import { describe, expect, it } from 'vitest'
import { themeIssues, unknownVariable } from './check.ts'
import { compiledTheme, TemplateError, uncachedTheme } from './engine.ts'
import { contentSecurityPolicy, pageSecurityHeaders, themeAssetResponse } from './headers.ts'
import { SharedVariables, variablesOf } from './page-types.ts'
import { SanitisedHtml } from './safe-html.ts'

const render = (source: string, data: object = {}, partials: Record<string, string> = {}) => uncachedTheme({ page: source, ...partials }).render('page', data)
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error as TemplateError
  }
  throw new Error('expected the render to fail')
}

describe('the theme engine', () => {
  it('escapes every output; raw prints only HTML the platform marked as sanitised', async () => {
    const data = { name: '<img src=x onerror=alert(1)>', body: SanitisedHtml.trust('<p>ok</p>') }
    expect(await render('{{ name }}|{{ name | raw }}|{{ body }}|{{ body | raw }}', data)).toBe(
      '&lt;img src=x onerror=alert(1)&gt;|&lt;img src=x onerror=alert(1)&gt;|&lt;p&gt;ok&lt;/p&gt;|<p>ok</p>',
    )
    // A filter that makes a new string out of sanitised HTML loses the mark.
    expect(await render('{{ body | append: "<b>" | raw }}', data)).toBe('&lt;p&gt;ok&lt;/p&gt;&lt;b&gt;')
  })

  it('reads own properties only', async () => {
    expect(await render('[{{ a.constructor }}][{{ a.__proto__ }}][{{ a.toString }}][{{ s.constructor.name }}][{{ a.hasOwnProperty }}]', { a: { x: 1 }, s: 'text' })).toBe('[][][][][]')
  })

  it('refuses unknown filters when parsing', async () => {
    const error = await failure(render('line one\n{{ x | evil }}'))
    expect(error).toBeInstanceOf(TemplateError)
    expect(error.message).toBe('page line 2: undefined filter: evil')
  })

  it('includes the theme\'s own templates only', async () => {
    expect(await render('{% include "part" %}', { v: 'hi' }, { part: '[{{ v }}]' })).toBe('[hi]')
    for (const name of ['../part', '/etc/passwd', 'https://example.com/x', 'constructor', '__proto__', 'toString', 'part/../part', 'PART']) {
      const error = await failure(render(`{% include "${name}" %}`, {}, { part: 'x' }))
      expect(error.reason, name).toMatch(/is not a template of this theme/)
    }
  })

  it('stops a runaway template with a limit error', async () => {
    const loop = await failure(render('{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}'))
    expect(loop.limit).toBe(true)
    const growth = await failure(render('{% assign s = "xxxxxxxxxx" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}'))
    expect(growth.limit).toBe(true)
  })

  it('keeps one parsed theme per version key', () => {
    const first = compiledTheme('t1@1', { page: 'one' })
    expect(compiledTheme('t1@1', { page: 'one' })).toBe(first)
    expect(compiledTheme('t1@2', { page: 'two' })).not.toBe(first)
    expect(first.parsed('page')).toBe(first.parsed('page'))
  })
})

describe('the save-time checks', () => {
  it('accepts variables of the page type and refuses others, naming the template, line and variable', async () => {
    const issues = await themeIssues({
      layout: '<html>{{ hc.serviceName }}\n{{ banner.title }}{% block content %}{% endblock %}</html>',
      home: '{% layout "layout" %}{% block content %}{{ banner.title }}\n{% for n in recentNotices %}{{ n.title }} {{ n.secret }}{% endfor %}{% include "part" %}{% endblock %}',
      part: '{{ visitor.displayName }} {{ visitor.password }}',
      faq_detail: '{{ faq.body | raw }} {{ notice.title }}',
    })
    expect(issues).toEqual([
      { path: 'body.templates.layout', message: "line 2, column 4: 'banner' is not a variable of this page; the page has: hc, visitor, strings, csrf, assets", code: 'template_invalid' },
      { path: 'body.templates.part', message: expect.stringMatching(/^line 1, column \d+: 'visitor\.password' is not a variable of this page; visitor has: signedIn, displayName$/), code: 'template_invalid' },
      { path: 'body.templates.home', message: expect.stringMatching(/^line 2, column \d+: 'n\.secret' reads an item of recentNotices: 'recentNotices\.0\.secret' is not a variable of this page; recentNotices\.0 has: id, number, title/), code: 'template_invalid' },
      { path: 'body.templates.faq_detail', message: expect.stringMatching(/'notice' is not a variable of this page/), code: 'template_invalid' },
    ])
  })

  it('names the template and line of a parse error', async () => {
    expect(await themeIssues({ home: 'ok\n\n{% if x %}never closed', notice_list: '{{ x | nope }}' })).toEqual([
      { path: 'body.templates.home', message: 'line 3, column 1: tag {% if x %} not closed', code: 'template_invalid' },
      { path: 'body.templates.notice_list', message: 'line 1, column 1: undefined filter: nope', code: 'template_invalid' },
    ])
  })

  it('refuses templates that include themselves, or pull in too many templates, before analysing them', async () => {
    expect(await themeIssues({ home: '{% include "part" %}', part: '{% include "p2" %}', p2: '{% render "part" %}' })).toEqual([
      { path: 'body.templates.part', message: 'includes itself (part → p2 → part); a template may not include itself, directly or through others', code: 'template_invalid' },
    ])
    // Twenty levels of a template including the next twice: a million visits, refused from the graph alone.
    const diamond: Record<string, string> = { home: '{% include "d0" %}', d20: 'x' }
    for (let i = 0; i < 20; i++) diamond[`d${i}`] = `{% include "d${i + 1}" %}{% include "d${i + 1}" %}`
    const issues = await themeIssues(diamond)
    expect(issues[0]).toEqual({ path: 'body.templates.home', message: 'pulls in 2097152 templates through its includes (at most 2000); include fewer times, or fewer levels deep', code: 'template_invalid' })
  })

  it('walks lists, records and text the way Liquid reads them', () => {
    const home = variablesOf('home')
    expect(unknownVariable(home, ['recentNotices', 0, 'title'])).toBeNull()
    expect(unknownVariable(home, ['recentNotices', 'first', 'title'])).toBeNull()
    expect(unknownVariable(home, ['recentNotices', 'size'])).toBeNull()
    expect(unknownVariable(home, ['strings', 'any_code'])).toBeNull()
    expect(unknownVariable(home, ['banner', 'title', 'size'])).toBeNull()
    expect(unknownVariable(home, ['banner', 'title', 'length'])).toMatch(/banner\.title is text/)
    expect(unknownVariable(home, ['recentNotices', 'items'])).toMatch(/recentNotices is a list/)
    expect(unknownVariable(SharedVariables, ['process', 'env'])).toMatch(/'process' is not a variable/)
  })
})

describe('the safety headers', () => {
  it('allow the theme\'s own script path only, never inline code, and deny framing', () => {
    const headers = pageSecurityHeaders({ origin: 'https://acme.example.com', scriptPath: '/o/acme/support/hc/assets/themes/t/3/theme.js', stylePaths: ['/o/acme/support/hc/assets/themes/t/3/theme.css'] })
    const csp = headers['content-security-policy']!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain('script-src https://acme.example.com/o/acme/support/hc/assets/themes/t/3/theme.js;')
    expect(csp).toContain("style-src 'self' https://acme.example.com/o/acme/support/hc/assets/themes/t/3/theme.css;")
    expect(csp).toContain("img-src 'self' https: data:")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("base-uri 'none'")
    expect(csp).toContain("form-action 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'strict-origin-when-cross-origin' })
    expect(contentSecurityPolicy({ origin: 'https://a.example', scriptPath: null })).toContain("script-src 'none'")
    const framed = pageSecurityHeaders({ origin: 'https://a.example', scriptPath: null, frameAncestors: ['https://shop.example'] })
    expect(framed['content-security-policy']).toContain('frame-ancestors https://shop.example')
    expect(framed['x-frame-options']).toBeUndefined()
  })

  it('serve theme assets typed, nosniff, and cached for good', async () => {
    const css = themeAssetResponse('css', 'a{}', { immutable: true })
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('x-content-type-options')).toBe('nosniff')
    expect(css.headers.get('cache-control')).toContain('immutable')
    expect(themeAssetResponse('script', 'x()', { immutable: false }).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await css.text()).toBe('a{}')
  })
})
