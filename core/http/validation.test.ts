/**
 * The platform's query validator must hand zod what @hono/zod-openapi's would: the query read
 * through Hono's `c.req.queries()`, a name given once as a string and a repeated one as an array.
 */
import { getQueryParams } from 'hono/utils/url'
import { describe, expect, it } from 'vitest'
import { queryValues } from './validation.ts'

/** What Hono's validator builds from `c.req.queries()` for the `query` target. */
const honoQuery = (url: string) => Object.fromEntries(Object.entries(getQueryParams(url) as Record<string, string[]>).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])))

const urls = [
  'http://x/p',
  'http://x/p?',
  'http://x/p?id=42',
  'http://x/p?id=42&name=a',
  'http://x/p?tag=a&tag=b&tag=c&id=1',
  'http://x/p?flag&id=&=nameless&&x=1',
  'http://x/p?q=a+b%20c&%C3%A9t%C3%A9=summer',
  'http://x/p?bad=%E0%A4%A&ok=%41',
  'http://x/p?a=1=2&b==',
  'http://x/p?id=1#frag&id=2',
  'http://x/p#only?id=1',
  'http://x/p%20q?a=b',
  'http://x/p?__proto__=x&constructor=y&toString=z',
  'http://x/p?2=b&1=a&z=c',
]

describe('queryValues', () => {
  it.each(urls)('reads %s as Hono does', (url) => {
    const ours = queryValues(url)
    expect(ours).toStrictEqual(honoQuery(url))
    expect(Object.keys(ours)).toEqual(Object.keys(honoQuery(url)))
  })

  it('keeps a field named __proto__ a field', () => {
    const values = queryValues('http://x/p?__proto__=x')
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype)
    expect(Object.hasOwn(values, '__proto__')).toBe(true)
  })
})
