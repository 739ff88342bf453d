/**
 * E-mail settings (T7), for service admins: the sending identity (representative address,
 * sender name, Reply-To, sending account), the external accounts with their SMTP and IMAP
 * servers, and the mail layout with a preview. Passwords are write-only (answers say
 * `passwordSet`); mail server hosts follow the platform's outgoing-connection rules; a layout is
 * compiled when saved, and a broken one is refused with its problems listed.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type PlatformContext, type PluginApp, type PluginContext, type TenantTx } from '../../../core/mod.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError, unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { accountByAddress, accountView, countMailAccounts, deleteMailAccount, findMailAccountRow, listMailAccountRows, MAX_MAIL_ACCOUNTS, saveMailAccount } from '../mail/accounts.ts'
import { addressOf } from '../mail/addresses.ts'
import { checkMailHost } from '../mail/hosts.ts'
import { compileLayout } from '../mail/layout/compile.ts'
import { DEFAULT_LAYOUT_HTML, prepareLayout, renderInLayout, textToHtml } from '../mail/layout/render.ts'
import { readLayout, rememberLayout, saveLayout } from '../mail/layout/store.ts'
import { LayoutInput, LayoutPreviewInput, LayoutPreviewSchema, LayoutSchema, MailAccountInput, MailAccountSchema, MailSettingsInput, MailSettingsSchema } from '../mail/schemas.ts'
import { forgetSendingAccount, readMailSettings, saveMailSettings, type MailSettings } from '../mail/settings-store.ts'
import { lockServiceResource } from '../shared/locks.ts'

const tags = ['E-mail settings']
const admin = { role: 'admin' } as const

const routes = {
  getSettings: route({ method: 'get', path: '/mail/settings', tags, access: admin, summary: 'Sending identity', responses: { 200: json(MailSettingsSchema, 'Settings'), ...commonErrors } }),
  putSettings: route({ method: 'put', path: '/mail/settings', tags, access: admin, summary: 'Save the sending identity', request: jsonBody(MailSettingsInput), responses: { 200: json(MailSettingsSchema, 'Saved'), ...commonErrors } }),
  listAccounts: route({ method: 'get', path: '/mail/accounts', tags, access: admin, summary: 'External mail accounts', responses: { 200: json(z.object({ accounts: z.array(MailAccountSchema) }), 'Accounts'), ...commonErrors } }),
  getAccount: route({ method: 'get', path: '/mail/accounts/{id}', tags, access: admin, summary: 'One external account', request: { params: IdParam }, responses: { 200: json(MailAccountSchema, 'The account'), ...commonErrors } }),
  createAccount: route({ method: 'post', path: '/mail/accounts', tags, access: admin, summary: 'Add an external account', request: jsonBody(MailAccountInput), responses: { 201: json(MailAccountSchema, 'Added'), 409: json(ErrorBody, 'Address taken, or the list is full'), ...commonErrors } }),
  putAccount: route({ method: 'put', path: '/mail/accounts/{id}', tags, access: admin, summary: 'Replace an external account (passwords kept when omitted)', request: { params: IdParam, ...jsonBody(MailAccountInput) }, responses: { 200: json(MailAccountSchema, 'Saved'), 409: json(ErrorBody, 'Address taken'), ...commonErrors } }),
  deleteAccount: route({ method: 'delete', path: '/mail/accounts/{id}', tags, access: admin, summary: 'Delete an external account (the service then sends through the platform sender)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  getLayout: route({ method: 'get', path: '/mail/layout', tags, access: admin, summary: 'The mail layout (agent replies)', responses: { 200: json(LayoutSchema, 'Layout'), ...commonErrors } }),
  putLayout: route({ method: 'put', path: '/mail/layout', tags, access: admin, summary: 'Save the mail layout (MJML compiled now)', request: jsonBody(LayoutInput), responses: { 200: json(LayoutSchema, 'Saved'), ...commonErrors } }),
  previewLayout: route({ method: 'post', path: '/mail/layout/preview', tags, access: admin, summary: 'Render sample content in the saved layout or a draft', request: jsonBody(LayoutPreviewInput), responses: { 200: json(LayoutPreviewSchema, 'The mail HTML'), ...commonErrors } }),
}

export function registerMailSettingsRoutes(app: PluginApp, ctx: PluginContext): void {
  const audit = (c: PlatformContext, tx: TenantTx, action: string, target: { type: string; id: string }, states: { before?: unknown; after?: unknown }) => recordAudit(tx, requestActor(c), { action: `ticket.${action}`, target, ...states })
  const sealer = (c: PlatformContext) => () => ctx.crypto.forTenant(c.var.db.scope)

  const settingsView = (settings: MailSettings | null, sendingHasSmtp: boolean) => ({
    configured: settings !== null,
    representativeAddress: settings?.representativeAddress ?? null,
    senderName: settings?.senderName ?? null,
    replyTo: settings?.replyTo ?? null,
    sendingAccountId: settings?.sendingAccountId ?? null,
    sendingVia: settings?.sendingAccountId && sendingHasSmtp && ctx.mail.canConnect ? ('account' as const) : ('platform' as const),
    platformAddress: addressOf(ctx.mail.from),
    updatedAt: settings?.updatedAt ?? null,
  })
  const readSettingsView = async (tx: TenantTx) => {
    const settings = await readMailSettings(tx)
    const sending = settings?.sendingAccountId ? await findMailAccountRow(tx, settings.sendingAccountId) : null
    return settingsView(settings, sending?.smtp_host != null)
  }

  app.openapi(routes.getSettings, async (c) => c.json(await c.var.db.tx(readSettingsView), 200))

  app.openapi(routes.putSettings, async (c) => {
    const input = c.req.valid('json')
    const view = await c.var.db.tx(async (tx) => {
      await lockServiceResource(tx, 'mail-settings')
      const sendingAccountId = input.sendingAccountId ?? null
      if (sendingAccountId) {
        const account = await findMailAccountRow(tx, sendingAccountId)
        if (!account) throw unknownAt('body.sendingAccountId', ticketReferences.mailAccount, sendingAccountId)
        if (account.smtp_host === null) throw errors.invalid([{ path: 'body.sendingAccountId', message: `account ${account.address} has no SMTP server; give it one first, or send through the platform (null)`, code: 'no_smtp' }])
      }
      const before = await readMailSettings(tx)
      const saved = await saveMailSettings(tx, { representativeAddress: input.representativeAddress, senderName: input.senderName ?? null, replyTo: input.replyTo ?? null, sendingAccountId })
      const { updatedAt: _before, ...beforeState } = before ?? { updatedAt: null }
      const { updatedAt: _after, ...afterState } = saved
      await audit(c, tx, 'mail-settings.updated', { type: 'ticket-mail-settings', id: c.var.db.scope.serviceId }, { before: before ? beforeState : null, after: afterState })
      return readSettingsView(tx)
    })
    return c.json(view, 200)
  })

  const existingAccount = async (tx: TenantTx, id: string) => {
    const row = await findMailAccountRow(tx, id)
    if (!row) throw notFoundAt('path.id', 'mail account', id)
    return row
  }
  /** What the audit trail keeps of an account: everything but passwords and poll state. */
  const auditState = (view: ReturnType<typeof accountView>) => ({
    address: view.address,
    displayName: view.displayName,
    smtp: view.smtp,
    imap: view.imap && { host: view.imap.host, port: view.imap.port, secure: view.imap.secure, user: view.imap.user, passwordSet: view.imap.passwordSet, mailbox: view.imap.mailbox, enabled: view.imap.enabled },
  })
  const checkHosts = async (input: z.infer<typeof MailAccountInput>) => {
    if (input.smtp) await checkMailHost(ctx.outbound, input.smtp.host, input.smtp.port, 'body.smtp.host')
    if (input.imap) await checkMailHost(ctx.outbound, input.imap.host, input.imap.port, 'body.imap.host')
  }
  const addressTaken = (address: string, other: string) =>
    ticketError('TICKET_MAIL_ACCOUNT_EXISTS', `the service already has an account for ${address} (${other})`, [{ path: 'body.address', message: 'already an account of this service', code: 'duplicate' }])

  app.openapi(routes.listAccounts, async (c) => c.json({ accounts: (await c.var.db.tx((tx) => listMailAccountRows(tx))).map(accountView) }, 200))

  app.openapi(routes.getAccount, async (c) => c.json(accountView(await c.var.db.tx((tx) => existingAccount(tx, c.req.valid('param').id))), 200))

  app.openapi(routes.createAccount, async (c) => {
    const input = c.req.valid('json')
    await checkHosts(input)
    const created = await c.var.db.tx(async (tx) => {
      await lockServiceResource(tx, 'mail-accounts')
      const clash = await accountByAddress(tx, input.address, null)
      if (clash) throw addressTaken(input.address, clash.id)
      if ((await countMailAccounts(tx)) >= MAX_MAIL_ACCOUNTS) throw ticketError('TICKET_LIMIT_REACHED', `this service already has ${MAX_MAIL_ACCOUNTS} mail accounts, the most it may hold; delete unused ones first`)
      const view = accountView(await saveMailAccount(tx, sealer(c), crypto.randomUUID(), input, null))
      await audit(c, tx, 'mail-account.created', { type: 'ticket-mail-account', id: view.id }, { after: auditState(view) })
      return view
    })
    return c.json(created, 201)
  })

  app.openapi(routes.putAccount, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    await checkHosts(input)
    const saved = await c.var.db.tx(async (tx) => {
      await lockServiceResource(tx, 'mail-accounts')
      const before = await existingAccount(tx, id)
      const clash = await accountByAddress(tx, input.address, id)
      if (clash) throw addressTaken(input.address, clash.id)
      if (!input.smtp && before.smtp_host !== null && (await readMailSettings(tx))?.sendingAccountId === id) {
        throw errors.invalid([{ path: 'body.smtp', message: 'this account sends the service\'s mail; choose another sending account (PUT /ticket/mail/settings) before removing its SMTP server', code: 'in_use' }])
      }
      const view = accountView(await saveMailAccount(tx, sealer(c), id, input, before))
      await audit(c, tx, 'mail-account.updated', { type: 'ticket-mail-account', id }, { before: auditState(accountView(before)), after: auditState(view) })
      return view
    })
    return c.json(saved, 200)
  })

  app.openapi(routes.deleteAccount, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      await lockServiceResource(tx, 'mail-accounts')
      const before = await existingAccount(tx, id)
      await forgetSendingAccount(tx, id)
      await deleteMailAccount(tx, id)
      await audit(c, tx, 'mail-account.deleted', { type: 'ticket-mail-account', id }, { before: auditState(accountView(before)) })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.getLayout, async (c) => {
    const layout = await c.var.db.tx((tx) => readLayout(tx))
    return c.json(layout ?? { format: 'html' as const, source: DEFAULT_LAYOUT_HTML, html: DEFAULT_LAYOUT_HTML, version: 0, updatedAt: null }, 200)
  })

  app.openapi(routes.putLayout, async (c) => {
    const input = c.req.valid('json')
    // Compiled before the transaction: MJML takes milliseconds that no lock should be held for.
    const html = await compileLayout(input.format, input.source)
    const saved = await c.var.db.tx(async (tx) => {
      const before = await readLayout(tx)
      const layout = await saveLayout(tx, { format: input.format, source: input.source, html })
      await audit(c, tx, 'mail-layout.updated', { type: 'ticket-mail-layout', id: c.var.db.scope.serviceId }, { before: before && { format: before.format, version: before.version }, after: { format: layout.format, version: layout.version } })
      return layout
    })
    rememberLayout(c.var.db.scope.serviceId, saved)
    return c.json(saved, 200)
  })

  app.openapi(routes.previewLayout, async (c) => {
    const input = c.req.valid('json')
    const content = textToHtml(input.content)
    if (input.layout) {
      const html = await compileLayout(input.layout.format, input.layout.source, 'body.layout.source')
      return c.json({ html: renderInLayout(prepareLayout(0, html), content), version: null }, 200)
    }
    const saved = await c.var.db.tx((tx) => readLayout(tx))
    return c.json({ html: renderInLayout(prepareLayout(saved?.version ?? 0, saved?.html ?? DEFAULT_LAYOUT_HTML), content), version: saved?.version ?? 0 }, 200)
  })
}
