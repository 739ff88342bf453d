/**
 * What the mail tests share: a platform with the ticket plugin and a keyring (mail passwords are
 * sealed), the platform sender and the SMTP connector pointed at real SMTP servers on loopback
 * (loopback and a few example provider names allowlisted for mail hosts), a service, an agent with the ticket permission, and a
 * way to run the event dispatcher by hand.
 */
import ticket from '../mod.ts'
import { createKeyring, generateMasterKey, type FieldCrypto, type SmtpAccount } from '../../../core/mod.ts'
import { fieldCrypto } from '../../../core/crypto/tenant-crypto.ts'
import { createLogger } from '../../../core/log.ts'
import type { MailTransport } from '../../../core/mail/transport.ts'
import { smtpConnector, smtpTransport } from '../../../core/mail/smtp.ts'
import type { Driver } from '../../../test/support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../../test/support/identity.ts'
import { ok } from '../test-support.ts'

export const PLATFORM_FROM = 'OpenContact <no-reply@platform.example>'

export interface MailBed {
  t: TestPlatform
  call: Call
  api: string
  scope: { orgId: string; serviceId: string }
  /** An agent with the ticket permission (not an admin). */
  agent: { id: string; token: string }
  /** The platform's field encryption, as the plugin gets it (`ctx.crypto`). */
  crypto: FieldCrypto
  /** The master key the platform runs with (version 1), for rotation tests. */
  masterKey: string
  /** Runs every due delivery (the background dispatcher is off). */
  drain(): Promise<number>
  close(): Promise<void>
}

export async function mailBed(driver: Driver, org: string, platformSmtpPort: number): Promise<MailBed> {
  const transport = smtpTransport({ host: '127.0.0.1', port: platformSmtpPort, ignoreTLS: true, pool: false })
  const connect = smtpConnector()
  const masterKey = generateMasterKey()
  const keyring = createKeyring([{ version: 1, key: masterKey }])
  const opened = new Set<MailTransport>()
  const t = await testPlatform({
    driver,
    plugins: [ticket],
    keyring,
    ...identityOptions(),
    // Loopback for the test SMTP servers; names standing in for real mail providers (no DNS here).
    outboundAllowlist: ['127.0.0.1', 'smtp.example.com', 'imap.example.com', 'smtp.attacker.example'],
    mail: {
      transport,
      from: PLATFORM_FROM,
      connect: (account: SmtpAccount) => {
        const made = connect(account)
        opened.add(made)
        return made
      },
    },
    ...(process.env.TICKET_TEST_LOG ? { log: createLogger('error') } : {}),
  })
  const scope = await t.createService(org, 'desk', ['ticket'])
  const api = `/o/${org}/desk/api/v1`
  const member = await addMember(t, org, `mail-agent@${org}.test`)
  const agent = await ok(t.call(`${api}/agents`, { body: { email: member.email, role: 'agent', permissions: ['ticket'] } }), 201)
  const token = (await signIn(t, org, member)).accessToken
  return {
    t,
    call: t.call,
    api,
    scope,
    agent: { id: agent.id, token },
    crypto: fieldCrypto(keyring),
    masterKey,
    drain: () => t.platform.drainEvents(),
    async close() {
      await t.close()
      await transport.close?.()
      for (const made of opened) await made.close?.()
    },
  }
}
