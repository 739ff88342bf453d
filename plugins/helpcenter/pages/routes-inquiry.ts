/**
 * The inquiry pages on the `/hc` mount: the form (GET, with the intake category picked by
 * `?category=`), its post (multipart, CSRF-checked: a ticket through the ticket plugin's tickets
 * service, channel `web`, the visitor as requester, so triggers run on it), the confirmation
 * page, and the signed-in member's history, one inquiry and their reply to it. A sent form that
 * is refused comes back as the form with each message beside its input (422).
 */
import { commonErrors, isUuid, OcError, route, z, type FieldIssue, type PlatformContext, type PluginApp } from '../../../core/mod.ts'
import { ticketsRef } from '../../ticket/api.ts'
import type { HelpCenterContext } from '../context.ts'
import { requireCsrf } from '../visitors/csrf.ts'
import { addMemberReply, inquiryRefusal } from '../visitors/inquiries.ts'
import { currentVisitor } from '../visitors/visitor.ts'
import { inquiryFormOf, inquiryTicket, MAX_ATTACHMENTS, presentInquiryForm, sentValues, visitorCaller, type Submitted } from './inquiry.ts'
import { presentHistory, presentInquiryDetail, presentSignInRequired } from './history.ts'
import { servePage } from './respond.ts'
import { pageRequest } from './request.ts'

const tags = ['Help center pages']
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } })
const pageResponses = { ...commonErrors, 200: html('The page'), 304: { description: 'Unchanged since the ETag the browser sent' }, 404: html('No such page, or its menu is switched off') }
const Shown = z.object({ lang: z.string().max(20).optional(), device: z.enum(['pc', 'mobile']).optional() })
const TicketParam = z.object({ id: z.string().max(100).openapi({ param: { name: 'id', in: 'path' } }) })
const multipart = (schema: z.ZodType) => ({ body: { required: true, content: { 'multipart/form-data': { schema } } } })

const routes = {
  form: route({ method: 'get', path: '/inquiry', tags, access: 'public', summary: 'The inquiry form (pick the type with ?category=)', request: { query: Shown.extend({ category: z.string().max(100).optional() }) }, responses: pageResponses }),
  send: route({
    method: 'post',
    path: '/inquiry',
    tags,
    access: 'public',
    bodyLimit: 'upload',
    summary: 'Send the inquiry form: files a ticket (channel web)',
    middleware: [requireCsrf()] as const,
    request: { query: Shown, ...multipart(z.looseObject({ csrf: z.string().optional(), category: z.string().optional(), consent: z.string().optional() }).openapi({ description: "The form's inputs: category, f_<field code> for each field, name, consent, attachments (files)" })) },
    responses: { ...pageResponses, 303: { description: 'Filed: on to the confirmation page' }, 422: html('The form again, with what to fix beside each input') },
  }),
  done: route({ method: 'get', path: '/inquiry/done', tags, access: 'public', summary: 'The confirmation page', request: { query: Shown.extend({ number: z.string().max(40).optional() }) }, responses: pageResponses }),
  history: route({ method: 'get', path: '/inquiries', tags, access: 'public', summary: "The signed-in member's inquiries", request: { query: Shown }, responses: pageResponses }),
  detail: route({ method: 'get', path: '/inquiries/{id}', tags, access: 'public', summary: 'One of the member\'s inquiries, with its answers', request: { params: TicketParam, query: Shown }, responses: pageResponses }),
  reply: route({
    method: 'post',
    path: '/inquiries/{id}/replies',
    tags,
    access: 'public',
    summary: "The member's reply to one of their inquiries",
    middleware: [requireCsrf()] as const,
    request: { params: TicketParam, query: Shown, body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: z.object({ csrf: z.string().optional(), content: z.string().max(20000) }) } } } },
    responses: { ...pageResponses, 303: { description: 'Added; back to the inquiry' } },
  }),
}

/** Files put into the blob store with the tickets' attachment policy, or the issues that refused them. */
async function storedFiles(c: PlatformContext, ctx: HelpCenterContext, files: File[]) {
  const issues: FieldIssue[] = []
  if (files.length > MAX_ATTACHMENTS) return { files: [], issues: [{ path: 'body.attachments', message: `attach at most ${MAX_ATTACHMENTS} files; this form had ${files.length}`, code: 'too_big' }] }
  const stored = []
  for (const file of files) {
    try {
      const blob = await c.var.blobs.put(new Uint8Array(await file.arrayBuffer()), file.type || undefined, ctx.use(ticketsRef).attachmentPolicy, 'body.attachments')
      stored.push({ blobKey: blob.key, fileName: file.name.slice(0, 100) || 'file', contentType: blob.contentType, size: blob.size })
    } catch (error) {
      if (!(error instanceof OcError)) throw error
      issues.push({ path: 'body.attachments', message: `${file.name}: ${error.message}`, code: error.code })
    }
  }
  return { files: stored, issues }
}

export function registerInquiryRoutes(app: PluginApp, ctx: HelpCenterContext): void {
  /** The form, or the sign-in page when this visitor may not send one. */
  const formPage = async (c: PlatformContext, categoryId: string | null, submitted?: Submitted) => {
    const refused = await c.var.db.tx(async (tx) => inquiryRefusal(currentVisitor(c), await ctx.settings(tx)))
    if (refused) return servePage(c, ctx, { type: 'signin_required', path: '/inquiry', menu: 'inquiry', present: presentSignInRequired })
    return servePage(c, ctx, { type: 'inquiry_form', path: '/inquiry', query: { category: categoryId }, menu: 'inquiry', present: presentInquiryForm(categoryId, submitted), ...(submitted ? { status: 422 as const, cacheable: false } : {}) })
  }

  app.openapi(routes.form, (c) => {
    const category = c.req.valid('query').category
    return formPage(c, category && isUuid(category) ? category : null) as never
  })

  app.openapi(routes.send, async (c) => {
    const sent = await c.req.formData()
    const values = sentValues(sent)
    const category = values.category?.[0]
    const categoryId = category && isUuid(category) ? category : null
    const uploads = sent.getAll('attachments').filter((f): f is File => f instanceof File && f.size > 0)
    const refuse = (issues: readonly FieldIssue[]) => formPage(c, categoryId, { values, issues }) as never
    const stored = await storedFiles(c, ctx, uploads)
    if (stored.issues.length) return refuse(stored.issues)
    let done: string | null
    try {
      done = await c.var.db.tx(async (tx) => {
        const req = await pageRequest(c, ctx, tx, '/inquiry')
        if (!req.settings.inquiry || inquiryRefusal(req.visitor, req.settings)) return null
        const form = await inquiryFormOf(req, tx, categoryId)
        if (!form.intakeCategoryId) throw new OcError('OC_VALIDATION', 'category: choose the type of your inquiry', { status: 422, issues: [{ path: 'body.intakeCategoryId', message: 'choose the type of your inquiry first', code: 'required' }] })
        const tickets = req.ctx.use(ticketsRef)
        const attachmentIds = []
        for (const file of stored.files) attachmentIds.push((await tickets.addAttachment(tx, visitorCaller(req), file)).id)
        const ticket = await tickets.create(tx, visitorCaller(req), inquiryTicket(req, form, values, attachmentIds))
        return req.links.to('/inquiry/done', { number: ticket.ticketId })
      })
    } catch (error) {
      if (error instanceof OcError && error.status === 422) return refuse(error.issues?.length ? error.issues : [{ path: 'body', message: error.message, code: error.code }])
      throw error
    }
    // Switched off or not taken from this visitor: the form route says which (404 or the sign-in page).
    if (!done) return formPage(c, categoryId) as never
    return c.redirect(done, 303) as never
  })

  app.openapi(routes.done, (c) => {
    const number = c.req.valid('query').number ?? null
    return servePage(c, ctx, {
      type: 'inquiry_done',
      path: '/inquiry/done',
      query: { number },
      menu: 'inquiry',
      present: async (req) => ({ ticketNumber: number, historyUrl: req.visitor.kind === 'member' && req.settings.inquiryHistory ? req.links.to('/inquiries') : null }),
    }) as never
  })

  const memberPage = (c: PlatformContext, page: Parameters<typeof servePage>[2]) =>
    currentVisitor(c).kind === 'member' ? servePage(c, ctx, page) : servePage(c, ctx, { type: 'signin_required', path: page.path, menu: 'history', present: presentSignInRequired })

  app.openapi(routes.history, (c) => memberPage(c, { type: 'inquiry_history', path: '/inquiries', menu: 'history', present: presentHistory }) as never)

  app.openapi(routes.detail, (c) => {
    const id = c.req.valid('param').id
    return memberPage(c, { type: 'inquiry_detail', path: `/inquiries/${id}`, menu: 'history', present: presentInquiryDetail(id) }) as never
  })

  app.openapi(routes.reply, async (c) => {
    const id = c.req.valid('param').id
    const { content } = c.req.valid('form')
    const visitor = currentVisitor(c)
    if (visitor.kind !== 'member') return memberPage(c, { type: 'inquiry_detail', path: `/inquiries/${id}`, menu: 'history', present: presentInquiryDetail(id) }) as never
    const back = await c.var.db.tx(async (tx) => {
      const req = await pageRequest(c, ctx, tx, `/inquiries/${id}`)
      if (!req.settings.inquiryHistory) return null
      if (content.trim()) await addMemberReply(ctx, tx, req.service, visitor.member, id, content)
      return req.links.to(`/inquiries/${id}`)
    })
    if (!back) return servePage(c, ctx, { type: 'inquiry_detail', path: `/inquiries/${id}`, menu: 'history', present: presentInquiryDetail(id) }) as never
    return c.redirect(back, 303) as never
  })
}
