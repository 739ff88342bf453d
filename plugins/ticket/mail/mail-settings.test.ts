/**
 * E-mail settings over the API on both drivers: the sending identity, external accounts with
 * write-only passwords sealed at rest (raw rows read to prove it) and re-sealed by key rotation,
 * the poller's view of IMAP accounts, mail hosts under the outgoing-connection rules, the
 * layout (MJML compiled on save, refused without #{content} or when broken) and its preview,
 * and admin-only access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyring, generateMasterKey, isEncryptedValue, keyVersionOf } from '../../../core/mod.ts'
import { fieldCrypto } from '../../../core/crypto/tenant-crypto.ts'
import { DRIVERS } from '../../../test/support/databases.ts'
import { ok } from '../test-support.ts'
import { listImapAccounts, readImapAccount, saveImapPollState } from './accounts.ts'
import { rotateMailAccountKeys } from './rotate-keys.ts'
import { mailBed, type MailBed } from './test-bed.ts'

const MJML = `<mjml>
  <mj-body background-color="#eeeeee">
    <mj-section>
      <mj-column>
        <mj-text font-size="20px">SHOP BRAND</mj-text>
        <mj-text>#{content}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`

describe.each(DRIVERS)('mail settings on %s', (driver) => {
  let bed: MailBed
  let mail: string
  beforeAll(async () => {
    // No mail is sent here; the platform sender points at a closed port.
    bed = await mailBed(driver, 'ms-org', 9)
    mail = `${bed.api}/ticket/mail`
  }, 60_000)
  afterAll(() => bed.close())

  const refused = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const res = await answer
    expect(res.status, JSON.stringify(res.body)).toBe(status)
    return res.body.error
  }
  const smtp = (extra: Record<string, unknown> = {}) => ({ host: 'smtp.example.com', port: 587, secure: false, user: 'support@shop.example', password: 'smtp-secret-pw', ...extra })
  const imap = (extra: Record<string, unknown> = {}) => ({ host: 'imap.example.com', port: 993, secure: true, user: 'support@shop.example', password: 'imap-secret-pw', ...extra })
  const rawAccount = async (id: string) => (await bed.t.db.query<Record<string, unknown>>('SELECT * FROM ticket_mail_accounts WHERE id = $1', [id]))[0]!

  it('starts unconfigured, refuses bad settings naming the field, and saves the sending identity', async () => {
    expect(await ok(bed.call(`${mail}/settings`))).toMatchObject({ configured: false, representativeAddress: null, sendingVia: 'platform', platformAddress: 'no-reply@platform.example' })
    const bad = await refused(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'Support <support@shop.example>', replyTo: 'not-an-address' } }), 422)
    expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.replyTo', 'body.representativeAddress'])
    const unknown = await refused(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', sendingAccountId: crypto.randomUUID() } }), 422)
    expect(unknown.issues[0].path).toBe('body.sendingAccountId')
    const saved = await ok(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', senderName: '쇼핑몰 "고객센터"' } }))
    expect(saved).toMatchObject({ configured: true, representativeAddress: 'support@shop.example', senderName: '쇼핑몰 "고객센터"', replyTo: null, sendingAccountId: null, sendingVia: 'platform' })
  })

  it('keeps passwords sealed at rest and write-only over the API', async () => {
    const created = await ok(bed.call(`${mail}/accounts`, { body: { address: 'support@shop.example', displayName: '고객센터', smtp: smtp(), imap: imap() } }), 201)
    expect(created.smtp).toEqual({ host: 'smtp.example.com', port: 587, secure: false, user: 'support@shop.example', passwordSet: true })
    expect(created.imap).toMatchObject({ mailbox: 'INBOX', enabled: true, passwordSet: true, state: { uidValidity: null, lastUid: null } })
    const listed = await ok(bed.call(`${mail}/accounts`))
    for (const body of [created, listed, await ok(bed.call(`${mail}/accounts/${created.id}`))]) {
      expect(JSON.stringify(body)).not.toMatch(/secret-pw|"password"/)
    }
    const raw = await rawAccount(created.id)
    expect(JSON.stringify(raw)).not.toContain('secret-pw')
    expect(isEncryptedValue(raw.smtp_password as string)).toBe(true)
    expect(isEncryptedValue(raw.imap_password as string)).toBe(true)
    // The poller's view: every tenant's enabled accounts as the platform, passwords opened.
    const [polled] = (await bed.t.db.transaction((tx) => listImapAccounts(tx, bed.crypto))).filter((a) => a.accountId === created.id)
    expect(polled).toMatchObject({ orgId: bed.scope.orgId, serviceId: bed.scope.serviceId, address: 'support@shop.example', host: 'imap.example.com', port: 993, secure: true, user: 'support@shop.example', password: 'imap-secret-pw', mailbox: 'INBOX' })
  })

  it('keeps a stored password only for the server it was saved for, and clears it on null', async () => {
    const created = await ok(bed.call(`${mail}/accounts`, { body: { address: 'sales@shop.example', smtp: smtp() } }), 201)
    const sealed = (await rawAccount(created.id)).smtp_password
    const kept = await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'sales@shop.example', displayName: '영업', smtp: smtp({ password: undefined, port: 465, secure: true }) } }))
    expect(kept.smtp).toMatchObject({ port: 465, passwordSet: true })
    expect((await rawAccount(created.id)).smtp_password).toBe(sealed)
    const moved = await refused(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'sales@shop.example', smtp: smtp({ password: undefined, host: 'smtp.attacker.example' }) } }), 422)
    expect(moved.issues).toEqual([expect.objectContaining({ path: 'body.smtp.password', code: 'required' })])
    const cleared = await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'sales@shop.example', smtp: smtp({ password: null }) } }))
    expect(cleared.smtp.passwordSet).toBe(false)
    expect((await rawAccount(created.id)).smtp_password).toBeNull()
  })

  it('re-seals passwords under a new master key, each still bound to its account', async () => {
    const created = await ok(bed.call(`${mail}/accounts`, { body: { address: 'rotate@shop.example', smtp: smtp(), imap: imap({ enabled: false }) } }), 201)
    const rotatedCrypto = fieldCrypto(createKeyring([{ version: 1, key: bed.masterKey }, { version: 2, key: generateMasterKey() }], { current: 2 }))
    const result = await rotateMailAccountKeys(bed.t.db, rotatedCrypto)
    expect(result.failed).toBe(0)
    expect(result.rotated).toBeGreaterThanOrEqual(2)
    const raw = await rawAccount(created.id)
    expect([keyVersionOf(raw.smtp_password as string), keyVersionOf(raw.imap_password as string)]).toEqual([2, 2])
    expect(await bed.t.db.tenantTransaction(bed.scope, (tx) => readImapAccount(tx, rotatedCrypto, created.id))).toMatchObject({ password: 'imap-secret-pw' })
    await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'DELETE' }), 204)
  })

  it('refuses bad ports, addresses, hosts and duplicates naming the field', async () => {
    const port = await refused(bed.call(`${mail}/accounts`, { body: { address: 'x@shop.example', smtp: smtp({ port: 70000 }) } }), 422)
    expect(port.issues[0].path).toBe('body.smtp.port')
    const address = await refused(bed.call(`${mail}/accounts`, { body: { address: 'x@@shop', imap: imap() } }), 422)
    expect(address.issues[0].path).toBe('body.address')
    const host = await refused(bed.call(`${mail}/accounts`, { body: { address: 'x@shop.example', smtp: smtp({ host: 'smtp://mail.example.com' }) } }), 422)
    expect(host.issues[0].path).toBe('body.smtp.host')
    const internal = await refused(bed.call(`${mail}/accounts`, { body: { address: 'x@shop.example', imap: imap({ host: '10.0.0.5' }) } }), 422)
    expect(internal.issues[0]).toMatchObject({ path: 'body.imap.host', code: 'OC_OUTBOUND_REFUSED' })
    expect(internal.issues[0].message).toContain('private (10.0.0.0/8)')
    const unknownKey = await refused(bed.call(`${mail}/accounts`, { body: { address: 'x@shop.example', smtp: smtp({ pass: 'typo' }) } }), 422)
    expect(unknownKey.issues[0].path).toBe('body.smtp.pass')
    const duplicate = await refused(bed.call(`${mail}/accounts`, { body: { address: 'SUPPORT@shop.example' } }), 409)
    expect(duplicate).toMatchObject({ code: 'TICKET_MAIL_ACCOUNT_EXISTS', issues: [{ path: 'body.address' }] })
  })

  it('records the poll state, restarts it when the mailbox changes, and forgets a deleted sending account', async () => {
    const created = await ok(bed.call(`${mail}/accounts`, { body: { address: 'help@shop.example', smtp: smtp({ user: null, password: null }), imap: imap({ mailbox: 'Support' }) } }), 201)
    await bed.t.db.tenantTransaction(bed.scope, (tx) => saveImapPollState(tx, created.id, { uidValidity: 1700000000, lastUid: 42, error: null }))
    const polled = await ok(bed.call(`${mail}/accounts/${created.id}`))
    expect(polled.imap.state).toMatchObject({ uidValidity: 1700000000, lastUid: 42, error: null })
    expect(polled.imap.state.polledAt).toBeTruthy()
    const same = await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'help@shop.example', smtp: smtp({ user: null, password: null }), imap: imap({ mailbox: 'Support', password: undefined, enabled: false }) } }))
    expect(same.imap).toMatchObject({ enabled: false, passwordSet: true, state: { lastUid: 42 } })
    const moved = await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'help@shop.example', smtp: smtp({ user: null, password: null }), imap: imap({ mailbox: 'INBOX', password: undefined }) } }))
    expect(moved.imap.state).toEqual({ uidValidity: null, lastUid: null, polledAt: null, error: null })
    const read = await bed.t.db.tenantTransaction(bed.scope, (tx) => readImapAccount(tx, bed.crypto, created.id))
    expect(read).toMatchObject({ accountId: created.id, password: 'imap-secret-pw', mailbox: 'INBOX' })

    await ok(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', sendingAccountId: created.id } }))
    const inUse = await refused(bed.call(`${mail}/accounts/${created.id}`, { method: 'PUT', body: { address: 'help@shop.example', imap: imap({ password: undefined }) } }), 422)
    expect(inUse.issues[0]).toMatchObject({ path: 'body.smtp', code: 'in_use' })
    const noSmtp = await ok(bed.call(`${mail}/accounts`, { body: { address: 'imap-only@shop.example', imap: imap() } }), 201)
    const refusedSender = await refused(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', sendingAccountId: noSmtp.id } }), 422)
    expect(refusedSender.issues[0]).toMatchObject({ path: 'body.sendingAccountId', code: 'no_smtp' })
    expect((await ok(bed.call(`${mail}/settings`))).sendingVia).toBe('account')
    await ok(bed.call(`${mail}/accounts/${created.id}`, { method: 'DELETE' }), 204)
    expect(await ok(bed.call(`${mail}/settings`))).toMatchObject({ sendingAccountId: null, sendingVia: 'platform' })
    expect((await refused(bed.call(`${mail}/accounts/${created.id}`), 404)).issues[0].path).toBe('path.id')
  })

  it('compiles an MJML layout when saved, versions it, and previews content in it', async () => {
    expect(await ok(bed.call(`${mail}/layout`))).toMatchObject({ format: 'html', version: 0, updatedAt: null })
    const saved = await ok(bed.call(`${mail}/layout`, { method: 'PUT', body: { format: 'mjml', source: MJML } }))
    expect(saved).toMatchObject({ format: 'mjml', source: MJML, version: 1 })
    expect(saved.html).toContain('#{content}')
    expect(saved.html).toContain('SHOP BRAND')
    expect(saved.html).not.toContain('<mj-')
    expect((await ok(bed.call(`${mail}/layout`, { method: 'PUT', body: { format: 'html', source: '<p>BRAND</p>#{content}' } }))).version).toBe(2)
    const preview = await ok(bed.call(`${mail}/layout/preview`, { body: { content: 'Hi <b>there</b>\nline 2' } }))
    expect(preview).toEqual({ html: '<p>BRAND</p>Hi &lt;b&gt;there&lt;/b&gt;<br>\nline 2', version: 2 })
    const draft = await ok(bed.call(`${mail}/layout/preview`, { body: { layout: { format: 'mjml', source: MJML } } }))
    expect(draft.version).toBeNull()
    expect(draft.html).toContain('Hello, here is the answer to your question.')
  })

  it('refuses a layout without #{content} and a broken MJML document, with the problems listed', async () => {
    for (const format of ['html', 'mjml']) {
      const missing = await refused(bed.call(`${mail}/layout`, { method: 'PUT', body: { format, source: '<mjml><mj-body><mj-section><mj-column><mj-text>{content}</mj-text></mj-column></mj-section></mj-body></mjml>' } }), 422)
      expect(missing.issues).toEqual([expect.objectContaining({ path: 'body.source', code: 'content_slot_missing' })])
      expect(missing.message).toContain('#{content}')
    }
    const broken = MJML.replace('<mj-column>', '<mj-colum>').replace('</mj-column>', '</mj-colum>').replace('font-size="20px"', 'font-size="20px" sparkle="yes"')
    const error = await refused(bed.call(`${mail}/layout`, { method: 'PUT', body: { format: 'mjml', source: broken } }), 422)
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['body.source', 'body.source'])
    expect(error.issues.map((i: { message: string }) => i.message)).toEqual([expect.stringMatching(/^line 4 <mj-colum>: .*mj-colum/), expect.stringMatching(/^line 5 <mj-text>: .*sparkle/)])
    const notMjml = await refused(bed.call(`${mail}/layout`, { method: 'PUT', body: { format: 'mjml', source: '<html>#{content}</html>' } }), 422)
    expect(notMjml.issues[0]).toMatchObject({ path: 'body.source', code: 'mjml_invalid' })
    const lost = await refused(bed.call(`${mail}/layout`, { method: 'PUT', body: { format: 'mjml', source: '<mjml><mj-body><!-- #{content} --></mj-body></mjml>' } }), 422)
    expect(lost.issues[0]).toMatchObject({ path: 'body.source', code: 'content_slot_missing' })
    // Nothing refused was stored.
    expect((await ok(bed.call(`${mail}/layout`))).version).toBe(2)
  })

  it('refuses settings, account, layout and preview bodies that miss a field, mistype one or name an unknown one', async () => {
    const before = await ok(bed.call(`${mail}/settings`))
    const account = await ok(bed.call(`${mail}/accounts`, { body: { address: 'checks@shop.example', smtp: smtp() } }), 201)
    const issue = async (path: string, method: string, body: unknown) => (await refused(bed.call(path, { method, body }), 422)).issues[0]
    expect(await issue(`${mail}/settings`, 'PUT', { senderName: '고객센터' })).toMatchObject({ path: 'body.representativeAddress' })
    expect(await issue(`${mail}/settings`, 'PUT', { representativeAddress: 'support@shop.example', senderName: 5 })).toMatchObject({ path: 'body.senderName' })
    expect(await issue(`${mail}/settings`, 'PUT', { representativeAddress: 'support@shop.example', sendingAccountId: 'account-1' })).toMatchObject({ path: 'body.sendingAccountId' })
    expect(await issue(`${mail}/settings`, 'PUT', { representativeAddress: 'support@shop.example', signature: '--' })).toMatchObject({ path: 'body.signature', code: 'unknown_field' })
    expect(await issue(`${mail}/accounts`, 'POST', { smtp: smtp() })).toMatchObject({ path: 'body.address' })
    expect(await issue(`${mail}/accounts/${account.id}`, 'PUT', { smtp: smtp() })).toMatchObject({ path: 'body.address' })
    expect(await issue(`${mail}/accounts/${account.id}`, 'PUT', { address: 'checks@shop.example', smtp: smtp({ secure: 'yes' }) })).toMatchObject({ path: 'body.smtp.secure' })
    expect(await issue(`${mail}/accounts/${account.id}`, 'PUT', { address: 'checks@shop.example', pop3: {} })).toMatchObject({ path: 'body.pop3', code: 'unknown_field' })
    expect(await issue(`${mail}/accounts/not-an-id`, 'PUT', { address: 'checks@shop.example' })).toMatchObject({ path: 'path.id' })
    expect(await issue(`${mail}/layout`, 'PUT', { source: '#{content}' })).toMatchObject({ path: 'body.format' })
    expect(await issue(`${mail}/layout`, 'PUT', { format: 'markdown', source: '#{content}' })).toMatchObject({ path: 'body.format' })
    expect(await issue(`${mail}/layout`, 'PUT', { format: 'html', source: '#{content}', name: 'x' })).toMatchObject({ path: 'body.name', code: 'unknown_field' })
    expect(await issue(`${mail}/layout/preview`, 'POST', { content: 5 })).toMatchObject({ path: 'body.content' })
    expect(await issue(`${mail}/layout/preview`, 'POST', { content: 'x', theme: 'dark' })).toMatchObject({ path: 'body.theme', code: 'unknown_field' })
    // A broken draft is refused, naming where the draft carries its source.
    expect(await issue(`${mail}/layout/preview`, 'POST', { layout: { format: 'html', source: 'no slot' } })).toMatchObject({ path: 'body.layout.source', code: 'content_slot_missing' })
    expect(await issue(`${mail}/layout/preview`, 'POST', { layout: { format: 'mjml', source: '<p>not mjml #{content}</p>' } })).toMatchObject({ path: 'body.layout.source', code: 'mjml_invalid' })
    // Nothing refused was stored.
    expect(await ok(bed.call(`${mail}/settings`))).toEqual(before)
    expect(await ok(bed.call(`${mail}/accounts/${account.id}`))).toMatchObject({ address: 'checks@shop.example', smtp: { secure: false }, imap: null })
    expect((await ok(bed.call(`${mail}/layout`))).version).toBe(2)
    await ok(bed.call(`${mail}/accounts/${account.id}`, { method: 'DELETE' }), 204)
  })

  it("answers 404 for another tenant's mail accounts, as path ids and as the sending account", async () => {
    await bed.t.createService('ms-org-other', 'desk', ['ticket'])
    const otherMail = '/o/ms-org-other/desk/api/v1/ticket/mail'
    const theirs = await ok(bed.call(`${otherMail}/accounts`, { body: { address: 'theirs@other.example', smtp: smtp() } }), 201)
    const before = await ok(bed.call(`${mail}/settings`))
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { address: 'theirs@other.example', smtp: smtp() }],
      ['DELETE', undefined],
    ] as const) {
      const res = await refused(bed.call(`${mail}/accounts/${theirs.id}`, { method, body }), 404)
      expect(res.issues[0].path).toBe('path.id')
    }
    const sending = await refused(bed.call(`${mail}/settings`, { method: 'PUT', body: { representativeAddress: 'support@shop.example', sendingAccountId: theirs.id } }), 422)
    expect(sending.issues[0]).toMatchObject({ path: 'body.sendingAccountId', code: 'unknown_reference' })
    expect(await ok(bed.call(`${mail}/settings`))).toEqual(before)
    expect((await ok(bed.call(`${mail}/accounts`))).accounts.map((a: { id: string }) => a.id)).not.toContain(theirs.id)
    // The other service's account is as it was.
    expect(await ok(bed.call(`${otherMail}/accounts/${theirs.id}`))).toMatchObject({ address: 'theirs@other.example', smtp: { passwordSet: true } })
  })

  it('refuses an agent who is not an administrator on every e-mail settings route', async () => {
    const account = (await ok(bed.call(`${mail}/accounts`))).accounts[0]
    const before = { settings: await ok(bed.call(`${mail}/settings`)), account: await ok(bed.call(`${mail}/accounts/${account.id}`)), layout: await ok(bed.call(`${mail}/layout`)) }
    for (const [path, method, body] of [
      [`${mail}/settings`, 'PUT', { representativeAddress: 'agent@shop.example' }],
      [`${mail}/accounts`, 'GET', undefined],
      [`${mail}/accounts/${account.id}`, 'GET', undefined],
      [`${mail}/accounts/${account.id}`, 'PUT', { address: account.address }],
      [`${mail}/accounts/${account.id}`, 'DELETE', undefined],
      [`${mail}/layout`, 'GET', undefined],
      [`${mail}/layout/preview`, 'POST', { content: 'x' }],
    ] as const) {
      const res = await bed.call(path, { token: bed.agent.token, method, body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403)
    }
    expect({ settings: await ok(bed.call(`${mail}/settings`)), account: await ok(bed.call(`${mail}/accounts/${account.id}`)), layout: await ok(bed.call(`${mail}/layout`)) }).toEqual(before)
  })

  it('lets only admins read or change the e-mail settings', async () => {
    const asAgent = { token: bed.agent.token }
    for (const [path, options] of [
      [`${mail}/settings`, {}],
      [`${mail}/accounts`, { body: { address: 'y@shop.example' } }],
      [`${mail}/layout`, { method: 'PUT', body: { format: 'html', source: '#{content}' } }],
    ] as const) {
      expect((await bed.call(path, { ...asAgent, ...options })).status).toBe(403)
    }
  })
})

