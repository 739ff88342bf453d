/**
 * Members and invitations on both drivers: the first owner from the operator API (by password
 * and by invitation), the invitation event in the outbox, its mail received by a real SMTP
 * server on loopback, single use, expiry, replacement, linking an existing member, member
 * management by owners, and the audit entry of each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../test/support/databases.ts'
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts'
import { addMember, identityAreaOf, identityOptions, signIn } from '../../test/support/identity.ts'
import { startSmtpServer, type TestSmtpServer } from '../../test/support/smtp.ts'
import { smtpTransport } from '../mail/smtp.ts'
import type { MailTransport } from '../mail/transport.ts'
import type { EventEnvelope } from '../events/types.ts'
import { createLogger, type Logger } from '../log.ts'
import { invitationMailer } from './invitations.ts'
import { identitySettings } from './options.ts'
import { hashToken } from './tokens.ts'
import type { PlatformOptions } from '../platform.ts'

describe.each(DRIVERS)('members and invitations on %s', (driver) => {
  let t: TestPlatform
  let smtp: TestSmtpServer
  let transport: MailTransport
  const org = '/o/acme/org/v1'

  /** Runs the invitation mailer on the newest invitation event, as the dispatcher would, and returns the mailed token. */
  const deliverNewestInvitation = async () => {
    const [row] = await t.db.query<{ event_id: string; type: string; org_id: string; service_id: string | null; created_at: Date; payload: unknown }>(
      "SELECT event_id, type, org_id, service_id, created_at, payload FROM oc_outbox WHERE type = 'core.identity.invitation-created' ORDER BY id DESC LIMIT 1",
    )
    const envelope: EventEnvelope = { id: row!.event_id, type: row!.type, orgId: row!.org_id, serviceId: row!.service_id as string, occurredAt: new Date(row!.created_at).toISOString(), payload: row!.payload }
    const before = smtp.received.length
    await identityAreaOf(t.platform).invitationMailer.handle(envelope)
    const mail = await smtp.waitFor(before + 1)
    return { mail, token: /oci_[0-9A-Za-z]{38}/.exec(mail.parsed.text ?? '')![0], envelope }
  }

  beforeAll(async () => {
    smtp = await startSmtpServer()
    transport = smtpTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true, pool: false })
    t = await testPlatform({ driver, ...identityOptions({ mail: { transport, from: 'OpenContact <no-reply@opencontact.test>' } }) })
    await t.createService('acme', 'desk')
  })
  afterAll(async () => {
    await t.close()
    await transport.close?.()
    await smtp.close()
  })

  it('invites the first owner from the operator API: the event is in the outbox, the mail arrives, the token is single use', async () => {
    const created = await t.call('/operator/v1/organizations/acme/members', { body: { email: 'Owner@Acme.test' } })
    expect(created.status).toBe(201)
    expect(created.body.member).toBeNull()
    expect(created.body.invitation).toMatchObject({ email: 'owner@acme.test', orgRole: 'owner', status: 'pending', sentAt: null })
    // With a sender the token goes only by mail.
    expect(created.body.invitation.delivery).toEqual({ state: 'queued', reason: null, setting: null, token: null, acceptUrl: null })

    const { mail, token, envelope } = await deliverNewestInvitation()
    expect(envelope.serviceId).toBeNull()
    expect(envelope.payload).toEqual({ invitationId: created.body.invitation.id, orgId: envelope.orgId, email: 'owner@acme.test', orgRole: 'owner' })
    expect(mail.envelopeTo).toEqual(['owner@acme.test'])
    expect(mail.parsed.from?.address).toBe('no-reply@opencontact.test')
    expect(mail.parsed.subject).toBe('Invitation to acme on OpenContact')
    expect(mail.parsed.html).toContain(token)

    // Only the hash is kept, and the raw token is in neither the invitation nor the event.
    const [invitation] = await t.db.query<{ token_hash: string; sent_at: Date | null }>('SELECT token_hash, sent_at FROM oc_invitations WHERE id = $1', [created.body.invitation.id])
    expect(invitation!.token_hash).toBe(await hashToken(token))
    expect(invitation!.sent_at).not.toBeNull()
    expect(JSON.stringify(await t.db.query('SELECT * FROM oc_outbox'))).not.toContain(token)
    expect(JSON.stringify(await t.db.query('SELECT * FROM oc_invitations'))).not.toContain(token)

    const accepted = await t.call(`${org}/invitations/accept`, { body: { token, password: 'owner password 1', name: 'Olive Owner' }, token: null })
    expect(accepted.status).toBe(201)
    expect(accepted.body).toMatchObject({ linked: false, member: { email: 'owner@acme.test', name: 'Olive Owner', orgRole: 'owner' } })
    expect((await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })).accessToken).toBeTruthy()

    const again = await t.call(`${org}/invitations/accept`, { body: { token, password: 'another password' }, token: null })
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/already accepted/)
  })

  it('refuses a mistyped token without looking it up, and an unknown one', async () => {
    const mistyped = await t.call(`${org}/invitations/accept`, { body: { token: 'oci_' + 'A'.repeat(38), password: 'password 123' }, token: null })
    expect(mistyped.status).toBe(422)
    expect(mistyped.body.error.issues[0].path).toBe('body.token')
  })

  it('lets an owner invite members; an expired invitation is refused with 410', async () => {
    const owner = await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })
    const invited = await t.call(`${org}/invitations`, { body: { email: 'late@acme.test' }, token: owner.accessToken })
    expect(invited.status).toBe(201)
    expect(invited.body).toMatchObject({ orgRole: 'member', invitedBy: 'owner@acme.test' })
    const { token } = await deliverNewestInvitation()
    await t.db.query("UPDATE oc_invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [invited.body.id])
    const expired = await t.call(`${org}/invitations/accept`, { body: { token, password: 'password 123' }, token: null })
    expect(expired.status).toBe(410)
    expect(expired.body.error.code).toBe('OC_INVITATION_GONE')
    expect(expired.body.error.message).toMatch(/expired at/)
    const list = await t.call(`${org}/invitations`, { token: owner.accessToken })
    expect(list.body.invitations.find((i: { id: string }) => i.id === invited.body.id).status).toBe('expired')
  })

  it('replaces a pending invitation: only the newest mail works; a revoked one is not mailed', async () => {
    const owner = await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })
    await t.call(`${org}/invitations`, { body: { email: 'twice@acme.test' }, token: owner.accessToken })
    const first = await deliverNewestInvitation()
    await t.call(`${org}/invitations`, { body: { email: 'twice@acme.test' }, token: owner.accessToken })
    const second = await deliverNewestInvitation()
    const old = await t.call(`${org}/invitations/accept`, { body: { token: first.token, password: 'password 123' }, token: null })
    expect(old.status).toBe(410)
    expect(old.body.error.message).toMatch(/replaced/)
    expect((await t.call(`${org}/invitations/accept`, { body: { token: second.token, password: 'password 123' }, token: null })).status).toBe(201)

    const revoked = await t.call(`${org}/invitations`, { body: { email: 'never@acme.test' }, token: owner.accessToken })
    expect((await t.call(`${org}/invitations/${revoked.body.id}`, { method: 'DELETE', token: owner.accessToken })).status).toBe(204)
    const [row] = await t.db.query<{ event_id: string; type: string; org_id: string; created_at: Date; payload: unknown }>(
      "SELECT event_id, type, org_id, created_at, payload FROM oc_outbox WHERE type = 'core.identity.invitation-created' ORDER BY id DESC LIMIT 1",
    )
    const count = smtp.received.length
    await identityAreaOf(t.platform).invitationMailer.handle({ id: row!.event_id, type: row!.type, orgId: row!.org_id, serviceId: null as never, occurredAt: new Date(row!.created_at).toISOString(), payload: row!.payload })
    await new Promise((r) => setTimeout(r, 100))
    expect(smtp.received.length).toBe(count)
  })

  it('links an invitation to an account the address got meanwhile, raising it to owner', async () => {
    const owner = await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })
    await t.call(`${org}/invitations`, { body: { email: 'link@acme.test', orgRole: 'owner' }, token: owner.accessToken })
    const { token } = await deliverNewestInvitation()
    await addMember(t, 'acme', 'link@acme.test', 'member', 'link password 1')
    const linked = await t.call(`${org}/invitations/accept`, { body: { token }, token: null })
    expect(linked.status).toBe(200)
    expect(linked.body).toMatchObject({ linked: true, member: { email: 'link@acme.test', orgRole: 'owner' } })
    // The password is the account's own, untouched.
    expect((await signIn(t, 'acme', { email: 'link@acme.test', password: 'link password 1' })).accessToken).toBeTruthy()
  })

  it('keeps invitations waiting (the subscriber fails, to be retried) while no mail transport is configured', async () => {
    const mailer = invitationMailer(t.db, identitySettings({ db: t.db } as PlatformOptions), createLogger('silent'))
    const envelope = { id: crypto.randomUUID(), type: 'core.identity.invitation-created', orgId: crypto.randomUUID(), serviceId: null as never, occurredAt: new Date().toISOString(), payload: { invitationId: crypto.randomUUID(), orgId: crypto.randomUUID(), email: 'x@y.z', orgRole: 'member' } }
    await expect(mailer.handle(envelope)).rejects.toThrow(/set the platform option 'mail'/)
  })

  it('lets owners manage members and never leaves the organization without an owner', async () => {
    const owner = await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })
    const mia = await addMember(t, 'acme', 'mia@acme.test')
    const miaSession = await signIn(t, 'acme', mia)
    expect((await t.call(`${org}/members`, { token: miaSession.accessToken })).status).toBe(403)
    expect((await t.call(`${org}/invitations`, { body: { email: 'x@acme.test' }, token: miaSession.accessToken })).status).toBe(403)
    const list = await t.call(`${org}/members`, { token: owner.accessToken })
    expect(list.body.members.map((m: { email: string }) => m.email)).toContain('mia@acme.test')
    expect((await t.call(`${org}/invitations`, { body: { email: 'mia@acme.test' }, token: owner.accessToken })).status).toBe(409)

    const promoted = await t.call(`${org}/members/${mia.id}`, { method: 'PATCH', body: { orgRole: 'owner' }, token: owner.accessToken })
    expect(promoted.body.orgRole).toBe('owner')
    // Mia's existing access token carries the new role at once (cache emptied by the change).
    expect((await t.call(`${org}/members`, { token: miaSession.accessToken })).status).toBe(200)
    const invalid = await t.call(`${org}/members/${mia.id}`, { method: 'PATCH', body: { orgRole: 'boss' }, token: owner.accessToken })
    expect(invalid.status).toBe(422)
    expect(invalid.body.error.issues[0].path).toBe('body.orgRole')

    // Other owners exist (owner@, link@, mia@): demote and remove work until only one is left.
    const ownerIds = (await t.call(`${org}/members`, { token: owner.accessToken })).body.members.filter((m: { orgRole: string }) => m.orgRole === 'owner').map((m: { id: string }) => m.id)
    const selfId = (await t.call(`${org}/me`, { token: owner.accessToken })).body.member.id
    for (const id of ownerIds.filter((id: string) => id !== selfId)) {
      expect((await t.call(`${org}/members/${id}`, { method: 'PATCH', body: { orgRole: 'member' }, token: owner.accessToken })).status).toBe(200)
    }
    const last = await t.call(`${org}/members/${selfId}`, { method: 'PATCH', body: { orgRole: 'member' }, token: owner.accessToken })
    expect(last.status).toBe(409)
    expect(last.body.error.message).toMatch(/last owner/)
    expect((await t.call(`${org}/members/${selfId}`, { method: 'DELETE', token: owner.accessToken })).status).toBe(409)

    expect((await t.call(`${org}/members/${mia.id}`, { method: 'DELETE', token: owner.accessToken })).status).toBe(204)
    expect((await t.call(`${org}/me`, { token: miaSession.accessToken })).status).toBe(401)
    expect((await t.call(`${org}/members/${mia.id}`, { method: 'DELETE', token: owner.accessToken })).status).toBe(404)
  })

  it('records an organization-level audit entry for every kind of member change', async () => {
    const rows = await t.db.query<{ action: string; actor_type: string; service_id: string | null }>('SELECT DISTINCT action, actor_type, service_id FROM oc_audit WHERE service_id IS NULL ORDER BY action, actor_type')
    const actions = rows.map((r) => `${r.action} by ${r.actor_type}`)
    expect(actions).toEqual(
      expect.arrayContaining([
        'member.invited by operator',
        'member.invited by member',
        'invitation.accepted by member',
        'invitation.revoked by member',
        'member.created by operator',
        'member.updated by member',
        'member.removed by member',
      ]),
    )
    const owners = await t.call(`${org}/audit?action=member.removed`, { token: (await signIn(t, 'acme', { email: 'owner@acme.test', password: 'owner password 1' })).accessToken })
    expect(owners.body.entries[0]).toMatchObject({ action: 'member.removed', serviceId: null, actor: { type: 'member', label: 'owner@acme.test' } })
  })
})

describe.each(DRIVERS)('invitations without a mail sender on %s', (driver) => {
  let t: TestPlatform
  const warnings: string[] = []
  const log: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {}, child: () => log }
  beforeAll(async () => {
    t = await testPlatform({ driver, log, ...identityOptions({ identity: { invitationUrl: 'https://desk.example/{org}/accept?token={token}' } }) })
    await t.createService('solo', 'desk')
  })
  afterAll(() => t.close())

  it('answers 201 with delivery not-sent, the setting to configure and the single-use token for its creator; the token works once', async () => {
    const created = await t.call('/operator/v1/organizations/solo/members', { body: { email: 'first@solo.test' } })
    expect(created.status).toBe(201)
    const delivery = created.body.invitation.delivery
    expect(delivery).toMatchObject({ state: 'not-sent', setting: 'OC_SMTP_URL', reason: expect.stringContaining('OC_SMTP_URL') })
    expect(delivery.token).toMatch(/^oci_[0-9A-Za-z]{38}$/)
    expect(delivery.acceptUrl).toBe(`https://desk.example/solo/accept?token=${delivery.token}`)
    expect(warnings.some((w) => w.includes('no mail sender'))).toBe(true)
    // No mail event (a sender configured later must not replace the token handed over); the token is stored only hashed, and not in the audit.
    expect(await t.db.query("SELECT 1 FROM oc_outbox WHERE type = 'core.identity.invitation-created'")).toEqual([])
    const [row] = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM oc_invitations WHERE id = $1', [created.body.invitation.id])
    expect(row!.token_hash).toBe(await hashToken(delivery.token))
    const audit = await t.db.query<{ action: string; after: unknown }>("SELECT action, after FROM oc_audit WHERE action = 'member.invited'")
    expect(audit).toHaveLength(1)
    expect(audit[0]!.after).toMatchObject({ delivery: 'not-sent' })
    expect(JSON.stringify(await t.db.query('SELECT * FROM oc_audit'))).not.toContain(delivery.token)

    const accepted = await t.call('/o/solo/org/v1/invitations/accept', { body: { token: delivery.token, password: 'first password 1' }, token: null })
    expect(accepted.status).toBe(201)
    const owner = await signIn(t, 'solo', { email: 'first@solo.test', password: 'first password 1' })
    expect((await t.call('/o/solo/org/v1/invitations/accept', { body: { token: delivery.token, password: 'again password 1' }, token: null })).status).toBe(409)

    // An owner inviting a member gets the token the same way; the list never shows it.
    const member = await t.call('/o/solo/org/v1/invitations', { body: { email: 'agent@solo.test' }, token: owner.accessToken })
    expect(member.status).toBe(201)
    expect(member.body.delivery).toMatchObject({ state: 'not-sent', token: expect.stringMatching(/^oci_/) })
    const listed = await t.call('/o/solo/org/v1/invitations', { token: owner.accessToken })
    expect(JSON.stringify(listed.body)).not.toContain(member.body.delivery.token)
  })
})
