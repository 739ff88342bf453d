/**
 * The two sign-in schemes as one step each, inside the caller's transaction: check the token
 * against the service's settings, use it once, and return the member. The routes (routes.ts,
 * remote-api.ts) decide what the member gets: a session cookie or a hand-off token.
 */
import { errors, type TenantTx } from '../../../core/mod.ts'
import type { HelpCenterContext } from '../context.ts'
import { verifyHandoffJwt } from './jwt-handoff.ts'
import type { Member } from './member.ts'
import { type MemberTokenFields, verifyMemberToken } from './member-token.ts'
import { useOnce } from './used-tokens.ts'

const integrationOff = () => errors.forbidden("member integration is off for this help center; an administrator turns it on in the help center settings (memberIntegration)")

/** Scheme 1: the seed product's member-integration token. */
export async function memberFromToken(ctx: HelpCenterContext, tx: TenantTx, serviceCode: string, fields: MemberTokenFields, field = 'body'): Promise<Member> {
  const settings = await ctx.settings(tx)
  if (!settings.memberIntegration) throw integrationOff()
  if (!settings.memberTokenKey) throw errors.forbidden('this help center has no member-integration key; an administrator sets memberTokenKey in the help center settings')
  const { member, acceptedUntil } = await verifyMemberToken(fields, { key: settings.memberTokenKey, service: serviceCode })
  await useOnce(tx, `member-token:${fields.token.trim()}`, acceptedUntil, `${field}.token`)
  return member
}

/** Scheme 2: a signed JWT hand-off. */
export async function memberFromJwt(ctx: HelpCenterContext, tx: TenantTx, jwt: string, field = 'body.jwt'): Promise<Member> {
  const settings = await ctx.settings(tx)
  if (!settings.memberIntegration) throw integrationOff()
  if (!settings.jwtSecret && !settings.jwtJwksUrl) throw errors.forbidden('this help center accepts no JWT hand-off; an administrator sets jwtSecret or jwtJwksUrl in the help center settings')
  const keys = { secret: settings.jwtSecret, jwksUrl: settings.jwtJwksUrl, issuer: settings.jwtIssuer, audience: settings.jwtAudience }
  const { member, jti, acceptedUntil } = await verifyHandoffJwt(jwt, keys, ctx.outbound)
  await useOnce(tx, `jwt:${jti}`, acceptedUntil, field)
  return member
}
