import { describe, expect, it } from 'vitest'
import { contentTypeProblem, detectFileType, normalizeContentType, OOXML } from './file-types.ts'
import { compoundFile, EXE, GIF, JPEG, PDF, PNG, SCRIPT_HTML, SCRIPT_SVG, zip } from '../../test/support/files.ts'

const bytes = (...values: number[]) => Uint8Array.from(values)
const text = (s: string) => new TextEncoder().encode(s)

describe('file types from content', () => {
  it('reads images, PDF, audio and video from their signatures, whatever is declared', () => {
    const cases: [Uint8Array, string][] = [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [GIF, 'image/gif'],
      [text('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'],
      [bytes(0x42, 0x4d, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0), 'image/bmp'],
      [bytes(0x49, 0x49, 0x2a, 0, 8, 0, 0, 0), 'image/tiff'],
      [PDF, 'application/pdf'],
      [text('ID3\x04\x00\x00'), 'audio/mpeg'],
      [bytes(0xff, 0xfb, 0x90, 0x64), 'audio/mpeg'],
      [bytes(0xff, 0xf1, 0x50, 0x80), 'audio/aac'],
      [text('RIFF\x10\x00\x00\x00WAVEfmt '), 'audio/wav'],
      [text('RIFF\x10\x00\x00\x00AVI LIST'), 'video/x-msvideo'],
      [text('OggS\x00\x02'), 'audio/ogg'],
      [bytes(0, 0, 0, 0x18, ...text('ftypmp42'), 0, 0, 0, 0), 'video/mp4'],
      [bytes(0, 0, 0, 0x14, ...text('ftypqt  ')), 'video/quicktime'],
      [bytes(0, 0, 0, 0x18, ...text('ftypM4A ')), 'audio/mp4'],
      [bytes(0, 0, 0, 0x18, ...text('ftypheic')), 'image/heic'],
      [bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84, ...text('webm')), 'video/webm'],
    ]
    for (const [content, type] of cases) {
      expect(detectFileType(content, 'text/html'), type).toBe(type)
      expect(detectFileType(content), type).toBe(type)
    }
  })

  it('tells ZIP-based Office and HWPX files from plain archives, and OLE2 documents by their streams', () => {
    expect(detectFileType(zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']]))).toBe(OOXML.word)
    expect(detectFileType(zip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<workbook/>']]))).toBe(OOXML.excel)
    expect(detectFileType(zip([['ppt/presentation.xml', '<p/>']]))).toBe(OOXML.powerpoint)
    expect(detectFileType(zip([['mimetype', 'application/hwp+zip'], ['Contents/section0.xml', '<s/>']]))).toBe('application/hwp+zip')
    expect(detectFileType(zip([['notes.txt', 'hello']]), OOXML.word)).toBe('application/zip')
    expect(detectFileType(compoundFile(['WordDocument', '1Table']))).toBe('application/msword')
    expect(detectFileType(compoundFile(['Workbook']))).toBe('application/vnd.ms-excel')
    expect(detectFileType(compoundFile(['Current User', 'PowerPoint Document', 'Pictures']))).toBe('application/vnd.ms-powerpoint')
    // HWP 5 keeps many streams; the ones that matter may sit past the first directory sector.
    expect(detectFileType(compoundFile(['HwpSummaryInformation', 'DocOptions', 'Scripts', 'PrvText', 'PrvImage', 'FileHeader', 'BodyText', 'DocInfo']))).toBe('application/x-hwp')
    expect(detectFileType(compoundFile(['__substg1.0_0037001F']))).toBeNull()
  })

  it('takes text only as UTF-8 without NUL, as text/plain unless declared CSV; markup is text, never an image', () => {
    expect(detectFileType(text('주문번호,금액\nA-1,1000\n'), 'text/csv; charset=utf-8')).toBe('text/csv; charset=utf-8')
    expect(detectFileType(text('hello'), 'image/png')).toBe('text/plain; charset=utf-8')
    expect(detectFileType(SCRIPT_HTML, 'text/html')).toBe('text/plain; charset=utf-8')
    expect(detectFileType(SCRIPT_SVG, 'image/svg+xml')).toBe('text/plain; charset=utf-8')
    expect(detectFileType(text('BMW service record'))).toBe('text/plain; charset=utf-8')
    expect(detectFileType(bytes(0x68, 0x69, 0, 0x21))).toBeNull()
    expect(detectFileType(bytes(0xb0, 0xa1, 0x20))).toBeNull() // EUC-KR, not UTF-8
    expect(detectFileType(EXE, 'image/png')).toBeNull()
    expect(detectFileType(new Uint8Array(0))).toBeNull()
  })
})

describe('content type normalisation', () => {
  it('keeps the essence in lower case and only a charset for text; refuses control characters', () => {
    expect(normalizeContentType('Image/PNG; name="a.png"')).toBe('image/png')
    expect(normalizeContentType('text/plain; Charset="UTF-8"; format=flowed')).toBe('text/plain; charset=utf-8')
    expect(normalizeContentType('text/csv')).toBe('text/csv')
    expect(normalizeContentType('text/html\r\nX-Injected: 1')).toBeNull()
    expect(normalizeContentType('image/png\u0000')).toBeNull()
    expect(normalizeContentType('not a type')).toBeNull()
    expect(normalizeContentType('ima"ge/png')).toBeNull()
    expect(contentTypeProblem('text/plain\r\n')).toMatch(/control character/)
    expect(contentTypeProblem('text/plain;\tcharset=utf-8')).toBeNull()
  })
})
