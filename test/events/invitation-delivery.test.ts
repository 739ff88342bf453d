/**
 * An organization-level event end to end: an operator invites the first owner, the event
 * dispatcher (running in the background as in `serve`) fans the event out and runs the
 * identity area's mailer, and a real SMTP server receives the invitation, after which the
 * invitee sets a password and signs in. Service-level deliveries keep flowing beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import hello from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { smtpTransport } from '../../core/mail/smtp.ts'
import type { MailTransport } from '../../core/mail/transport.ts'
import { DRIVERS } from '../support/databases.ts'
import { testPlatform, type TestPlatform } from '../support/platform.ts'
import { TEST_PASSWORD_ITERATIONS } from '../support/identity.ts'
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts'

describe.each(DRIVERS)('invitation mail through the dispatcher on %s', (driver) => {
  let t: TestPlatform
  let smtp: TestSmtpServer
  let transport: MailTransport
  beforeAll(async () => {
    smtp = await startSmtpServer()
    transport = smtpTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true, pool: false })
    t = await testPlatform({
      driver,
      plugins: [ticket, hello],
      mail: { transport, from: 'OpenContact <no-reply@opencontact.test>' },
      identity: { passwordIterations: TEST_PASSWORD_ITERATIONS },
      events: { backoffBaseMs: 50 },
    })
  })
  afterAll(async () => {
    await t.close()
    await transport.close?.()
    await smtp.close()
  })

  it('delivers the invitation, and the invitee signs in with the mailed token', async () => {
    await t.createService('invited', 'desk', ['ticket', 'hello'])
    const invited = await t.call('/operator/v1/organizations/invited/members', { body: { email: 'first.owner@invited.test', orgRole: 'owner' } })
    expect(invited.status).toBe(201)
    // A service-level event in the same moment: organization-level fan-out must not block it.
    expect((await t.call('/o/invited/desk/api/v1/hello/greetings', { body: { name: 'Ada' } })).status).toBe(201)

    const mail = await smtp.waitFor(1, 15_000)
    expect(mail.envelopeTo).toEqual(['first.owner@invited.test'])
    const token = /oci_[0-9A-Za-z]{38}/.exec(mail.parsed.text ?? '')![0]
    const accepted = await t.call('/o/invited/org/v1/invitations/accept', { body: { token, password: 'a long enough password', name: 'First Owner' }, token: null })
    expect(accepted.status).toBeLessThan(300)
    const login = await t.call('/o/invited/org/v1/auth/login', { body: { email: 'first.owner@invited.test', password: 'a long enough password' }, token: null })
    expect(login.status).toBe(200)

    const states = await t.db.query<{ subscriber: string; state: string; service_id: string | null }>('SELECT subscriber, state, service_id FROM oc_event_deliveries ORDER BY id')
    expect(states).toContainEqual({ subscriber: expect.stringMatching(/^identity:/), state: 'delivered', service_id: null })
  }, 30_000)
})
