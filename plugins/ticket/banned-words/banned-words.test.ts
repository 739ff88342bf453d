/**
 * Banned words over the API, on both drivers: add, change, delete, duplicates by matching form,
 * the preview, the guard the ticket work calls, isolation, access and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OcError } from '../../../core/mod.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok, ticketTestBed, type TicketTestBed } from '../test-support.ts'
import { refuseBannedWords } from './guard.ts'

describe.each(DRIVERS)('ticket banned words on %s', (driver) => {
  let bed: TicketTestBed
  let words: string
  beforeAll(async () => {
    bed = await ticketTestBed(driver, 'word-org')
    words = `${bed.api}/ticket/banned-words`
  })
  afterAll(() => bed.t.close())

  it('adds, lists, changes and deletes words', async () => {
    const refund = await ok(bed.call(words, { body: { word: '  환불 불가 ' } }), 201)
    expect(refund).toMatchObject({ word: '환불 불가' })
    const stupid = await ok(bed.call(words, { body: { word: 'Stupid' } }), 201)
    const list = await ok(bed.call(words))
    expect(list.words.map((w: { word: string }) => w.word)).toEqual(['Stupid', '환불 불가'])
    expect(await ok(bed.call(`${words}/${stupid.id}`, { method: 'PATCH', body: { word: 'idiot' } }))).toMatchObject({ id: stupid.id, word: 'idiot' })
    expect((await ok(bed.call(`${words}/${refund.id}`))).word).toBe('환불 불가')
    expect((await bed.call(`${words}/${stupid.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await bed.call(`${words}/${stupid.id}`)).status).toBe(404)
  })

  it('refuses a word that matches the same text as a stored one, empty words and unknown fields', async () => {
    const duplicate = await bed.call(words, { body: { word: '환불　　불가' } }) // ideographic spaces fold to one gap
    expect(duplicate.status).toBe(409)
    expect(duplicate.body.error).toMatchObject({ code: 'TICKET_BANNED_WORD_EXISTS', issues: [expect.objectContaining({ path: 'body.word' })] })
    const upper = await ok(bed.call(words, { body: { word: 'ABC' } }), 201)
    expect((await bed.call(words, { body: { word: 'ａｂｃ' } })).status).toBe(409)
    const other = await ok(bed.call(words, { body: { word: 'xyz' } }), 201)
    expect((await bed.call(`${words}/${other.id}`, { method: 'PATCH', body: { word: 'Abc' } })).status).toBe(409)
    expect((await bed.call(`${words}/${upper.id}`, { method: 'PATCH', body: { word: 'abc' } })).status).toBe(200)
    expect((await bed.call(words, { body: { word: '   ' } })).body.error.issues[0].path).toBe('body.word')
    expect((await bed.call(words, { body: { word: '\u200B' } })).body.error.issues[0]).toMatchObject({ path: 'body.word', code: 'empty' })
    expect((await bed.call(words, { body: { word: 'x', severity: 1 } })).body.error.issues[0]).toMatchObject({ path: 'body.severity', code: 'unknown_field' })
    expect((await bed.call(words, { body: { word: 42 } })).status).toBe(422)
    expect((await bed.call(words, { body: {} })).body.error.issues[0].path).toBe('body.word')
  })

  it('previews where the words match in a draft', async () => {
    const preview = await ok(bed.call(`${words}/preview`, { body: { text: '고객님, 이 상품은 환불불가입니다.\nＡＢＣ 참고' } }))
    expect(preview.matches).toEqual([
      expect.objectContaining({ word: '환불 불가', text: '환불불가', offset: 11, length: 4, line: 1, column: 12 }),
      expect.objectContaining({ word: 'abc', text: 'ＡＢＣ', offset: 20, length: 3, line: 2, column: 1 }),
    ])
    expect(preview.segments.filter((s: { words: string[] }) => s.words.length).map((s: { text: string }) => s.text)).toEqual(['환불불가', 'ＡＢＣ'])
    expect(preview.segments.map((s: { text: string }) => s.text).join('')).toBe('고객님, 이 상품은 환불불가입니다.\nＡＢＣ 참고')
    expect((await ok(bed.call(`${words}/preview`, { body: { text: '문제없는 답변' } }))).matches).toEqual([])
  })

  it('gives the ticket work a guard that refuses a reply naming each word and where', async () => {
    const refusal = await bed.t.db
      .tenantTransaction(bed.scope, (tx) => refuseBannedWords(tx as never, '안내드립니다.\n환불 불가 상품입니다.', 'body.content'))
      .catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(OcError)
    expect(refusal).toMatchObject({ code: 'TICKET_BANNED_WORDS_FOUND', status: 422 })
    expect((refusal as OcError).message).toBe("body.content contains banned word '환불 불가'; rewrite those passages and send again")
    expect((refusal as OcError).issues).toEqual([{ path: 'body.content', message: "contains the banned word '환불 불가' at line 2, column 1", code: 'banned_word' }])
    await expect(bed.t.db.tenantTransaction(bed.scope, (tx) => refuseBannedWords(tx as never, '문제없는 답변', 'body.content'))).resolves.toBeUndefined()
  })

  it("keeps each service's words to itself", async () => {
    const foreign = await ok(bed.call(`${bed.otherApi}/ticket/banned-words`, { body: { word: '남의 금지어' } }), 201)
    expect((await bed.call(`${words}/${foreign.id}`)).status).toBe(404)
    expect((await bed.call(`${words}/${foreign.id}`, { method: 'PATCH', body: { word: '바꿈' } })).status).toBe(404)
    expect((await bed.call(`${words}/${foreign.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await ok(bed.call(`${words}/preview`, { body: { text: '남의 금지어' } }))).matches).toEqual([])
  })

  it('lets agents read and preview, only administrators change; anonymous callers get 401', async () => {
    expect((await bed.call(words, { token: null })).status).toBe(401)
    expect((await bed.call(`${words}/preview`, { token: null, body: { text: 'x' } })).status).toBe(401)
    const agent = await bed.agentToken('agent', ['ticket'])
    expect((await bed.call(words, { token: agent })).status).toBe(200)
    expect((await bed.call(`${words}/preview`, { token: agent, body: { text: '환불 불가' } })).body.matches).toHaveLength(1)
    expect((await bed.call(words, { token: agent, body: { word: '상담원' } })).status).toBe(403)
  })

  it('records changes in the audit trail', async () => {
    const trail = await ok(bed.call(`${bed.api}/audit?targetType=ticket-banned-word&limit=100`))
    expect(trail.entries.at(-1)).toMatchObject({ action: 'ticket.banned-word.created', after: { word: '환불 불가' } })
    expect(trail.entries.map((e: { action: string }) => e.action)).toContain('ticket.banned-word.deleted')
    const updates = trail.entries.filter((e: { action: string }) => e.action === 'ticket.banned-word.updated')
    expect(updates.map((e: { before: { word: string }; after: { word: string } }) => [e.before.word, e.after.word])).toEqual([['ABC', 'abc'], ['Stupid', 'idiot']])
  })

  // The tests below run after the audit check above, which counts every change.

  it('refuses changes and previews that miss the text, mistype it or name unknown attributes', async () => {
    const word = await ok(bed.call(words, { body: { word: '수정 금지' } }), 201)
    const issue = async (path: string, method: string, body: unknown) => {
      const res = await bed.call(path, { method, body })
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(422)
      return res.body.error.issues[0]
    }
    expect(await issue(`${words}/${word.id}`, 'PATCH', {})).toMatchObject({ path: 'body.word' })
    expect(await issue(`${words}/${word.id}`, 'PATCH', { word: 42 })).toMatchObject({ path: 'body.word' })
    expect(await issue(`${words}/${word.id}`, 'PATCH', { word: '\u200B' })).toMatchObject({ path: 'body.word', code: 'empty' })
    expect(await issue(`${words}/${word.id}`, 'PATCH', { word: '바꿈', severity: 2 })).toMatchObject({ path: 'body.severity', code: 'unknown_field' })
    expect(await issue(`${words}/not-an-id`, 'PATCH', { word: '바꿈' })).toMatchObject({ path: 'path.id' })
    expect(await issue(`${words}/preview`, 'POST', {})).toMatchObject({ path: 'body.text' })
    expect(await issue(`${words}/preview`, 'POST', { text: ['수정 금지'] })).toMatchObject({ path: 'body.text' })
    expect(await issue(`${words}/preview`, 'POST', { text: '수정 금지', language: 'ko' })).toMatchObject({ path: 'body.language', code: 'unknown_field' })
    expect((await ok(bed.call(`${words}/${word.id}`))).word).toBe('수정 금지')
  })

  it('refuses an agent who is not an administrator every change, while letting them read one word', async () => {
    const word = await ok(bed.call(words, { body: { word: '관리자 전용' } }), 201)
    const agent = await bed.agentToken('agent', ['ticket'])
    expect(await ok(bed.call(`${words}/${word.id}`, { token: agent }))).toMatchObject({ id: word.id, word: '관리자 전용' })
    const patched = await bed.call(`${words}/${word.id}`, { token: agent, method: 'PATCH', body: { word: '바꿈' } })
    expect(patched.status).toBe(403)
    expect(patched.body.error.message).toContain('administrators')
    expect((await bed.call(`${words}/${word.id}`, { token: agent, method: 'DELETE' })).status).toBe(403)
    expect((await ok(bed.call(`${words}/${word.id}`))).word).toBe('관리자 전용')
  })
})
