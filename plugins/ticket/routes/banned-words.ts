/**
 * Banned words (T8): list, read, add, edit, delete, and a preview that shows where the words
 * match in a draft. The matching rule is documented in banned-words/match.ts.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError } from '../shared/errors.ts'
import { compileBannedWord, findBannedWords, highlightSegments } from '../banned-words/match.ts'
import { bannedWordByFolded, countBannedWords, deleteBannedWord, findBannedWord, insertBannedWord, listBannedWords, lockBannedWords, MAX_BANNED_WORDS, updateBannedWord } from '../banned-words/store.ts'

const tags = ['Banned words']
const admin = { role: 'admin' } as const

const BannedWordSchema = z.object({ id: z.uuid(), word: z.string(), createdAt: z.string(), updatedAt: z.string() }).openapi('TicketBannedWord')
const BannedWordInput = z
  .strictObject({
    word: z.string().trim().min(1).max(100).openapi({ description: 'Matched case- and width-insensitively; spaces inside match any spacing, including none', example: '환불 불가' }),
  })
  .openapi('TicketBannedWordInput')
const MatchSchema = z
  .object({
    word: z.string(),
    wordId: z.string().nullable(),
    offset: z.number().int().openapi({ description: 'Start in the draft, in UTF-16 code units (JavaScript string index)' }),
    length: z.number().int().openapi({ description: 'Length in UTF-16 code units' }),
    line: z.number().int().openapi({ description: '1-based line' }),
    column: z.number().int().openapi({ description: '1-based column, in characters' }),
    text: z.string().openapi({ description: 'What matched, as written in the draft' }),
  })
  .openapi('TicketBannedWordMatch')
const Preview = z
  .object({
    matches: z.array(MatchSchema),
    segments: z.array(z.object({ text: z.string(), words: z.array(z.string()).openapi({ description: 'Banned words this piece matches; empty for plain text' }) })).openapi({ description: 'The draft cut into plain and matching pieces, for highlighting' }),
  })
  .openapi('TicketBannedWordPreview')

const routes = {
  list: route({ method: 'get', path: '/banned-words', tags, access: 'authenticated', summary: 'Banned words', responses: { 200: json(z.object({ words: z.array(BannedWordSchema) }), 'Words'), ...commonErrors } }),
  get: route({ method: 'get', path: '/banned-words/{id}', tags, access: 'authenticated', summary: 'One banned word', request: { params: IdParam }, responses: { 200: json(BannedWordSchema, 'The word'), ...commonErrors } }),
  create: route({ method: 'post', path: '/banned-words', tags, access: admin, summary: 'Add a banned word', request: jsonBody(BannedWordInput), responses: { 201: json(BannedWordSchema, 'Added'), 409: json(ErrorBody, 'Already banned, or the list is full'), ...commonErrors } }),
  patch: route({ method: 'patch', path: '/banned-words/{id}', tags, access: admin, summary: 'Change a banned word', request: { params: IdParam, ...jsonBody(BannedWordInput) }, responses: { 200: json(BannedWordSchema, 'Changed'), 409: json(ErrorBody, 'Already banned'), ...commonErrors } }),
  remove: route({ method: 'delete', path: '/banned-words/{id}', tags, access: admin, summary: 'Delete a banned word', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  preview: route({
    method: 'post',
    path: '/banned-words/preview',
    tags,
    access: 'authenticated',
    summary: 'Show where banned words match in a draft',
    request: jsonBody(z.strictObject({ text: z.string().max(100_000) }).openapi('TicketBannedWordPreviewInput')),
    responses: { 200: json(Preview, 'Matches'), ...commonErrors },
  }),
}

export function registerBannedWordRoutes(app: PluginApp): void {
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `ticket.banned-word.${verb}`, target: { type: 'ticket-banned-word', id }, ...states })
  const folded = (word: string) => {
    const compiled = compileBannedWord({ word })
    if (!compiled) throw errors.invalid([{ path: 'body.word', message: 'holds only spaces or invisible characters; write a visible word', code: 'empty' }])
    return compiled.key
  }
  const duplicate = (word: string, existing: { id: string; word: string }) =>
    ticketError('TICKET_BANNED_WORD_EXISTS', `'${word}' matches the same text as the banned word '${existing.word}' (${existing.id}); it is banned already`, [{ path: 'body.word', message: `already banned as '${existing.word}'`, code: 'duplicate' }])
  const existing = async (tx: TenantTx, id: string) => {
    const word = await findBannedWord(tx, id)
    if (!word) throw notFoundAt('path.id', 'banned word', id)
    return word
  }

  app.openapi(routes.list, async (c) => c.json({ words: await c.var.db.tx((tx) => listBannedWords(tx)) }, 200))

  app.openapi(routes.get, async (c) => c.json(await c.var.db.tx((tx) => existing(tx, c.req.valid('param').id)), 200))

  app.openapi(routes.create, async (c) => {
    const { word } = c.req.valid('json')
    const key = folded(word)
    const created = await c.var.db.tx(async (tx) => {
      await lockBannedWords(tx)
      const clash = await bannedWordByFolded(tx, key, null)
      if (clash) throw duplicate(word, clash)
      if ((await countBannedWords(tx)) >= MAX_BANNED_WORDS) throw ticketError('TICKET_LIMIT_REACHED', `this service already has ${MAX_BANNED_WORDS} banned words, the most it may hold; delete unused ones first`)
      const row = await insertBannedWord(tx, word, key)
      await audit(c, tx, 'created', row.id, { after: { word } })
      return row
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const { word } = c.req.valid('json')
    const key = folded(word)
    const updated = await c.var.db.tx(async (tx) => {
      await lockBannedWords(tx)
      const before = await existing(tx, id)
      const clash = await bannedWordByFolded(tx, key, id)
      if (clash) throw duplicate(word, clash)
      const after = await updateBannedWord(tx, id, word, key)
      await audit(c, tx, 'updated', id, { before: { word: before.word }, after: { word } })
      return after
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await existing(tx, id)
      await deleteBannedWord(tx, id)
      await audit(c, tx, 'deleted', id, { before: { word: before.word } })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.preview, async (c) => {
    const { text } = c.req.valid('json')
    const words = await c.var.db.tx((tx) => listBannedWords(tx))
    const matches = findBannedWords(words, text)
    return c.json({ matches, segments: highlightSegments(text, matches) }, 200)
  })
}
