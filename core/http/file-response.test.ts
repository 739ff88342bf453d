import { describe, expect, it } from 'vitest'
import { contentDisposition, fileResponse } from './file-response.ts'

const body = new TextEncoder().encode('x')

describe('file responses', () => {
  it('serves inline only safe raster images, PDF and plain text, and carries the protective headers on every file', async () => {
    const served = (contentType: string, disposition: 'inline' | 'attachment' = 'inline') => fileResponse({ body, contentType, fileName: 'f' }, { disposition })
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'application/pdf', 'text/plain; charset=utf-8']) {
      expect(served(type).headers.get('content-disposition'), type).toMatch(/^inline;/)
      expect(served(type, 'attachment').headers.get('content-disposition'), type).toMatch(/^attachment;/)
    }
    for (const type of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'text/xml', 'application/zip', 'text/csv', 'application/octet-stream']) {
      expect(served(type).headers.get('content-disposition'), type).toMatch(/^attachment;/)
    }
    const res = served('Image/PNG; name=x')
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': '1',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cross-origin-resource-policy': 'same-site',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private',
    })
    expect(await res.text()).toBe('x')
  })

  it('serves a malformed stored type (CR/LF, not a type) as an octet-stream attachment instead of failing', () => {
    for (const stored of ['text/html\r\nX-Injected: 1', 'image/png\u0000', 'garbage', '']) {
      const res = fileResponse({ body, contentType: stored, fileName: 'page.html' }, { disposition: 'inline' })
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(res.headers.get('x-injected')).toBeNull()
    }
  })

  it('encodes any file name safely: an ASCII fallback and RFC 8187 UTF-8', () => {
    expect(contentDisposition('attachment', '영수증 (1).png')).toBe(`attachment; filename="___ (1).png"; filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D%20%281%29.png`)
    expect(contentDisposition('inline', 'a"b\\c\r\n;d%.txt')).toBe(`inline; filename="a_b_c__;d_.txt"; filename*=UTF-8''a%22b_c__%3Bd%25.txt`)
    // A lone surrogate cannot be percent-encoded as UTF-8: it is replaced, not a 500.
    expect(contentDisposition('attachment', 'bad\uD800.txt')).toBe(`attachment; filename="bad_.txt"; filename*=UTF-8''bad%EF%BF%BD.txt`)
    expect(contentDisposition('attachment', '')).toBe(`attachment; filename="file"; filename*=UTF-8''file`)
  })
})
