/**
 * Incoming mail over HTTP (T9): `POST /ticket/mail/inbound` takes one raw RFC 822 message
 * (`Content-Type: message/rfc822`, the bytes as they arrived), for MTA pipes (a `.forward` or
 * alias piping into curl) and mail providers that post raw MIME. See mail/inbound/receive.ts for
 * what becomes of it.
 *
 * Access: service keys only (an integration, not a person); agents are refused with 403. The
 * route takes messages up to {@link MAIL_BODY_LIMIT} (413 above): MIME carries files as base64,
 * so a 10 MB attachment alone is about 14 MB of message.
 *
 * Answers: 201 `{ outcome: 'created' | 'threaded', ticketId, entryId }` when the mail was taken
 * in; 200 `{ outcome: 'duplicate' | 'ignored', reason }` when it was not, so that a sender
 * retrying on errors stops: nothing about the message will change the answer. A message whose
 * content storage refuses is set aside (GET /ticket/mail/set-aside lists it) and answered 422
 * `TICKET_MAIL_SET_ASIDE`, never 500: sending it again would not help.
 */
import { commonErrors, decodeIdCursor, encodeIdCursor, ErrorBody, errors, json, OcError, route, z, type PluginApp, type PluginContext } from '../../../core/mod.ts'
import { receiveMail } from '../mail/inbound/receive.ts'
import { AUTOMATIC_REASONS } from '../mail/inbound/automatic.ts'
import { dismissSetAside, listSetAside, type SetAsideRow } from '../mail/inbound/set-aside.ts'
import { notFoundAt, ticketError } from '../shared/errors.ts'

const tags = ['Incoming mail']

const Taken = z
  .object({
    outcome: z.enum(['created', 'threaded']).openapi({ description: '`created`: a new ticket (channel email); `threaded`: a customer reply on the ticket the mail answers' }),
    ticketId: z.uuid(),
    entryId: z.uuid().nullable().openapi({ description: 'The customer reply entry; null for a new ticket (the mail is its content)' }),
    messageId: z.string().openapi({ example: '<CAF=abc@mail.example>' }),
  })
  .openapi('InboundMailTaken')

const NotTaken = z
  .object({
    outcome: z.enum(['duplicate', 'ignored']),
    reason: z.enum(['message-id-known', ...AUTOMATIC_REASONS, 'own-message', 'no-sender', 'unparseable']).openapi({
      description:
        '`message-id-known`: already taken in; `own-message`: a mail this service sent; `auto-submitted`, `auto-reply`, `precedence`: automatic mail (RFC 3834 and vendor headers); `bounce`, `read-receipt`: delivery reports; `own-address`: sent from one of the service\'s own addresses; `no-sender`: no From; `unparseable`: not a mail message',
    }),
    messageId: z.string().nullable(),
  })
  .openapi('InboundMailNotTaken')

/** The largest raw message taken in: room for a few attachments at the platform's file limit. */
export const MAIL_BODY_LIMIT = 40 * 1024 * 1024

const inbound = route({
  method: 'post',
  path: '/mail/inbound',
  tags,
  access: { permission: 'ticket' },
  bodyLimit: MAIL_BODY_LIMIT,
  summary: 'Take in one raw mail message (RFC 822): a new ticket or a reply on its ticket',
  description: 'For MTA pipes and mail providers, with a service key. Duplicates (same Message-ID), auto-replies and bounces are answered 200 and create nothing.',
  request: {
    body: {
      required: true,
      description: 'The message as received: headers, blank line, body (MIME), unchanged bytes',
      content: { 'message/rfc822': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } },
    },
  },
  responses: {
    201: json(Taken, 'Taken in'),
    200: json(NotTaken, 'Not taken in (duplicate or automatic mail); do not retry'),
    413: json(ErrorBody, 'Over the platform request body limit'),
    415: json(ErrorBody, 'Not message/rfc822'),
    ...commonErrors,
    422: json(ErrorBody, '`TICKET_MAIL_SET_ASIDE`: storage refused what the message holds (it is listed under GET /ticket/mail/set-aside), or the body is empty'),
  },
})

const SetAside = z
  .object({
    id: z.string().openapi({ description: 'Its place in the list (dismiss it by this id)', example: '12' }),
    messageId: z.string().nullable(),
    from: z.string().nullable(),
    subject: z.string().nullable(),
    source: z.enum(['endpoint', 'imap']),
    accountId: z.uuid().nullable().openapi({ description: 'The external account an IMAP message came from (the mailbox flags it `$OcSetAside`)' }),
    error: z.object({ code: z.string().openapi({ description: 'The SQLSTATE storage answered', example: '54000' }), message: z.string() }),
    createdAt: z.string(),
  })
  .openapi('InboundMailSetAside')

const SetAsideQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(40).optional().openapi({ description: 'nextCursor of the previous page' }),
})
const SetAsideParam = z.object({ id: z.string().regex(/^\d{1,19}$/, 'a set-aside id as listed (digits)') })

const listSetAsideRoute = route({
  method: 'get',
  path: '/mail/set-aside',
  tags,
  access: { role: 'admin' },
  summary: 'Received mail that could not be stored, newest first',
  request: { query: SetAsideQuery },
  responses: { 200: json(z.object({ messages: z.array(SetAside), nextCursor: z.string().nullable() }), 'A page of set-aside messages'), ...commonErrors },
})

const dismissSetAsideRoute = route({
  method: 'delete',
  path: '/mail/set-aside/{id}',
  tags,
  access: { role: 'admin' },
  summary: 'Dismiss a set-aside message once looked at (the mail itself stays in the mailbox)',
  request: { params: SetAsideParam },
  responses: { 204: { description: 'Dismissed' }, ...commonErrors },
})

const setAsideView = (r: SetAsideRow) => ({
  id: r.seq,
  messageId: r.message_id,
  from: r.sender,
  subject: r.subject,
  source: r.source,
  accountId: r.account_id,
  error: { code: r.error_code, message: r.error_message },
  createdAt: new Date(r.created_at).toISOString(),
})

export function registerMailInboundRoutes(app: PluginApp, ctx: PluginContext): void {
  app.openapi(listSetAsideRoute, async (c) => {
    const query = c.req.valid('query')
    const before = decodeIdCursor(query.cursor)
    const page = await c.var.db.tx((tx) => listSetAside(tx, before, query.limit))
    return c.json({ messages: page.rows.map(setAsideView), nextCursor: page.more ? encodeIdCursor(page.rows.at(-1)!.seq) : null }, 200)
  })
  app.openapi(dismissSetAsideRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!(await c.var.db.tx((tx) => dismissSetAside(tx, id)))) throw notFoundAt('params.id', 'set-aside message', id)
    return c.body(null, 204)
  })
  app.openapi(inbound, async (c) => {
    if (c.var.principal.kind !== 'service-key') throw errors.forbidden('incoming mail is posted by integrations: call with a service key of this service (Open API keys)')
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'message/rfc822') throw new OcError('OC_UNSUPPORTED_MEDIA_TYPE', `send the raw message with Content-Type: message/rfc822 (got '${type || 'none'}')`)
    const raw = new Uint8Array(await c.req.arrayBuffer())
    if (raw.byteLength === 0) throw errors.invalid([{ path: 'body', message: 'the body is empty; send the raw mail message', code: 'required' }])
    const scope = { orgId: c.var.tenant.org.id, serviceId: c.var.tenant.service.id }
    const result = await receiveMail(ctx, scope, raw, { kind: 'endpoint' })
    switch (result.outcome) {
      case 'created':
      case 'threaded':
        return c.json({ outcome: result.outcome, ticketId: result.ticketId, entryId: result.entryId, messageId: result.messageId }, 201)
      case 'duplicate':
      case 'ignored':
        return c.json({ outcome: result.outcome, reason: result.reason, messageId: result.messageId }, 200)
      case 'set-aside':
        throw ticketError('TICKET_MAIL_SET_ASIDE', `the message ${result.messageId} cannot be stored (${result.code}: ${result.detail}); it was set aside as ${result.setAsideId} (GET /ticket/mail/set-aside); sending it again will not help`, [{ path: 'body', message: result.detail, code: result.code }])
      default: {
        const unreachable: never = result
        throw new Error(`unknown intake outcome ${JSON.stringify(unreachable)}`)
      }
    }
  })
}
