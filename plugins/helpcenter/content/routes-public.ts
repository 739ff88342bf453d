/**
 * What visitors of the help center may do to its content without signing in: vote on a FAQ
 * entry ("was this helpful?"). The voter is the visitor id the page sends, else the client's
 * address (the visitor session replaces both when it exists).
 */
import { commonErrors, errors, json, jsonBody, route, type PluginApp } from '../../../core/mod.ts'
import { IdParam, VoteInput, VotesSchema } from './schemas.ts'
import { recordVote } from './votes.ts'

const vote = route({
  method: 'post',
  path: '/public/faqs/{id}/votes',
  tags: ['Help center FAQ'],
  access: 'public',
  summary: 'Vote whether a FAQ entry helped (one vote per visitor, entry and language; voting again changes it)',
  request: { params: IdParam, ...jsonBody(VoteInput) },
  responses: { 200: json(VotesSchema, 'The counts after the vote'), ...commonErrors },
})

export function registerContentPublicRoutes(app: PluginApp): void {
  app.openapi(vote, async (c) => {
    const { id } = c.req.valid('param')
    const { language, helpful, visitorId } = c.req.valid('json')
    const voterKey = visitorId ? `visitor:${visitorId}` : c.var.clientAddress && `address:${c.var.clientAddress}`
    if (!voterKey) throw errors.invalid([{ path: 'body.visitorId', message: "the client's address is unknown here; send the visitor's id", code: 'required' }])
    const votes = await c.var.db.tx((tx) => recordVote(tx, c.var.tenant.service, { entryId: id, language, helpful, voterKey }))
    return c.json({ votes }, 200)
  })
}
