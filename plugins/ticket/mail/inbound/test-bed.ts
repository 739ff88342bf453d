/**
 * What the incoming-mail tests share: a platform with the ticket plugin and a keyring (mail
 * account passwords are sealed), loopback allowed for mail hosts, the platform's default request
 * limit (the intake route takes larger mail by its own), background delivery off (tests run jobs themselves), a
 * service with a service key and an agent, and helpers to write RFC 822 messages and post them.
 */
import ticket from '../../mod.ts'
import { createKeyring, generateMasterKey } from '../../../../core/mod.ts'
import { createLogger } from '../../../../core/log.ts'
import type { Driver } from '../../../../test/support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../../../../test/support/platform.ts'
import { addMember, identityOptions, signIn } from '../../../../test/support/identity.ts'
import { ok } from '../../test-support.ts'

export const PLATFORM_FROM = 'OpenContact <no-reply@platform.test>'

export interface MailBed {
  t: TestPlatform
  call: Call
  api: string
  scope: { orgId: string; serviceId: string }
  serviceKey: string
  agentToken: string
  /** POSTs a raw message to the intake endpoint (service key unless `token` is given). */
  postMail(raw: string | Uint8Array, options?: { token?: string; contentType?: string }): Promise<{ status: number; body: any }>
  /** Runs the scheduler's due ticks at `now` (the `poll-imap` job among them). */
  runJobs(now: Date): Promise<string[]>
}

export async function mailBed(driver: Driver, org: string): Promise<MailBed> {
  const t = await testPlatform({
    driver,
    plugins: [ticket],
    keyring: createKeyring([{ version: 1, key: generateMasterKey() }]),
    outboundAllowlist: ['127.0.0.1'],
    events: { background: false },
    mail: { from: PLATFORM_FROM },
    ...identityOptions(),
    ...(process.env.TICKET_TEST_LOG ? { log: createLogger('error') } : {}),
  })
  const scope = await t.createService(org, 'desk', ['ticket'])
  const api = `/o/${org}/desk/api/v1`
  await ok(t.call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } }))
  const serviceKey = (await ok(t.call(`${api}/open-api/keys`, { body: { name: 'mail pipe' } }), 201)).token as string
  const email = `mail-agent@${org}.test`
  const member = await addMember(t, org, email)
  await ok(t.call(`${api}/agents`, { body: { email, role: 'agent', permissions: ['ticket'] } }), 201)
  const agentToken = (await signIn(t, org, member)).accessToken
  return {
    t,
    call: t.call,
    api,
    scope,
    serviceKey,
    agentToken,
    async postMail(raw, options = {}) {
      const response = await t.platform.fetch(
        new Request(`http://opencontact.test${api}/ticket/mail/inbound`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token ?? serviceKey}`, 'content-type': options.contentType ?? 'message/rfc822' },
          body: typeof raw === 'string' ? new TextEncoder().encode(raw) : (raw as BodyInit),
        }),
      )
      const text = await response.text()
      return { status: response.status, body: text ? JSON.parse(text) : null }
    },
    runJobs: (now) => t.platform.runDueJobs(now),
  }
}

export interface MailParts {
  from?: string
  to?: string
  subject?: string
  messageId?: string | null
  inReplyTo?: string
  references?: string
  headers?: Record<string, string>
  text?: string
  attachments?: { fileName: string; contentType: string; content: Uint8Array }[]
}

/** A MIME message as a mail client writes it: CRLF lines, base64 attachments in multipart/mixed. */
export function rawMail(parts: MailParts = {}): string {
  const lines: string[] = [
    `From: ${parts.from ?? '"Kim Minsu" <kim@customer.example>'}`,
    `To: ${parts.to ?? 'support@shop.example'}`,
    `Subject: ${parts.subject ?? 'Where is my order?'}`,
    'Date: Mon, 24 Nov 2025 10:00:00 +0900',
    'MIME-Version: 1.0',
  ]
  if (parts.messageId !== null) lines.push(`Message-ID: ${parts.messageId ?? `<${crypto.randomUUID()}@customer.example>`}`)
  if (parts.inReplyTo) lines.push(`In-Reply-To: ${parts.inReplyTo}`)
  if (parts.references) lines.push(`References: ${parts.references}`)
  for (const [name, value] of Object.entries(parts.headers ?? {})) lines.push(`${name}: ${value}`)
  const text = parts.text ?? 'Hello, my order has not arrived yet.'
  if (!parts.attachments?.length) {
    lines.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', wrap(base64(new TextEncoder().encode(text))))
    return lines.join('\r\n') + '\r\n'
  }
  const boundary = `b-${crypto.randomUUID()}`
  lines.push(`Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', wrap(base64(new TextEncoder().encode(text))))
  for (const file of parts.attachments) {
    lines.push(`--${boundary}`, `Content-Type: ${file.contentType}; name="${file.fileName}"`, `Content-Disposition: attachment; filename="${file.fileName}"`, 'Content-Transfer-Encoding: base64', '', wrap(base64(file.content)))
  }
  lines.push(`--${boundary}--`, '')
  return lines.join('\r\n')
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const wrap = (text: string) => text.replace(/.{1,76}/g, '$&\r\n').trimEnd()

/**
 * A sender address storage refuses even after cleaning: random, so compression cannot bring the
 * requester-address index entry under PostgreSQL's btree row limit (SQLSTATE 54000).
 */
export function poisonedSender(): string {
  return `${Array.from({ length: 200 }, () => crypto.randomUUID().replaceAll('-', '')).join('')}@customer.example`
}
