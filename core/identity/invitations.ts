/**
 * Invitations by e-mail (C3). Creating one writes the row and the event
 * `core.identity.invitation-created` in one transaction; the subscriber
 * `identity.send-invitation` then makes the single-use token, stores its hash and sends the
 * mail, so the raw token exists only in the mail and a crash never loses an invitation (the
 * dispatcher retries the subscriber). A later send replaces the token, so only the newest mail
 * works. Accepting is single-use: one UPDATE wins, every later try finds it accepted.
 *
 * Without a mail sender (no `mail.transport`, i.e. no `OC_SMTP_URL`) nothing could deliver the
 * token, so `invite` makes it at once, stores its hash and hands it back once, in the answer to
 * whoever created the invitation (an organization owner or an operator: the only callers),
 * with `delivery.state: 'not-sent'`; no mail event is written, so a sender configured later does
 * not replace a token already handed over. The reason is logged at warn.
 */
import { z } from '@hono/zod-openapi'
import type { Db, Queryable } from '../storage/db.ts'
import type { EventCatalogue } from '../events/outbox.ts'
import type { EventEnvelope } from '../events/types.ts'
import type { Subscriber } from '../api/define.ts'
import { errors } from '../http/errors.ts'
import type { Logger } from '../log.ts'
import type { IdentitySettings } from './options.ts'
import { identityError } from './errors.ts'
import { invitationLink, invitationMail } from './invitation-mail.ts'
import { members, type MemberView, normalizeEmail } from './members.ts'
import { appendOrgEvent } from './org-events.ts'
import { hashPassword } from './passwords.ts'
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts'

export const INVITATION_TOKEN_PREFIX = 'oci'
export const INVITATION_CREATED = 'core.identity.invitation-created'

export const InvitationCreatedEvent = z.object({
  invitationId: z.uuid(),
  orgId: z.uuid(),
  email: z.string(),
  orgRole: z.enum(['owner', 'member']),
})

export interface AcceptedInvitation {
  member: MemberView
  /** True when the address already had an account, which the invitation was linked to. */
  linked: boolean
  invitationId: string
}

export interface InvitationView {
  id: string
  email: string
  orgRole: 'owner' | 'member'
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  invitedBy: string | null
  createdAt: string
  expiresAt: string
  sentAt: string | null
}

interface InvitationRow {
  id: string
  org_id: string
  email: string
  org_role: 'owner' | 'member'
  invited_by: string | null
  created_at: Date
  expires_at: Date
  sent_at: Date | null
  accepted_at: Date | null
  revoked_at: Date | null
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString())

function toView(r: InvitationRow): InvitationView {
  const status = r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= Date.now() ? 'expired' : 'pending'
  return { id: r.id, email: r.email, orgRole: r.org_role, status, invitedBy: r.invited_by, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)!, sentAt: iso(r.sent_at) }
}

/** How the invitation reaches the invitee; `token` and `acceptUrl` only when no mail goes out. */
export interface InvitationDelivery {
  state: 'queued' | 'not-sent'
  reason: string | null
  setting: string | null
  token: string | null
  acceptUrl: string | null
}

export const NO_MAIL_SENDER = "no mail sender is configured (set OC_SMTP_URL, or the platform option 'mail'), so no invitation mail goes out; hand the token or link to the invitee yourself"

export const invitations = {
  /** Creates an invitation (replacing a pending one for the same address) and its event. */
  async create(tx: Queryable, catalogue: EventCatalogue, orgId: string, input: { email: string; orgRole: 'owner' | 'member'; invitedBy: string | null }, lifetimeSeconds: number, handOverHash: string | null = null): Promise<InvitationView> {
    const email = normalizeEmail(input.email)
    await tx.sql`UPDATE oc_invitations SET revoked_at = now() WHERE org_id = ${orgId} AND email = ${email} AND accepted_at IS NULL AND revoked_at IS NULL`
    const [row] = await tx.sql<InvitationRow>`
      INSERT INTO oc_invitations (org_id, email, org_role, invited_by, expires_at, token_hash)
      VALUES (${orgId}, ${email}, ${input.orgRole}, ${input.invitedBy}, now() + make_interval(secs => ${lifetimeSeconds}), ${handOverHash})
      RETURNING *`
    if (handOverHash === null) await appendOrgEvent(tx, catalogue, orgId, INVITATION_CREATED, { invitationId: row!.id, orgId, email, orgRole: input.orgRole })
    return toView(row!)
  },

  /** {@link invitations.create} with its delivery: queued for mail, or the token handed back when there is no sender. */
  async invite(tx: Queryable, catalogue: EventCatalogue, settings: IdentitySettings, log: Logger, org: { id: string; slug: string }, input: { email: string; orgRole: 'owner' | 'member'; invitedBy: string | null }): Promise<{ invitation: InvitationView; delivery: InvitationDelivery }> {
    if (settings.mail?.transport) {
      const invitation = await invitations.create(tx, catalogue, org.id, input, settings.invitationSeconds)
      return { invitation, delivery: { state: 'queued', reason: null, setting: null, token: null, acceptUrl: null } }
    }
    const token = generateToken(INVITATION_TOKEN_PREFIX)
    const invitation = await invitations.create(tx, catalogue, org.id, input, settings.invitationSeconds, await hashToken(token))
    log.warn('invitation not mailed: no mail sender is configured (OC_SMTP_URL); the token was handed to its creator', { invitationId: invitation.id, orgId: org.id })
    return { invitation, delivery: { state: 'not-sent', reason: NO_MAIL_SENDER, setting: 'OC_SMTP_URL', token, acceptUrl: invitationLink(settings.invitationUrl, org.slug, token) } }
  },

  async list(db: Queryable, orgId: string): Promise<InvitationView[]> {
    return (await db.sql<InvitationRow>`SELECT * FROM oc_invitations WHERE org_id = ${orgId} ORDER BY created_at DESC`).map(toView)
  },

  /** Revokes a pending invitation; null when there is none with this id. */
  async revoke(tx: Queryable, orgId: string, id: string): Promise<InvitationView | null> {
    const [row] = await tx.sql<InvitationRow>`
      UPDATE oc_invitations SET revoked_at = now() WHERE org_id = ${orgId} AND id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL RETURNING *`
    return row ? toView(row) : null
  },

  /**
   * Accepts with the token from the mail: creates the member with the given password, or, when
   * the address already has an account here, links the invitation to it (raising it to owner if
   * the invitation says so; its password is left alone).
   */
  async accept(
    db: Db,
    orgId: string,
    input: { token: string; password?: string; name?: string },
    iterations: number,
    /** Runs in the accepting transaction, for the audit entry. */
    onAccepted: (tx: Queryable, accepted: AcceptedInvitation) => Promise<void>,
  ): Promise<AcceptedInvitation> {
    if (!isWellFormedToken(input.token, INVITATION_TOKEN_PREFIX)) {
      throw errors.invalid([{ path: 'body.token', message: 'this is not an invitation token (its checksum does not match); copy it from the mail unchanged' }])
    }
    const hash = await hashToken(input.token)
    // Hash outside the transaction: it takes a while and must not hold the invitation's lock.
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password, iterations)
    return db.transaction(async (tx) => {
      const [row] = await tx.sql<InvitationRow>`SELECT * FROM oc_invitations WHERE token_hash = ${hash} AND org_id = ${orgId} FOR UPDATE`
      if (!row) throw errors.notFound('an invitation with this token in this organization')
      if (row.accepted_at) throw errors.conflict('this invitation was already accepted; sign in with POST /auth/login')
      if (row.revoked_at) throw identityError('OC_INVITATION_GONE', 'this invitation was revoked or replaced by a newer one; use the newest mail or ask an owner to invite you again')
      if (new Date(row.expires_at).getTime() <= Date.now()) {
        throw identityError('OC_INVITATION_GONE', `this invitation expired at ${iso(row.expires_at)}; ask an owner to invite you again`)
      }
      const existing = await members.byEmail(tx, orgId, row.email)
      let member: MemberView
      if (existing) {
        member = existing.orgRole === 'member' && row.org_role === 'owner' ? (await members.update(tx, orgId, existing.id, { orgRole: 'owner' }))! : existing
      } else {
        if (!passwordHash) throw errors.invalid([{ path: 'body.password', message: 'choose a password (at least 8 characters) to create your account' }])
        member = (await members.create(tx, orgId, { email: row.email, name: input.name ?? '', orgRole: row.org_role, passwordHash }))!
      }
      await tx.sql`UPDATE oc_invitations SET accepted_at = now(), member_id = ${member.id} WHERE id = ${row.id}`
      const accepted = { member, linked: existing !== null, invitationId: row.id }
      await onAccepted(tx, accepted)
      return accepted
    })
  },
}

/** The subscriber that makes the token and sends the invitation mail. */
export function invitationMailer(db: Db, settings: IdentitySettings, log: Logger): Subscriber & { handle(event: EventEnvelope): Promise<void> } {
  return {
    id: 'identity.send-invitation',
    event: INVITATION_CREATED,
    async handle(event) {
      const payload = InvitationCreatedEvent.parse(event.payload)
      const mail = settings.mail
      // Thrown, not skipped: the dispatcher keeps retrying, so invitations go out once mail is configured.
      if (!mail?.transport) throw new Error("invitation mail cannot be sent: set the platform option 'mail' ({ transport, from })")
      const transport = mail.transport
      const token = generateToken(INVITATION_TOKEN_PREFIX)
      const [row] = await db.sql<{ email: string; org_role: 'owner' | 'member'; invited_by: string | null; expires_at: Date; org_name: string; org_slug: string }>`
        UPDATE oc_invitations i SET token_hash = ${await hashToken(token)}, sent_at = now()
        FROM oc_organizations o
        WHERE i.id = ${payload.invitationId} AND o.id = i.org_id AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
        RETURNING i.email, i.org_role, i.invited_by, i.expires_at, o.name AS org_name, o.slug AS org_slug`
      if (!row) {
        log.info('invitation not sent: accepted, revoked or expired meanwhile', { invitationId: payload.invitationId })
        return
      }
      const message = invitationMail({
        to: row.email,
        orgName: row.org_name,
        orgSlug: row.org_slug,
        orgRole: row.org_role,
        invitedBy: row.invited_by,
        token,
        expiresAt: new Date(row.expires_at),
        urlTemplate: settings.invitationUrl,
      })
      await transport.send({ ...message, from: mail.from })
    },
  }
}
