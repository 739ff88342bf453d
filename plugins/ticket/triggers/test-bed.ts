/**
 * What the trigger tests share: a platform with the ticket plugin and a tiny third-party plugin
 * that adds a trigger result type (`probe.record`), a keyring (personal-info fields), the
 * platform sender pointed at a real SMTP server on loopback, loopback allowed for outgoing calls
 * (the callback and Dooray! receivers), event delivery run by hand with near-zero back-off, and a
 * service in Korean and English with an intake tree (결제 > 환불), a processing category, fields
 * of several types, a group and five agents with addresses.
 */
import ticket from '../mod.ts'
import { contribute, createKeyring, definePlugin, generateMasterKey, OcError, z, type PluginContext } from '../../../core/mod.ts'
import { triggerResults, type TriggerEffect } from '../api.ts'
import { createLogger } from '../../../core/log.ts'
import { smtpTransport } from '../../../core/mail/smtp.ts'
import type { Driver } from '../../../test/support/databases.ts'
import { testPlatform, type Call, type TestPlatform } from '../../../test/support/platform.ts'
import { addMember, identityOptions } from '../../../test/support/identity.ts'
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts'
import { ok } from '../test-support.ts'

export const PLATFORM_FROM = 'OpenContact <no-reply@platform.example>'

/** What the probe plugin's action saw, and a switch to make it fail. */
export interface ProbeLog {
  readonly runs: TriggerEffect<{ label: string }>[]
  failNext: number
  /** The ticket plugin's context once booted: tests drive the trigger runner with it. */
  ticketCtx?: PluginContext
}

export function probePlugin(log: ProbeLog) {
  return definePlugin({
    id: 'probe',
    version: '1.0.0',
    core: '^1',
    dependsOn: ['ticket'],
    contributes: [
      contribute(triggerResults, {
        type: 'probe.record',
        title: 'Record the ticket',
        params: z.strictObject({ label: z.string().min(1).max(20) }),
        async check(params: { label: string }) {
          if (params.label === 'forbidden') throw new OcError('OC_VALIDATION', 'this label is reserved', { status: 422, issues: [{ path: 'label', message: "'forbidden' is reserved; pick another label", code: 'reserved' }] })
        },
        async run(effect: TriggerEffect<{ label: string }>) {
          if (log.failNext > 0) {
            log.failNext--
            throw new Error('probe is failing on purpose')
          }
          log.runs.push(effect)
        },
      }),
    ],
  })
}

export interface TriggerBed {
  t: TestPlatform
  call: Call
  api: string
  scope: { orgId: string; serviceId: string }
  smtp: TestSmtpServer
  probe: ProbeLog
  intake: { billing: string; refund: string; other: string }
  processing: string
  group: string
  /** Five agents, in the order they were added; the first three are in `group`. */
  agents: { id: string; email: string }[]
  /** Runs every due delivery until nothing is left (retries are due within milliseconds). */
  settle(rounds?: number): Promise<void>
  createTicket(body: Record<string, unknown>): Promise<any>
  close(): Promise<void>
}

export async function triggerBed(driver: Driver, org: string): Promise<TriggerBed> {
  const smtp = await startSmtpServer()
  const transport = smtpTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true, pool: false })
  const probe: ProbeLog = { runs: [], failNext: 0 }
  const t = await testPlatform({
    driver,
    // The ticket plugin as installed, with its context kept for the tests that run triggers by hand.
    plugins: [definePlugin({ ...ticket, onBoot: (ctx) => ((probe.ticketCtx = ctx), ticket.onBoot?.(ctx)) }), probePlugin(probe)],
    keyring: createKeyring([{ version: 1, key: generateMasterKey() }]),
    ...identityOptions(),
    outboundAllowlist: ['127.0.0.1'],
    mail: { transport, from: PLATFORM_FROM },
    events: { background: false, backoffBaseMs: 1, backoffMaxMs: 2 },
    ...(process.env.TICKET_TEST_LOG ? { log: createLogger('error') } : {}),
  })
  const scope = await t.createService(org, 'desk', ['ticket', 'probe'])
  await ok(t.call(`/operator/v1/organizations/${org}/services/desk`, { method: 'PATCH', body: { languages: ['ko', 'en'], defaultLanguage: 'ko' } }))
  await t.createService(`${org}-other`, 'desk', ['ticket'])
  const api = `/o/${org}/desk/api/v1`
  const call = t.call
  const billing = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '결제', en: 'Billing' } } }), 201)).id
  const refund = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '환불', en: 'Refund' }, parentId: billing } }), 201)).id
  const other = (await ok(call(`${api}/ticket/intake-categories`, { body: { names: { ko: '기타', en: 'Other' } } }), 201)).id
  const processing = (await ok(call(`${api}/ticket/processing-categories`, { body: { names: { ko: '처리' } } }), 201)).id
  const field = async (body: Record<string, unknown>) => (await ok(call(`${api}/ticket/fields`, { body: { audience: 'customer', names: { ko: String(body.code) }, ...body } }), 201)).id as string
  const fieldIds = [
    await field({ code: 'order_no', type: 'text' }),
    await field({ code: 'quantity', type: 'number' }),
    await field({ code: 'resident_no', type: 'text', personalInfo: true }),
    await field({ code: 'color', type: 'dropdown', details: { options: [{ value: 'red', names: { ko: '빨강' } }, { value: 'blue', names: { ko: '파랑' } }] } }),
    await field({ code: 'tags', type: 'multi-select', details: { options: [{ value: 'vip', names: { ko: 'VIP' } }, { value: 'new', names: { ko: '신규' } }] } }),
  ]
  for (const category of [billing, refund, other]) await ok(call(`${api}/ticket/intake-categories/${category}/fields`, { method: 'PUT', body: { fieldIds } }))
  const agents: { id: string; email: string }[] = []
  for (let i = 1; i <= 5; i++) {
    const member = await addMember(t, org, `agent${i}@${org}.test`)
    const agent = await ok(call(`${api}/agents`, { body: { email: member.email, role: 'agent', permissions: ['ticket'] } }), 201)
    agents.push({ id: agent.id, email: member.email })
  }
  const group = (await ok(call(`${api}/groups`, { body: { name: '1차 상담', agentIds: agents.slice(0, 3).map((a) => a.id) } }), 201)).id
  return {
    t,
    call,
    api,
    scope,
    smtp,
    probe,
    intake: { billing, refund, other },
    processing,
    group,
    agents,
    async settle(rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        const done = await t.platform.drainEvents()
        if (!done) {
          // Retries are due a few milliseconds later.
          await new Promise((resolve) => setTimeout(resolve, 5))
          if (!(await t.platform.drainEvents())) return
        }
      }
    },
    // A form (intake category) carries the system fields, whose privacy consent must be given.
    createTicket: (body) => ok(call(`${api}/ticket/tickets`, { body: { channel: 'web', content: 'body', ...body, ...(body.intakeCategoryId ? { fields: { privacy_consent: true, ...(body.fields as object) } } : {}) } }), 201),
    async close() {
      await t.close()
      await transport.close?.()
      await smtp.close()
    },
  }
}
