/** The invitation mail: plain text for every client, and the same words in simple HTML. */
import type { MailMessage } from '../mail/transport.ts'

export interface InvitationMailInput {
  readonly to: string
  readonly orgName: string
  readonly orgSlug: string
  readonly orgRole: 'owner' | 'member'
  readonly invitedBy: string | null
  readonly token: string
  readonly expiresAt: Date
  /** The configured `identity.invitationUrl` template, with `{org}` and `{token}`. */
  readonly urlTemplate: string | undefined
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** The accept link from the `identity.invitationUrl` template, or null without one. */
export function invitationLink(urlTemplate: string | undefined, orgSlug: string, token: string): string | null {
  return urlTemplate?.replaceAll('{org}', encodeURIComponent(orgSlug)).replaceAll('{token}', encodeURIComponent(token)) ?? null
}

export function invitationMail(input: InvitationMailInput): MailMessage {
  const link = invitationLink(input.urlTemplate, input.orgSlug, input.token)
  const who = input.invitedBy ? `${input.invitedBy} invited you` : 'You are invited'
  const role = input.orgRole === 'owner' ? 'an owner' : 'a member'
  const until = input.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
  const how = link
    ? [`Accept the invitation here: ${link}`]
    : [`Accept it with POST /o/${input.orgSlug}/org/v1/invitations/accept and this token:`, '', input.token]
  const lines = [`${who} to join ${input.orgName} on OpenContact as ${role}.`, '', ...how, '', `The invitation works once and ends at ${until}.`, 'If you did not expect it, ignore this mail.']
  const htmlHow = link
    ? `<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>`
    : `<p>Accept it with <code>POST /o/${escapeHtml(input.orgSlug)}/org/v1/invitations/accept</code> and this token:</p><p><code>${escapeHtml(input.token)}</code></p>`
  return {
    to: input.to,
    subject: `Invitation to ${input.orgName} on OpenContact`,
    text: lines.join('\n'),
    html: `<p>${escapeHtml(who)} to join <strong>${escapeHtml(input.orgName)}</strong> on OpenContact as ${role}.</p>${htmlHow}<p>The invitation works once and ends at ${escapeHtml(until)}. If you did not expect it, ignore this mail.</p>`,
  }
}
