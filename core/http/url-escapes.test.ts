import { describe, expect, it } from 'vitest'
import { escapesDecode, urlEscapeIssues } from './url-escapes.ts'

describe('percent-escapes that are not UTF-8', () => {
  it('tells UTF-8 escape runs from broken ones, and leaves a bare % alone', () => {
    expect(escapesDecode('%ED%83%9D%EB%B0%B0')).toBe(true)
    expect(escapesDecode('100%')).toBe(true)
    expect(escapesDecode('a%2Fb')).toBe(true)
    expect(escapesDecode('caf%C3%28')).toBe(false)
    expect(escapesDecode('%FF')).toBe(false)
    expect(escapesDecode('%ED%A0%80')).toBe(false)
  })

  it('names the path parameter by the route pattern and the query value by its name', () => {
    expect(urlEscapeIssues('http://x/o/acme/desk/tickets/%FF?q=ok', '/o/:org/:service/tickets/:id')).toEqual([expect.objectContaining({ path: 'path.id', code: 'invalid_encoding' })])
    expect(urlEscapeIssues('http://x/items/%C3%A9?a=%C3%A9&q=caf%C3%28&%FF=1#frag', '/items/:slug{[a-z]+}')).toEqual([
      expect.objectContaining({ path: 'query.q' }),
      expect.objectContaining({ path: 'query.name' }),
    ])
    expect(urlEscapeIssues('http://x/items/%C3%28', '/items/:slug{.+}')).toEqual([expect.objectContaining({ path: 'path.slug' })])
  })
})
