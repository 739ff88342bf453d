import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pluginMail } from './plugin-mail.ts'
import { smtpConnector, smtpTransport } from './smtp.ts'
import { startSmtpServer, type TestSmtpServer } from '../../test/support/smtp.ts'

describe('plugin mail (ctx.mail)', () => {
  let platformServer: TestSmtpServer
  let tenantServer: TestSmtpServer
  beforeAll(async () => {
    platformServer = await startSmtpServer()
    tenantServer = await startSmtpServer()
  })
  afterAll(async () => {
    await platformServer.close()
    await tenantServer.close()
  })

  it('sends through the platform sender with threading headers, attachments and the default from', async () => {
    const transport = smtpTransport({ host: '127.0.0.1', port: platformServer.port, ignoreTLS: true, pool: false })
    const mail = pluginMail({ transport, from: 'Desk <desk@example.test>' })
    await mail.send({
      to: 'customer@example.test',
      subject: 'Re: [#42] Broken parcel',
      text: 'We are on it.',
      messageId: '<reply-1@desk.example.test>',
      inReplyTo: '<question@customer.example.test>',
      references: ['<question@customer.example.test>'],
      headers: { 'Auto-Submitted': 'auto-replied' },
      attachments: [{ filename: 'label.txt', contentType: 'text/plain', content: new TextEncoder().encode('parcel label') }],
    })
    const { parsed, envelopeTo } = await platformServer.waitFor(1)
    expect(envelopeTo).toEqual(['customer@example.test'])
    expect(parsed.from?.address).toBe('desk@example.test')
    expect(parsed.messageId).toBe('<reply-1@desk.example.test>')
    expect(parsed.inReplyTo).toBe('<question@customer.example.test>')
    expect(parsed.references).toBe('<question@customer.example.test>')
    expect(parsed.headers.find((h) => h.key === 'auto-submitted')?.value).toBe('auto-replied')
    expect(parsed.attachments.map((a) => [a.filename, new TextDecoder().decode(a.content as ArrayBuffer)])).toEqual([['label.txt', 'parcel label']])
    await transport.close?.()
  })

  it("sends through a tenant's own SMTP account and reuses its connection pool", async () => {
    const connect = smtpConnector()
    const mail = pluginMail({ from: 'Platform <no-reply@example.test>', connect })
    const account = { host: '127.0.0.1', port: tenantServer.port, secure: false, ignoreTLS: true }
    expect(connect(account)).toBe(connect({ ...account }))
    await mail.sendVia(account, { to: 'a@example.test', subject: 'hello', text: 'body', from: 'Shop <help@shop.example.test>' })
    const { parsed } = await tenantServer.waitFor(1)
    expect(parsed.from?.address).toBe('help@shop.example.test')
    expect(platformServer.received).toHaveLength(1)
    await connect(account).close?.()
  })

  it('refuses with OC_MAIL_NOT_CONFIGURED when there is no sender or no connector', async () => {
    const none = pluginMail(undefined)
    expect(none.from).toBeUndefined()
    expect(none.canConnect).toBe(false)
    await expect(none.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'OC_MAIL_NOT_CONFIGURED' })
    await expect(none.sendVia({ host: 'x', port: 25, secure: false }, { to: 'a@example.test', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'OC_MAIL_NOT_CONFIGURED' })
  })
})
